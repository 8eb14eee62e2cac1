/**
 * Each monitor's settings in config/environments.json: the integration's duration and inference
 * monitors, and one entry per model-monitoring kind of the registry (MODEL_MONITOR_KINDS), which
 * the environment's definition turns into `<kind>: { <metric key>: settings }`.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { PERCENTILES } from '../../constructs/metric-query';
import {
  ANOMALY_ALGORITHMS,
  ANOMALY_DIRECTIONS,
  ANOMALY_MONITOR_DEFAULTS,
  ANOMALY_SEASONALITIES,
} from '../../constructs/monitors/anomaly-monitor';
import { CHANGE_BASELINES, CHANGE_KINDS, CHANGE_MONITOR_DEFAULTS } from '../../constructs/monitors/change-monitor';
import { METRIC_MONITOR_DEFAULTS } from '../../constructs/monitors/metric-monitor';
import type { ModelMonitorKindName } from '../../constructs/monitors/kinds';
import { OUTLIER_ALGORITHMS, OUTLIER_MONITOR_DEFAULTS } from '../../constructs/monitors/outlier-monitor';
import { PERCENTILE_MONITOR_DEFAULTS } from '../../constructs/monitors/percentile-monitor';
import { Enum } from './builders';
import {
  COMPARATOR,
  criticalSetting,
  groupBySetting,
  monitorSettings,
  SPACE_AGGREGATION,
  TIME_AGGREGATION,
  WARNING,
  windowSetting,
} from './monitor-settings';

const EVALUATION_WINDOW = windowSetting('Evaluation window, last_<n><m|h|d|w>.', METRIC_MONITOR_DEFAULTS.window);

/** The threshold settings of the integration's own monitors. */
function thresholdMonitor<Critical extends TSchema>(description: string, critical: Critical) {
  return monitorSettings(
    {
      critical,
      warning: Type.Optional(WARNING),
      comparator: Type.Optional(COMPARATOR),
      window: Type.Optional(EVALUATION_WINDOW),
      timeAggregation: Type.Optional(TIME_AGGREGATION),
      spaceAggregation: Type.Optional(SPACE_AGGREGATION),
    },
    { description, layout: 'threshold' },
  );
}

export const DURATION_MONITOR = thresholdMonitor(
  "Overrides for the integration's 'Excessive Algorithm Runtime' monitor (default: > 10000 ms critical, 5000 ms warning over last_5m).",
  Type.Optional(criticalSetting(0.9)),
);

export const INFERENCE_MONITOR = thresholdMonitor('A monitor on one declared inference metric.', criticalSetting(0.9));

const REFERENCE = 'Reference: docs/model-monitoring.md.';

const CHANGE_MONITOR = monitorSettings(
  {
    change: Type.Optional(
      Enum(CHANGE_KINDS, {
        default: CHANGE_MONITOR_DEFAULTS.change,
        description: "pct_change: in percent of the baseline (20 = 20 %); change: in the metric's unit.",
      }),
    ),
    window: Type.Optional(windowSetting('The recent window whose aggregate is compared.', CHANGE_MONITOR_DEFAULTS.window)),
    baseline: Type.Optional(
      Enum(CHANGE_BASELINES, {
        default: CHANGE_MONITOR_DEFAULTS.baseline,
        description: 'How long before the window the baseline window is; at least as long as window.',
      }),
    ),
    critical: criticalSetting(20),
    warning: Type.Optional(WARNING),
    comparator: Type.Optional(COMPARATOR),
    timeAggregation: Type.Optional(TIME_AGGREGATION),
    spaceAggregation: Type.Optional(SPACE_AGGREGATION),
  },
  {
    description: `Prediction drift: change() or pct_change() of the metric over a window against the same window a baseline earlier. ${REFERENCE}`,
    layout: 'model',
  },
);

const ANOMALY_MONITOR = monitorSettings(
  {
    algorithm: Type.Optional(
      Enum(ANOMALY_ALGORITHMS, {
        default: ANOMALY_MONITOR_DEFAULTS.algorithm,
        description: 'basic: no seasonality; agile: seasonal, follows level shifts; robust: seasonal, stable.',
      }),
    ),
    deviations: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        default: ANOMALY_MONITOR_DEFAULTS.deviations,
        description: 'Width of the band in deviations (bounds).',
      }),
    ),
    direction: Type.Optional(
      Enum(ANOMALY_DIRECTIONS, { default: ANOMALY_MONITOR_DEFAULTS.direction, description: 'Which side of the band alerts.' }),
    ),
    seasonality: Type.Optional(
      Enum(ANOMALY_SEASONALITIES, {
        description: 'Season agile and robust learn (three seasons of history needed); not with basic. Default daily for agile and robust.',
      }),
    ),
    alertWindow: Type.Optional(
      windowSetting(
        'How long values must be anomalous before the monitor triggers (alert_window); 15 minutes at least, as Datadog requires.',
        ANOMALY_MONITOR_DEFAULTS.alertWindow,
      ),
    ),
    triggerWindow: Type.Optional(windowSetting("Must equal alertWindow (Datadog's rule); defaults to it.")),
    recoveryWindow: Type.Optional(
      windowSetting('How long values must be normal again before recovery; defaults to alertWindow; 15 minutes at least.'),
    ),
    interval: Type.Optional(
      Type.Integer({
        minimum: 1,
        default: ANOMALY_MONITOR_DEFAULTS.interval,
        description: 'Seconds per evaluated point; at most a fifth of alertWindow.',
      }),
    ),
    window: Type.Optional(windowSetting('History the query spans; at least alertWindow.', ANOMALY_MONITOR_DEFAULTS.window)),
    critical: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1,
        default: ANOMALY_MONITOR_DEFAULTS.critical,
        description: "Share of the alert window that must be anomalous, between 0 and 1; also the query's threshold.",
      }),
    ),
    warning: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Share for a warning, between 0 and 1 and below critical.' }),
    ),
    countDefaultZero: Type.Optional(Type.Boolean({ default: false, description: 'Treat missing points as 0 (count-like metrics).' })),
    timeAggregation: Type.Optional(TIME_AGGREGATION),
    spaceAggregation: Type.Optional(SPACE_AGGREGATION),
  },
  { description: `anomalies(): values outside the band a model of the metric's history expects. ${REFERENCE}`, layout: 'model' },
);

const OUTLIER_MONITOR = monitorSettings(
  {
    algorithm: Type.Optional(Enum(OUTLIER_ALGORITHMS, { default: OUTLIER_MONITOR_DEFAULTS.algorithm })),
    tolerance: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        default: OUTLIER_MONITOR_DEFAULTS.tolerance,
        description: 'How far from the others a series must be; larger alerts less.',
      }),
    ),
    percentage: Type.Optional(
      Type.Number({ minimum: 1, maximum: 100, description: "mad and scaledMAD only: percent of a series' points that must be outlying." }),
    ),
    window: Type.Optional(windowSetting('Evaluation window.', OUTLIER_MONITOR_DEFAULTS.window)),
    timeAggregation: Type.Optional(TIME_AGGREGATION),
    spaceAggregation: Type.Optional(SPACE_AGGREGATION),
  },
  {
    description: `Version regression: outliers() among the series of a group, by algorithm_version by default. ${REFERENCE}`,
    layout: 'model',
    groupBy: groupBySetting(`The series compared with one another; default ${JSON.stringify(OUTLIER_MONITOR_DEFAULTS.groupBy)}.`, {
      minItems: 1,
    }),
  },
);

const PERCENTILE_MONITOR = monitorSettings(
  {
    percentile: Type.Optional(Enum(PERCENTILES, { default: PERCENTILE_MONITOR_DEFAULTS.percentile })),
    critical: criticalSetting(8000),
    warning: Type.Optional(WARNING),
    comparator: Type.Optional(COMPARATOR),
    window: Type.Optional(EVALUATION_WINDOW),
    timeAggregation: Type.Optional(TIME_AGGREGATION),
  },
  {
    description: `A threshold on a percentile (p95:) of a metric declared as a distribution in config/metrics.json. ${REFERENCE}`,
    layout: 'model',
  },
);

/**
 * Each registry kind's settings and how the environment describes the kind; a new kind needs its
 * entry here (the type says which are missing).
 */
export const MODEL_MONITOR_SETTINGS = {
  changeMonitors: { settings: CHANGE_MONITOR, description: 'Prediction drift monitors (change/pct_change)' },
  anomalyMonitors: { settings: ANOMALY_MONITOR, description: 'Anomaly monitors' },
  outlierMonitors: { settings: OUTLIER_MONITOR, description: 'Version regression (outliers) monitors' },
  percentileMonitors: { settings: PERCENTILE_MONITOR, description: 'Percentile threshold monitors on distribution metrics' },
} as const satisfies Readonly<Record<ModelMonitorKindName, { readonly settings: TSchema; readonly description: string }>>;
