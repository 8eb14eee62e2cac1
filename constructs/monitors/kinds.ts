/**
 * The registry of model-monitoring kinds, and their public API: an environment declares each kind
 * under its setting, keyed by metric key (any declared metric, `duration_milliseconds` included).
 * A new kind is its module (construct + `ModelMonitorKind`) and its lines here; its settings'
 * definition goes in config/schema/monitors.ts.
 */
import { Construct } from 'constructs';
import { anomalyMonitorKind } from './anomaly-monitor';
import { changeMonitorKind } from './change-monitor';
import type { ModelMonitorKind } from './model-monitor-kind';
import { outlierMonitorKind } from './outlier-monitor';
import { percentileMonitorKind } from './percentile-monitor';

export * from './change-monitor';
export * from './anomaly-monitor';
export * from './outlier-monitor';
export * from './percentile-monitor';
export type { KindContext, KindDefaults, ModelMonitorKind, ModelMonitorSettings, SharedMonitorSettings } from './model-monitor-kind';

/** Every kind, under the setting an environment declares it with. */
export const MODEL_MONITOR_KINDS = {
  /** Prediction drift (`change()` / `pct_change()` against a baseline). */
  changeMonitors: changeMonitorKind,
  /** `anomalies()`: values outside the band a model of the metric's history expects. */
  anomalyMonitors: anomalyMonitorKind,
  /** Version regression (`outliers()` by `algorithm_version`). */
  outlierMonitors: outlierMonitorKind,
  /** Percentile thresholds (`p95:`) on distribution metrics. */
  percentileMonitors: percentileMonitorKind,
} as const;

type Kinds = typeof MODEL_MONITOR_KINDS;
/** A kind's setting, e.g. `anomalyMonitors`. */
export type ModelMonitorKindName = keyof Kinds;
type SettingsOf<K> = K extends ModelMonitorKind<infer Settings, Construct> ? Settings : never;
type MonitorOf<K> = K extends ModelMonitorKind<unknown, infer Monitor> ? Monitor : never;

/** Each kind's monitors, keyed by metric key. @default none of them */
export type ModelMonitorsProps = {
  readonly [Name in ModelMonitorKindName]?: Readonly<Record<string, SettingsOf<Kinds[Name]>>>;
};

/** The monitors created, per kind, keyed by metric key. */
export type ModelMonitorSet = { readonly [Name in ModelMonitorKindName]: ReadonlyMap<string, MonitorOf<Kinds[Name]>> };
