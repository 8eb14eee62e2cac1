import { Construct } from 'constructs';
import { aboutMetric, type ModelMonitorKind, type ModelMonitorSettings } from './model-monitor-kind';
import { Monitor } from '@cdktf/provider-datadog/lib/monitor';
import { aggregationProblems } from './metric-monitor';
import { DEFAULT_SCOPE, formatThreshold, groupedSeriesQuery, SpaceAggregation, TimeAggregation, windowSeconds } from '../metric-query';
import { commonProblems, MonitorCommonProps, monitorResource } from './monitor-resource';
import { addProblems, problemAt, type PropProblem } from '../problems';
import { metricNameProblems, thresholdProblems, windowProblems } from '../validation';

/** basic: no seasonality, quick to adapt; agile: seasonal, follows level shifts; robust: seasonal, stable. */
export type AnomalyAlgorithm = 'basic' | 'agile' | 'robust';
export const ANOMALY_ALGORITHMS: readonly AnomalyAlgorithm[] = ['basic', 'agile', 'robust'];
export type AnomalyDirection = 'both' | 'above' | 'below';
export const ANOMALY_DIRECTIONS: readonly AnomalyDirection[] = ['both', 'above', 'below'];
export type AnomalySeasonality = 'hourly' | 'daily' | 'weekly';
export const ANOMALY_SEASONALITIES: readonly AnomalySeasonality[] = ['hourly', 'daily', 'weekly'];

/** The defaults of the props that have one (the config schema states them too). */
export const ANOMALY_MONITOR_DEFAULTS = {
  algorithm: 'agile',
  deviations: 2,
  direction: 'both',
  alertWindow: 'last_15m',
  interval: 60,
  window: 'last_4h',
  critical: 1,
} as const;

export interface AnomalyMonitorProps extends MonitorCommonProps {
  /** Full Datadog metric name, e.g. `algorithmia.duration_milliseconds`. */
  readonly metricName: string;
  /** Monitor name as shown in Datadog. */
  readonly name: string;
  /** Notification body; the handles are appended after a blank line. */
  readonly message: string;
  /** @default 'agile' */
  readonly algorithm?: AnomalyAlgorithm;
  /**
   * Width of the expected band, in deviations (Datadog's "bounds").
   * @default 2
   */
  readonly deviations?: number;
  /**
   * Which side of the band alerts.
   * @default 'both'
   */
  readonly direction?: AnomalyDirection;
  /**
   * Season the agile and robust algorithms learn (they need three seasons of history); not
   * allowed with basic.
   * @default 'daily' for agile and robust, none for basic
   */
  readonly seasonality?: AnomalySeasonality;
  /**
   * How long the values must be anomalous before the monitor triggers (`alert_window`); 15 minutes
   * at least, as Datadog requires.
   * @default 'last_15m'
   */
  readonly alertWindow?: string;
  /**
   * The trigger window of `monitor_threshold_windows`; Datadog requires it to equal `alertWindow`.
   * @default alertWindow
   */
  readonly triggerWindow?: string;
  /**
   * How long the values must be normal again before the monitor recovers; 15 minutes at least.
   * @default alertWindow
   */
  readonly recoveryWindow?: string;
  /**
   * Seconds per point the model evaluates; at most a fifth of `alertWindow`.
   * @default 60
   */
  readonly interval?: number;
  /**
   * History shown and evaluated by the query (`avg(last_4h):anomalies(...)`); at least `alertWindow`.
   * @default 'last_4h'
   */
  readonly window?: string;
  /**
   * Share of the alert window that must be anomalous to alert, between 0 and 1 (1: all of it).
   * It is the query's threshold too.
   * @default 1
   */
  readonly critical?: number;
  /**
   * Share for a warning, between 0 and 1 and below `critical`.
   * @default no warning
   */
  readonly warning?: number;
  /**
   * Treat missing points as 0 (`count_default_zero='true'`), for count-like metrics.
   * @default false
   */
  readonly countDefaultZero?: boolean;
  /** @default 'avg' */
  readonly timeAggregation?: TimeAggregation;
  /** @default 'avg' */
  readonly spaceAggregation?: SpaceAggregation;
}

/**
 * Values outside the band a model of the metric's history predicts, e.g.
 * `avg(last_4h):anomalies(avg:algorithmia.duration_milliseconds{env:prod} by {algorithm_name}, 'agile', 3, direction='above', alert_window='last_30m', interval=60, seasonality='daily') >= 1`.
 * The query's threshold, `critical` and the trigger window are derived from one prop each, so
 * they never disagree (Datadog refuses the monitor otherwise).
 */
export class AnomalyMonitor extends Construct {
  readonly monitor: Monitor;
  readonly monitorId: string;
  readonly query: string;

  constructor(scope: Construct, id: string, props: AnomalyMonitorProps) {
    super(scope, id);
    const algorithm = props.algorithm ?? ANOMALY_MONITOR_DEFAULTS.algorithm;
    const deviations = props.deviations ?? ANOMALY_MONITOR_DEFAULTS.deviations;
    const direction = props.direction ?? ANOMALY_MONITOR_DEFAULTS.direction;
    const seasonality = props.seasonality ?? (algorithm === 'basic' ? undefined : 'daily');
    const alertWindow = props.alertWindow ?? ANOMALY_MONITOR_DEFAULTS.alertWindow;
    const triggerWindow = props.triggerWindow ?? alertWindow;
    const recoveryWindow = props.recoveryWindow ?? alertWindow;
    const interval = props.interval ?? ANOMALY_MONITOR_DEFAULTS.interval;
    const window = props.window ?? ANOMALY_MONITOR_DEFAULTS.window;
    const critical = props.critical ?? ANOMALY_MONITOR_DEFAULTS.critical;
    const timeAggregation = props.timeAggregation ?? 'avg';
    const spaceAggregation = props.spaceAggregation ?? 'avg';

    addProblems(this, [
      ...metricNameProblems(['metricName'], props.metricName),
      ...(ANOMALY_ALGORITHMS.includes(algorithm)
        ? []
        : [problemAt(['algorithm'], `"${algorithm}" is not an anomaly algorithm: use one of ${ANOMALY_ALGORITHMS.join(', ')}.`)]),
      ...(Number.isFinite(deviations) && deviations > 0
        ? []
        : [problemAt(['deviations'], `(${deviations}) must be a positive number of deviations, e.g. 2 (a wider band alerts less).`)]),
      ...(ANOMALY_DIRECTIONS.includes(direction)
        ? []
        : [problemAt(['direction'], `"${direction}" is not supported: use one of ${ANOMALY_DIRECTIONS.join(', ')}.`)]),
      ...seasonalityProblems(algorithm, props.seasonality),
      ...windowProblems(['window'], window),
      ...windowProblems(['alertWindow'], alertWindow),
      ...windowProblems(['recoveryWindow'], recoveryWindow),
      ...(triggerWindow === alertWindow
        ? []
        : [
            problemAt(
              ['triggerWindow'],
              `"${triggerWindow}" differs from alertWindow "${alertWindow}": Datadog requires them equal. Remove triggerWindow (it defaults to alertWindow) or set both to the same window.`,
            ),
          ]),
      ...shortestWindowProblems('alertWindow', alertWindow),
      ...(props.recoveryWindow === undefined ? [] : shortestWindowProblems('recoveryWindow', props.recoveryWindow)),
      ...intervalProblems(interval, alertWindow),
      ...windowOrderProblems(alertWindow, window),
      ...shareProblems('critical', critical),
      ...(props.warning === undefined ? [] : shareProblems('warning', props.warning)),
      ...thresholdProblems([], { critical, warning: props.warning, comparator: '>=' }),
      ...aggregationProblems(timeAggregation, spaceAggregation),
      ...commonProblems(props),
    ]);

    const series = groupedSeriesQuery(props.metricName, props.scope ?? DEFAULT_SCOPE, spaceAggregation, props.groupBy);
    const parameters = [
      `'${algorithm}'`,
      String(deviations),
      `direction='${direction}'`,
      `alert_window='${alertWindow}'`,
      `interval=${interval}`,
      ...(props.countDefaultZero ? ["count_default_zero='true'"] : []),
      ...(seasonality ? [`seasonality='${seasonality}'`] : []),
    ];
    this.query = `${timeAggregation}(${window}):anomalies(${series}, ${parameters.join(', ')}) >= ${formatThreshold(critical)}`;
    this.monitor = monitorResource(this, {
      ...props,
      query: this.query,
      critical,
      thresholdWindows: { triggerWindow, recoveryWindow },
    });
    this.monitorId = this.monitor.id;
  }
}

function seasonalityProblems(algorithm: AnomalyAlgorithm, seasonality: string | undefined): PropProblem[] {
  if (seasonality === undefined) return [];
  if (!ANOMALY_SEASONALITIES.includes(seasonality as AnomalySeasonality)) {
    return [problemAt(['seasonality'], `"${seasonality}" is not supported: use one of ${ANOMALY_SEASONALITIES.join(', ')}.`)];
  }
  if (algorithm === 'basic') {
    return [
      problemAt(
        ['seasonality'],
        `"${seasonality}" does not apply to the basic algorithm, which has none: remove seasonality, or use "agile" or "robust".`,
      ),
    ];
  }
  return [];
}

/** Datadog's anomaly monitors trigger and recover over 15 minutes at least. */
const SHORTEST_ANOMALY_WINDOW_SECONDS = 15 * 60;

function shortestWindowProblems(setting: string, window: string): PropProblem[] {
  const seconds = windowSeconds(window);
  if (seconds === undefined || seconds >= SHORTEST_ANOMALY_WINDOW_SECONDS) return [];
  return [
    problemAt(
      [setting],
      `"${window}" is shorter than 15 minutes, the shortest window Datadog's anomaly monitors allow: use "last_15m" or longer.`,
    ),
  ];
}

function intervalProblems(interval: number, alertWindow: string): PropProblem[] {
  if (!Number.isInteger(interval) || interval <= 0) {
    return [problemAt(['interval'], `(${interval}) must be a whole number of seconds, e.g. 60.`)];
  }
  const alertSeconds = windowSeconds(alertWindow);
  // A window shorter than Datadog allows is reported as such; a fifth of it is no interval to advise.
  if (alertSeconds !== undefined && alertSeconds >= SHORTEST_ANOMALY_WINDOW_SECONDS && interval > alertSeconds / 5) {
    return [
      problemAt(
        ['interval'],
        `(${interval} s) is more than a fifth of alertWindow "${alertWindow}" (${alertSeconds / 5} s): ` +
          `Datadog needs at least five points in the alert window. Lower interval to ${Math.floor(alertSeconds / 5)} or lengthen alertWindow.`,
      ),
    ];
  }
  return [];
}

function windowOrderProblems(alertWindow: string, window: string): PropProblem[] {
  const alertSeconds = windowSeconds(alertWindow);
  const windowLength = windowSeconds(window);
  if (alertSeconds === undefined || windowLength === undefined || alertSeconds <= windowLength) return [];
  return [
    problemAt(
      ['alertWindow'],
      `"${alertWindow}" is longer than window "${window}": the query must span the alert window. Lengthen window or shorten alertWindow.`,
    ),
  ];
}

function shareProblems(setting: string, value: number): PropProblem[] {
  if (Number.isFinite(value) && value > 0 && value <= 1) return [];
  return [
    problemAt(
      [setting],
      `(${value}) must be between 0 and 1 for an anomaly monitor: it is the share of the alert window that is anomalous ` +
        '(1 = all of it, 0.5 = half).',
    ),
  ];
}

export type AnomalyMonitorSettings = ModelMonitorSettings<AnomalyMonitorProps>;

/** `anomalyMonitors.<key>`: `anomaly_monitor_<key>`, named "[Algorithmia] Anomalous <key>". */
export const anomalyMonitorKind: ModelMonitorKind<AnomalyMonitorSettings, AnomalyMonitor> = {
  setting: 'anomalyMonitors',
  idPrefix: 'anomaly_monitor_',
  create: (scope, id, metric, settings, { label }) =>
    new AnomalyMonitor(scope, id, {
      ...settings,
      metricName: metric.name,
      name: settings.name ?? label(`[Algorithmia] Anomalous ${metric.key}`),
      message:
        settings.message ??
        `${metric.name}${aboutMetric(metric)} is outside the band the ${settings.algorithm ?? ANOMALY_MONITOR_DEFAULTS.algorithm} anomaly model expects ` +
          `(${settings.deviations ?? ANOMALY_MONITOR_DEFAULTS.deviations} deviations, direction ${settings.direction ?? ANOMALY_MONITOR_DEFAULTS.direction}) over ${settings.alertWindow ?? ANOMALY_MONITOR_DEFAULTS.alertWindow}.`,
    }),
};
