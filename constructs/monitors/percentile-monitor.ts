import { Construct } from 'constructs';
import { aboutMetric, type ModelMonitorKind, type ModelMonitorSettings } from './model-monitor-kind';
import { percentileAvailabilityProblems } from '../metadata/metric-percentiles';
import { Monitor } from '@cdktf/provider-datadog/lib/monitor';
import type { MetricKind } from '@algorithmia-datadog/metric-declaration';
import { aggregationProblems } from './metric-monitor';
import { DEFAULT_SCOPE, formatThreshold, groupedSeriesQuery, Percentile, PERCENTILES, TimeAggregation } from '../metric-query';
import { commonProblems, MonitorCommonProps, monitorResource } from './monitor-resource';
import { addProblems, problemAt } from '../problems';
import { Comparator, metricNameProblems, thresholdProblems, windowProblems } from '../validation';

/** The defaults of the props that have one (the config schema states them too). */
export const PERCENTILE_MONITOR_DEFAULTS = { percentile: 'p95', window: 'last_5m' } as const;

export interface PercentileMonitorProps extends MonitorCommonProps {
  /** Full Datadog metric name, e.g. `algorithmia.duration_milliseconds`. */
  readonly metricName: string;
  /**
   * How the metric is declared. Datadog keeps percentiles only for distributions, so a gauge is
   * refused at synth rather than by the API at apply.
   */
  readonly metricKind: MetricKind;
  /** Monitor name as shown in Datadog. */
  readonly name: string;
  /** Notification body; the handles are appended after a blank line. */
  readonly message: string;
  /**
   * Which percentile of all values in the scope (across hosts and algorithms, or per group).
   * @default 'p95'
   */
  readonly percentile?: Percentile;
  /** Fires when the percentile crosses this (`> critical` by default). */
  readonly critical: number;
  /** @default no warning */
  readonly warning?: number;
  /** @default '>' */
  readonly comparator?: Comparator;
  /** @default 'last_5m' */
  readonly window?: string;
  /**
   * How the window's percentile series is reduced to one value.
   * @default 'avg'
   */
  readonly timeAggregation?: TimeAggregation;
}

/**
 * A threshold on a percentile of a distribution metric:
 * `avg(last_5m):p95:algorithmia.duration_milliseconds{env:prod} by {algorithm_name} > 8000`.
 * An average hides the slow tail a percentile shows.
 */
export class PercentileMonitor extends Construct {
  readonly monitor: Monitor;
  readonly monitorId: string;
  readonly query: string;

  constructor(scope: Construct, id: string, props: PercentileMonitorProps) {
    super(scope, id);
    const percentile = props.percentile ?? PERCENTILE_MONITOR_DEFAULTS.percentile;
    const comparator = props.comparator ?? '>';
    const window = props.window ?? PERCENTILE_MONITOR_DEFAULTS.window;
    const timeAggregation = props.timeAggregation ?? 'avg';

    addProblems(this, [
      ...metricNameProblems(['metricName'], props.metricName),
      ...(PERCENTILES.includes(percentile)
        ? []
        : [problemAt(['percentile'], `"${percentile}" is not supported: use one of ${PERCENTILES.join(', ')}.`)]),
      ...(props.metricKind === 'distribution'
        ? []
        : [
            problemAt(
              ['percentile'],
              `${percentile} needs a distribution metric, but ${props.metricName} is a ${props.metricKind}: ` +
                'Datadog keeps percentiles only for distributions. Declare it with "kind": "distribution" in config/metrics.json ' +
                '(the forwarder then sends every value), or use a threshold monitor on its average.',
            ),
          ]),
      ...thresholdProblems([], { critical: props.critical, warning: props.warning, comparator }),
      ...windowProblems(['window'], window),
      ...aggregationProblems(timeAggregation, 'avg'),
      ...commonProblems(props),
    ]);

    const series = groupedSeriesQuery(props.metricName, props.scope ?? DEFAULT_SCOPE, percentile, props.groupBy);
    this.query = `${timeAggregation}(${window}):${series} ${comparator} ${formatThreshold(props.critical)}`;
    this.monitor = monitorResource(this, { ...props, query: this.query });
    this.monitorId = this.monitor.id;
  }
}

export type PercentileMonitorSettings = ModelMonitorSettings<PercentileMonitorProps>;

/** `percentileMonitors.<key>`: `percentile_monitor_<key>`, named "[Algorithmia] <percentile> <key>". */
export const percentileMonitorKind: ModelMonitorKind<PercentileMonitorSettings, PercentileMonitor> = {
  setting: 'percentileMonitors',
  idPrefix: 'percentile_monitor_',
  create: (scope, id, metric, settings, { label }) => {
    const percentile = settings.percentile ?? PERCENTILE_MONITOR_DEFAULTS.percentile;
    return new PercentileMonitor(scope, id, {
      ...settings,
      metricName: metric.name,
      metricKind: metric.kind,
      name: settings.name ?? label(`[Algorithmia] ${percentile} ${metric.key}`),
      message:
        settings.message ??
        `The ${percentile} of ${metric.name}${aboutMetric(metric)} over ${settings.window ?? PERCENTILE_MONITOR_DEFAULTS.window} is ${settings.comparator ?? '>'} ${settings.critical}.`,
    });
  },
  // A p95: query has data only where a stack of the organisation enables the metric's percentiles.
  problems: (settings, metric, { percentilesEnabler }) =>
    percentileAvailabilityProblems(
      metric,
      percentilesEnabler,
      `its ${settings.percentile ?? PERCENTILE_MONITOR_DEFAULTS.percentile} monitor would get no data and never fire`,
    ),
};
