import { Construct } from 'constructs';
import { aboutMetric, type ModelMonitorKind, type ModelMonitorSettings } from './model-monitor-kind';
import { Monitor } from '@cdktf/provider-datadog/lib/monitor';
import { aggregationProblems } from './metric-monitor';
import { DEFAULT_SCOPE, groupedSeriesQuery, SpaceAggregation, TimeAggregation } from '../metric-query';
import { commonProblems, MonitorCommonProps, monitorResource } from './monitor-resource';
import { addProblems, problemAt, type PropProblem } from '../problems';
import { metricNameProblems, windowProblems } from '../validation';

/** dbscan: for series that move together; mad / scaledMAD: robust to a few noisy series. */
export type OutlierAlgorithm = 'dbscan' | 'mad' | 'scaledMAD';
export const OUTLIER_ALGORITHMS: readonly OutlierAlgorithm[] = ['dbscan', 'mad', 'scaledMAD'];

/** The defaults of the props that have one (the config schema states them too). */
export const OUTLIER_MONITOR_DEFAULTS = { groupBy: ['algorithm_version'], algorithm: 'dbscan', tolerance: 3, window: 'last_30m' } as const;

export interface OutlierMonitorProps extends MonitorCommonProps {
  /** Full Datadog metric name, e.g. `algorithmia.risk_score`. */
  readonly metricName: string;
  /** Monitor name as shown in Datadog. */
  readonly name: string;
  /** Notification body; the handles are appended after a blank line. */
  readonly message: string;
  /**
   * The series compared with one another: one per version, so that a version that behaves unlike
   * the others alerts. Narrow `scope` to one algorithm (`algorithm_name:credit_card_approval`) or
   * add `algorithm_name` to compare versions within each algorithm.
   * @default ['algorithm_version']
   */
  readonly groupBy?: readonly string[];
  /** @default 'dbscan' */
  readonly algorithm?: OutlierAlgorithm;
  /**
   * How far from the others a series must be; larger alerts less.
   * @default 3
   */
  readonly tolerance?: number;
  /**
   * mad and scaledMAD only: percent of a series' points that must be outlying, 1 to 100.
   * @default none (Datadog's default)
   */
  readonly percentage?: number;
  /** @default 'last_30m' */
  readonly window?: string;
  /** @default 'avg' */
  readonly timeAggregation?: TimeAggregation;
  /** @default 'avg' */
  readonly spaceAggregation?: SpaceAggregation;
}

/**
 * Version regression: `avg(last_30m):outliers(avg:algorithmia.risk_score{env:prod} by {algorithm_version}, 'dbscan', 3) > 0`
 * alerts for each version whose series is an outlier among the versions.
 */
export class OutlierMonitor extends Construct {
  readonly monitor: Monitor;
  readonly monitorId: string;
  readonly query: string;

  constructor(scope: Construct, id: string, props: OutlierMonitorProps) {
    super(scope, id);
    const groupBy = props.groupBy ?? OUTLIER_MONITOR_DEFAULTS.groupBy;
    const algorithm = props.algorithm ?? OUTLIER_MONITOR_DEFAULTS.algorithm;
    const tolerance = props.tolerance ?? OUTLIER_MONITOR_DEFAULTS.tolerance;
    const window = props.window ?? OUTLIER_MONITOR_DEFAULTS.window;
    const timeAggregation = props.timeAggregation ?? 'avg';
    const spaceAggregation = props.spaceAggregation ?? 'avg';

    addProblems(this, [
      ...metricNameProblems(['metricName'], props.metricName),
      ...(groupBy.length > 0
        ? []
        : [
            problemAt(
              ['groupBy'],
              'is empty: outliers compare the series of a group with one another; give at least one tag key, e.g. ["algorithm_version"].',
            ),
          ]),
      ...(OUTLIER_ALGORITHMS.includes(algorithm)
        ? []
        : [problemAt(['algorithm'], `"${algorithm}" is not an outlier algorithm: use one of ${OUTLIER_ALGORITHMS.join(', ')}.`)]),
      ...(Number.isFinite(tolerance) && tolerance > 0
        ? []
        : [problemAt(['tolerance'], `(${tolerance}) must be a positive number, e.g. 3 (larger alerts less).`)]),
      ...percentageProblems(algorithm, props.percentage),
      ...windowProblems(['window'], window),
      ...aggregationProblems(timeAggregation, spaceAggregation),
      ...commonProblems({ ...props, groupBy }),
    ]);

    const series = groupedSeriesQuery(props.metricName, props.scope ?? DEFAULT_SCOPE, spaceAggregation, groupBy);
    const parameters = [`'${algorithm}'`, String(tolerance), ...(props.percentage !== undefined ? [String(props.percentage)] : [])];
    this.query = `${timeAggregation}(${window}):outliers(${series}, ${parameters.join(', ')}) > 0`;
    this.monitor = monitorResource(this, { ...props, groupBy, query: this.query, critical: 0 });
    this.monitorId = this.monitor.id;
  }
}

function percentageProblems(algorithm: OutlierAlgorithm, percentage: number | undefined): PropProblem[] {
  if (percentage === undefined) return [];
  if (algorithm === 'dbscan') {
    return [problemAt(['percentage'], 'applies to mad and scaledMAD only: remove it, or use algorithm "mad" or "scaledMAD".')];
  }
  if (!Number.isFinite(percentage) || percentage < 1 || percentage > 100) {
    return [problemAt(['percentage'], `(${percentage}) must be between 1 and 100 (percent of a series' points that are outlying).`)];
  }
  return [];
}

export type OutlierMonitorSettings = ModelMonitorSettings<OutlierMonitorProps>;

/** `outlierMonitors.<key>`: `outlier_monitor_<key>`, named "[Algorithmia] Outlier <groups> in <key>". */
export const outlierMonitorKind: ModelMonitorKind<OutlierMonitorSettings, OutlierMonitor> = {
  setting: 'outlierMonitors',
  idPrefix: 'outlier_monitor_',
  create: (scope, id, metric, settings, { label }) => {
    const groupBy = settings.groupBy ?? OUTLIER_MONITOR_DEFAULTS.groupBy;
    return new OutlierMonitor(scope, id, {
      ...settings,
      metricName: metric.name,
      name: settings.name ?? label(`[Algorithmia] Outlier ${groupBy.join(', ')} in ${metric.key}`),
      message:
        settings.message ??
        `${metric.name}${aboutMetric(metric)} of ${groupBy.map((key) => `${key} {{${key}.name}}`).join(', ')} behaves unlike the others ` +
          `over ${settings.window ?? OUTLIER_MONITOR_DEFAULTS.window} (outliers, ${settings.algorithm ?? OUTLIER_MONITOR_DEFAULTS.algorithm}, tolerance ${settings.tolerance ?? OUTLIER_MONITOR_DEFAULTS.tolerance}).`,
    });
  },
};
