import { Construct } from 'constructs';
import { aboutMetric, type ModelMonitorKind, type ModelMonitorSettings } from './model-monitor-kind';
import { Monitor } from '@cdktf/provider-datadog/lib/monitor';
import { aggregationProblems } from './metric-monitor';
import { DEFAULT_SCOPE, formatThreshold, groupedSeriesQuery, SpaceAggregation, TimeAggregation, windowSeconds } from '../metric-query';
import { commonProblems, MonitorCommonProps, monitorResource } from './monitor-resource';
import { addProblems, problemAt, type PropProblem } from '../problems';
import { Comparator, metricNameProblems, thresholdProblems, windowProblems } from '../validation';

/** `change`: difference in the metric's unit; `pct_change`: difference in percent of the baseline. */
export type ChangeKind = 'change' | 'pct_change';
export const CHANGE_KINDS: readonly ChangeKind[] = ['pct_change', 'change'];

/** The "compared to" offsets Datadog offers for change alerts. */
export const CHANGE_BASELINES: readonly string[] = ['last_5m', 'last_15m', 'last_1h', 'last_1d', 'last_1w', 'last_1mo'];

/** The defaults of the props that have one (the config schema states them too). */
export const CHANGE_MONITOR_DEFAULTS = { change: 'pct_change', window: 'last_1h', baseline: 'last_1d' } as const;

export interface ChangeMonitorProps extends MonitorCommonProps {
  /** Full Datadog metric name, e.g. `algorithmia.risk_score`. */
  readonly metricName: string;
  /** Monitor name as shown in Datadog. */
  readonly name: string;
  /** Notification body; the handles are appended after a blank line. */
  readonly message: string;
  /**
   * `pct_change` (percent of the baseline: 20 means 20 %) or `change` (in the metric's unit).
   * @default 'pct_change'
   */
  readonly change?: ChangeKind;
  /**
   * The recent window whose aggregate is compared.
   * @default 'last_1h'
   */
  readonly window?: string;
  /**
   * How long ago the baseline window is: the same window, this much earlier. One of
   * last_5m, last_15m, last_1h, last_1d, last_1w, last_1mo.
   * @default 'last_1d'
   */
  readonly baseline?: string;
  /** Fires when the change crosses this (`> critical` by default). */
  readonly critical: number;
  /** @default no warning */
  readonly warning?: number;
  /**
   * `>`/`>=` alert on a rise, `<`/`<=` (with a negative threshold) on a fall.
   * @default '>'
   */
  readonly comparator?: Comparator;
  /** @default 'avg' */
  readonly timeAggregation?: TimeAggregation;
  /** @default 'avg' */
  readonly spaceAggregation?: SpaceAggregation;
}

/**
 * Prediction drift: the metric's aggregate over a recent window against the same window a
 * baseline ago, e.g. `pct_change(avg(last_1h),last_1d):avg:algorithmia.risk_score{env:prod} by {algorithm_name} > 20`.
 */
export class ChangeMonitor extends Construct {
  readonly monitor: Monitor;
  readonly monitorId: string;
  readonly query: string;

  constructor(scope: Construct, id: string, props: ChangeMonitorProps) {
    super(scope, id);
    const change = props.change ?? CHANGE_MONITOR_DEFAULTS.change;
    const window = props.window ?? CHANGE_MONITOR_DEFAULTS.window;
    const baseline = props.baseline ?? CHANGE_MONITOR_DEFAULTS.baseline;
    const comparator = props.comparator ?? '>';
    const timeAggregation = props.timeAggregation ?? 'avg';
    const spaceAggregation = props.spaceAggregation ?? 'avg';

    addProblems(this, [
      ...metricNameProblems(['metricName'], props.metricName),
      ...(CHANGE_KINDS.includes(change)
        ? []
        : [problemAt(['change'], `"${change}" is not supported: use "pct_change" (percent) or "change" (absolute).`)]),
      ...windowProblems(['window'], window),
      ...baselineProblems(window, baseline),
      ...thresholdProblems([], { critical: props.critical, warning: props.warning, comparator }),
      ...aggregationProblems(timeAggregation, spaceAggregation),
      ...commonProblems(props),
    ]);

    const series = groupedSeriesQuery(props.metricName, props.scope ?? DEFAULT_SCOPE, spaceAggregation, props.groupBy);
    this.query = `${change}(${timeAggregation}(${window}),${baseline}):${series} ${comparator} ${formatThreshold(props.critical)}`;
    this.monitor = monitorResource(this, { ...props, query: this.query });
    this.monitorId = this.monitor.id;
  }
}

function baselineProblems(window: string, baseline: string): PropProblem[] {
  if (!CHANGE_BASELINES.includes(baseline)) {
    return [problemAt(['baseline'], `"${baseline}" is not a change alert offset: use one of ${CHANGE_BASELINES.join(', ')}.`)];
  }
  const windowLength = windowSeconds(window);
  const baselineLength = baseline === 'last_1mo' ? 30 * 86_400 : windowSeconds(baseline)!;
  // A baseline shorter than the window compares two overlapping windows: a drift would be diluted.
  if (windowLength !== undefined && baselineLength < windowLength) {
    return [
      problemAt(
        ['baseline'],
        `"${baseline}" is shorter than window "${window}": the two windows would overlap and hide a drift. ` +
          'Use a baseline at least as long as the window (e.g. "last_1d" for "last_1h"), or shorten the window.',
      ),
    ];
  }
  return [];
}

export type ChangeMonitorSettings = ModelMonitorSettings<ChangeMonitorProps>;

/** `changeMonitors.<key>`: `change_monitor_<key>`, named "[Algorithmia] Drift in <key>". */
export const changeMonitorKind: ModelMonitorKind<ChangeMonitorSettings, ChangeMonitor> = {
  setting: 'changeMonitors',
  idPrefix: 'change_monitor_',
  create: (scope, id, metric, settings, { label }) => {
    const change = settings.change ?? CHANGE_MONITOR_DEFAULTS.change;
    const unit = change === 'pct_change' ? ' %' : '';
    return new ChangeMonitor(scope, id, {
      ...settings,
      metricName: metric.name,
      name: settings.name ?? label(`[Algorithmia] Drift in ${metric.key}`),
      message:
        settings.message ??
        `The ${settings.timeAggregation ?? 'avg'} of ${metric.name}${aboutMetric(metric)} over ${settings.window ?? CHANGE_MONITOR_DEFAULTS.window} changed ` +
          `by ${settings.comparator ?? '>'} ${settings.critical}${unit} compared with the same window ${settings.baseline ?? CHANGE_MONITOR_DEFAULTS.baseline} earlier (${change}).`,
    });
  },
};
