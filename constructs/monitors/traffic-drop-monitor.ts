import { Construct } from 'constructs';
import { Monitor } from '@cdktf/provider-datadog/lib/monitor';
import { DEFAULT_PREFIX, EXECUTIONS_METRIC, pipelineMetricName } from '@algorithmia-datadog/metric-declaration';
import { countSeriesQuery, DEFAULT_SCOPE, windowSeconds } from '../metric-query';
import { addProblems, problemAt, type PropProblem } from '../problems';
import { metricNameProblems } from '../validation';
import { countWindowProblems } from './count-window';
import { commonProblems, MissingDataMonitorProps, monitorResource } from './monitor-resource';

/** Traffic is compared with the same window a day or a week before: the cycles traffic follows. */
export type TrafficBaseline = 'last_1d' | 'last_1w';
export const TRAFFIC_BASELINES: readonly TrafficBaseline[] = ['last_1d', 'last_1w'];

/** The defaults of the props that have one (the config schema states them too). */
export const TRAFFIC_DROP_MONITOR_DEFAULTS = {
  window: 'last_1h',
  baseline: 'last_1d',
  dropPercent: 50,
  groupBy: ['algorithm_name'],
  name: '[Algorithmia] Traffic drop',
} as const;

export interface TrafficDropMonitorProps extends MissingDataMonitorProps {
  /** @default 'algorithmia.executions' */
  readonly metricName?: string;
  /**
   * The recent window whose executions are counted; at least 2 minutes, at most the baseline.
   * @default 'last_1h'
   */
  readonly window?: string;
  /**
   * Compared with the same window this long before: `last_1d` or `last_1w`.
   * @default 'last_1d'
   */
  readonly baseline?: TrafficBaseline;
  /**
   * Alerts when executions fell by more than this percentage of the baseline (0 < P ≤ 100).
   * @default 50
   */
  readonly dropPercent?: number;
  /** Warns at a smaller drop, between 0 and `dropPercent`. @default no warning */
  readonly warningPercent?: number;
  /** @default ['algorithm_name'] */
  readonly groupBy?: readonly string[];
  /** @default '[Algorithmia] Traffic drop' */
  readonly name?: string;
  /** @default a sentence naming the drop, window and baseline */
  readonly message?: string;
}

/**
 * Executions down by a percentage against the same window a day or a week before:
 * `pct_change(sum(last_1h),last_1d):sum:algorithmia.executions{env:prod} by {algorithm_name}.as_count() < -50`.
 * `on_missing_data: default` counts an empty window as 0, a 100 % drop.
 */
export class TrafficDropMonitor extends Construct {
  readonly monitor: Monitor;
  readonly monitorId: string;
  readonly query: string;

  constructor(scope: Construct, id: string, props: TrafficDropMonitorProps = {}) {
    super(scope, id);
    const metricName = props.metricName ?? pipelineMetricName(DEFAULT_PREFIX, EXECUTIONS_METRIC);
    const window = props.window ?? TRAFFIC_DROP_MONITOR_DEFAULTS.window;
    const baseline = props.baseline ?? TRAFFIC_DROP_MONITOR_DEFAULTS.baseline;
    const dropPercent = props.dropPercent ?? TRAFFIC_DROP_MONITOR_DEFAULTS.dropPercent;
    const groupBy = props.groupBy ?? TRAFFIC_DROP_MONITOR_DEFAULTS.groupBy;
    const name = props.name ?? TRAFFIC_DROP_MONITOR_DEFAULTS.name;
    addProblems(this, [
      ...metricNameProblems(['metricName'], metricName),
      ...countWindowProblems(['window'], window),
      ...baselineProblems(window, baseline),
      ...percentProblems(dropPercent, props.warningPercent),
      ...commonProblems({ ...props, name }),
    ]);
    const series = countSeriesQuery(metricName, props.scope ?? DEFAULT_SCOPE, groupBy);
    this.query = `pct_change(sum(${window}),${baseline}):${series} < -${dropPercent}`;
    this.monitor = monitorResource(this, {
      ...props,
      groupBy,
      name,
      message:
        props.message ??
        `Executions over ${window} fell by more than ${dropPercent} % compared with the same window ${baseline === 'last_1w' ? 'a week' : 'a day'} before (${metricName}).`,
      query: this.query,
      critical: -dropPercent,
      ...(props.warningPercent !== undefined ? { warning: -props.warningPercent } : {}),
      onMissingData: 'default',
    });
    this.monitorId = this.monitor.id;
  }
}

function baselineProblems(window: string, baseline: string): PropProblem[] {
  if (!(TRAFFIC_BASELINES as readonly string[]).includes(baseline)) {
    return [problemAt(['baseline'], `"${baseline}" is not supported: use "last_1d" (a day before) or "last_1w" (a week before).`)];
  }
  const length = windowSeconds(window);
  if (length !== undefined && length > (windowSeconds(baseline) as number)) {
    return [
      problemAt(
        ['window'],
        `"${window}" is longer than baseline "${baseline}": the two windows would overlap. Shorten the window or use "last_1w".`,
      ),
    ];
  }
  return [];
}

function percentProblems(dropPercent: number, warningPercent: number | undefined): PropProblem[] {
  const inRange = (value: number) => Number.isFinite(value) && value > 0 && value <= 100;
  const problems: PropProblem[] = [];
  if (!inRange(dropPercent)) {
    problems.push(problemAt(['dropPercent'], `(${dropPercent}) must be a percentage above 0 and at most 100 (100: no executions at all).`));
  }
  if (warningPercent !== undefined && !(inRange(warningPercent) && warningPercent < dropPercent)) {
    problems.push(
      problemAt(
        ['warningPercent'],
        `(${warningPercent}) must be a percentage above 0 and below dropPercent (${dropPercent}): the warning comes before the alert.`,
      ),
    );
  }
  return problems;
}
