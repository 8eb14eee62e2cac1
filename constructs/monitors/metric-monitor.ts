import { Construct } from 'constructs';
import { Monitor } from '@cdktf/provider-datadog/lib/monitor';
import { formatThreshold, groupedSeriesQuery, DEFAULT_SCOPE, SpaceAggregation, TimeAggregation } from '../metric-query';
import { commonProblems, INTEGRATION_TAG, MonitorNotificationOptions, monitorResource } from './monitor-resource';
import { addProblems, problemAt, type PropProblem } from '../problems';
import { Comparator, metricNameProblems, thresholdProblems, windowProblems } from '../validation';

// Still exported from here, where they used to live, for code that imports them from this module.
export { INTEGRATION_TAG };
export type { MonitorNotificationOptions };

/** Space and time aggregations of threshold, change and outlier queries. */
export const AGGREGATIONS: readonly TimeAggregation[] = ['avg', 'sum', 'min', 'max'];

/** Problems with a time and a space aggregation. */
export function aggregationProblems(timeAggregation: string, spaceAggregation: string): PropProblem[] {
  const known = AGGREGATIONS as readonly string[];
  return [
    ...(known.includes(timeAggregation)
      ? []
      : [problemAt(['timeAggregation'], `"${timeAggregation}" is not supported: use one of ${AGGREGATIONS.join(', ')}.`)]),
    ...(known.includes(spaceAggregation)
      ? []
      : [problemAt(['spaceAggregation'], `"${spaceAggregation}" is not supported: use one of ${AGGREGATIONS.join(', ')}.`)]),
  ];
}

/** The defaults of the props that have one (the config schema states them too). */
export const METRIC_MONITOR_DEFAULTS = { window: 'last_5m' } as const;

/**
 * What to alert on and when. Shared by every threshold monitor of this library; the defaults of
 * the options reproduce the integration's "Excessive Algorithm Runtime" monitor.
 */
export interface MetricThresholdProps {
  /** Fires when the aggregated value crosses this (`> critical` by default). */
  readonly critical: number;
  /**
   * Warns before the critical alert; must be less severe than `critical`.
   * @default no warning
   */
  readonly warning?: number;
  /**
   * `>`/`>=` alert on high values, `<`/`<=` on low ones.
   * @default '>'
   */
  readonly comparator?: Comparator;
  /**
   * Evaluation window, `last_<n><m|h|d|w>`.
   * @default 'last_5m'
   */
  readonly window?: string;
  /**
   * How the window is reduced to one value.
   * @default 'avg'
   */
  readonly timeAggregation?: TimeAggregation;
  /**
   * How sources (hosts, algorithms) are combined.
   * @default 'avg'
   */
  readonly spaceAggregation?: SpaceAggregation;
  /**
   * The series to watch: what goes between the braces of the query, e.g. `env:prod`.
   * @default '*'
   */
  readonly scope?: string;
  /**
   * Tag keys to alert on separately, e.g. `['algorithm_name']`: a multi-alert monitor
   * (`... by {algorithm_name}`), one alert per algorithm, whose message names the group.
   * @default none: one alert over all series, as the integration's monitor
   */
  readonly groupBy?: readonly string[];
  /**
   * Who is notified, appended to the message: `@slack-<channel>`, `@pagerduty-<service>`, `@<email>`.
   * @default none
   */
  readonly notificationHandles?: readonly string[];
  /**
   * Monitor tags.
   * @default ['integration:algorithmia']
   */
  readonly tags?: readonly string[];
}

export interface MetricMonitorProps extends MetricThresholdProps, MonitorNotificationOptions {
  /** Full Datadog metric name, e.g. `algorithmia.risk_score`. */
  readonly metricName: string;
  /** Monitor name as shown in Datadog. */
  readonly name: string;
  /** Notification body; the handles are appended after a blank line. */
  readonly message: string;
}

/**
 * A Datadog "query alert" on one metric. The query is derived from the thresholds, window and
 * scope, so the query's threshold and `critical` cannot disagree (Datadog would reject that).
 */
export class MetricMonitor extends Construct {
  readonly monitor: Monitor;
  /** The monitor's id, for alert widgets. A Terraform reference, resolved at apply time. */
  readonly monitorId: string;
  readonly query: string;

  constructor(scope: Construct, id: string, props: MetricMonitorProps) {
    super(scope, id);
    const comparator = props.comparator ?? '>';
    const window = props.window ?? METRIC_MONITOR_DEFAULTS.window;
    const timeAggregation = props.timeAggregation ?? 'avg';
    const spaceAggregation = props.spaceAggregation ?? 'avg';
    const filter = props.scope ?? DEFAULT_SCOPE;
    const groupBy = props.groupBy ?? [];

    addProblems(this, [
      ...metricNameProblems(['metricName'], props.metricName),
      ...thresholdProblems([], { critical: props.critical, warning: props.warning, comparator }),
      ...windowProblems(['window'], window),
      ...aggregationProblems(timeAggregation, spaceAggregation),
      ...commonProblems(props),
    ]);

    const series = groupedSeriesQuery(props.metricName, filter, spaceAggregation, groupBy);
    this.query = `${timeAggregation}(${window}):${series} ${comparator} ${formatThreshold(props.critical)}`;
    this.monitor = monitorResource(this, { ...props, query: this.query });
    this.monitorId = this.monitor.id;
  }
}
