import { Construct } from 'constructs';
import { MetricDefinition } from '@algorithmia-datadog/metric-declaration';
import { AnomalyMonitor, AnomalyMonitorProps } from './anomaly-monitor';
import { ChangeMonitor, ChangeMonitorProps } from './change-monitor';
import { OutlierMonitor, OutlierMonitorProps } from './outlier-monitor';
import { PercentileMonitor, PercentileMonitorProps } from './percentile-monitor';

/**
 * The model-monitoring kinds as an environment declares them: keyed by metric key (any declared
 * metric, `duration_milliseconds` included), with the metric, name and message filled in.
 */
type Settings<P> = Omit<P, 'metricName' | 'metricKind' | 'name' | 'message'> & {
  /** @default '[Algorithmia] <kind> <key>' */
  readonly name?: string;
  /** @default a sentence naming the metric and the condition */
  readonly message?: string;
};

export type ChangeMonitorSettings = Settings<ChangeMonitorProps>;
export type AnomalyMonitorSettings = Settings<AnomalyMonitorProps>;
export type OutlierMonitorSettings = Settings<OutlierMonitorProps>;
export type PercentileMonitorSettings = Settings<PercentileMonitorProps>;

export interface ModelMonitorsProps {
  /**
   * Prediction drift (`change()` / `pct_change()` against a baseline), keyed by metric key.
   * @default none
   */
  readonly changeMonitors?: Readonly<Record<string, ChangeMonitorSettings>>;
  /**
   * `anomalies()` monitors, keyed by metric key.
   * @default none
   */
  readonly anomalyMonitors?: Readonly<Record<string, AnomalyMonitorSettings>>;
  /**
   * Version regression (`outliers()` by `algorithm_version`), keyed by metric key.
   * @default none
   */
  readonly outlierMonitors?: Readonly<Record<string, OutlierMonitorSettings>>;
  /**
   * Percentile thresholds (`p95:`) on distribution metrics, keyed by metric key.
   * @default none
   */
  readonly percentileMonitors?: Readonly<Record<string, PercentileMonitorSettings>>;
}

/** What the integration shares with every monitor that sets none itself. */
export interface ModelMonitorDefaults {
  readonly metrics: readonly MetricDefinition[];
  readonly scope?: string;
  readonly tags: readonly string[];
  readonly notificationHandles: readonly string[];
  readonly label: (text: string) => string;
}

export interface ModelMonitorSet {
  readonly change: ReadonlyMap<string, ChangeMonitor>;
  readonly anomaly: ReadonlyMap<string, AnomalyMonitor>;
  readonly outlier: ReadonlyMap<string, OutlierMonitor>;
  readonly percentile: ReadonlyMap<string, PercentileMonitor>;
}

const KINDS = ['changeMonitors', 'anomalyMonitors', 'outlierMonitors', 'percentileMonitors'] as const;
export type ModelMonitorKind = (typeof KINDS)[number];

/** Construct id prefix of each kind: `anomaly_monitor_<key>` comes from `anomalyMonitors.<key>`. */
const ID_PREFIXES: Readonly<Record<ModelMonitorKind, string>> = {
  changeMonitors: 'change_monitor_',
  anomalyMonitors: 'anomaly_monitor_',
  outlierMonitors: 'outlier_monitor_',
  percentileMonitors: 'percentile_monitor_',
};

/**
 * Which setting a monitor construct was made from, by its id (`anomaly_monitor_risk_score` →
 * `anomalyMonitors`, `risk_score`), so that a problem it reports can be shown at its config key.
 */
export function modelMonitorSetting(constructId: string): { readonly kind: ModelMonitorKind; readonly key: string } | undefined {
  for (const kind of KINDS) {
    if (constructId.startsWith(ID_PREFIXES[kind])) return { kind, key: constructId.slice(ID_PREFIXES[kind].length) };
  }
  return undefined;
}

/** Keys that name no declared metric, as problems naming the setting. */
export function undeclaredModelMonitorProblems(props: ModelMonitorsProps, metrics: readonly MetricDefinition[]): string[] {
  const declared = metrics.map((metric) => metric.key);
  return KINDS.flatMap((kind) =>
    Object.keys(props[kind] ?? {})
      .filter((key) => !declared.includes(key))
      .map(
        (key) =>
          `${kind}.${key}: no metric with key "${key}" is declared (declared: ${declared.join(', ')}). ` +
          'Declare it in config/metrics.json, or remove this monitor.',
      ),
  );
}

/** Creates the monitors of every kind in `scope`, named `<kind>_monitor_<key>`. */
export function addModelMonitors(scope: Construct, props: ModelMonitorsProps, defaults: ModelMonitorDefaults): ModelMonitorSet {
  const build = <S extends Settings<object>, M>(
    settings: Readonly<Record<string, S>> | undefined,
    create: (metric: MetricDefinition, shared: { scope?: string; tags: string[]; notificationHandles: readonly string[] }, entry: S) => M,
  ): Map<string, M> => {
    const monitors = new Map<string, M>();
    for (const metric of defaults.metrics) {
      const entry = settings?.[metric.key];
      if (!entry) continue;
      const own = entry as { scope?: string; tags?: readonly string[]; notificationHandles?: readonly string[] };
      monitors.set(
        metric.key,
        create(metric, { scope: own.scope ?? defaults.scope, tags: [...defaults.tags, ...(own.tags ?? [])], notificationHandles: own.notificationHandles ?? defaults.notificationHandles }, entry),
      );
    }
    return monitors;
  };
  const label = defaults.label;

  return {
    change: build(props.changeMonitors, (metric, shared, settings) => {
      const change = settings.change ?? 'pct_change';
      const unit = change === 'pct_change' ? ' %' : '';
      return new ChangeMonitor(scope, `${ID_PREFIXES.changeMonitors}${metric.key}`, {
        ...settings,
        ...shared,
        metricName: metric.name,
        name: settings.name ?? label(`[Algorithmia] Drift in ${metric.key}`),
        message:
          settings.message ??
          `The ${settings.timeAggregation ?? 'avg'} of ${metric.name}${about(metric)} over ${settings.window ?? 'last_1h'} changed ` +
            `by ${settings.comparator ?? '>'} ${settings.critical}${unit} compared with the same window ${settings.baseline ?? 'last_1d'} earlier (${change}).`,
      });
    }),
    anomaly: build(props.anomalyMonitors, (metric, shared, settings) =>
      new AnomalyMonitor(scope, `${ID_PREFIXES.anomalyMonitors}${metric.key}`, {
        ...settings,
        ...shared,
        metricName: metric.name,
        name: settings.name ?? label(`[Algorithmia] Anomalous ${metric.key}`),
        message:
          settings.message ??
          `${metric.name}${about(metric)} is outside the band the ${settings.algorithm ?? 'agile'} anomaly model expects ` +
            `(${settings.deviations ?? 2} deviations, direction ${settings.direction ?? 'both'}) over ${settings.alertWindow ?? 'last_15m'}.`,
      }),
    ),
    outlier: build(props.outlierMonitors, (metric, shared, settings) => {
      const groupBy = settings.groupBy ?? ['algorithm_version'];
      return new OutlierMonitor(scope, `${ID_PREFIXES.outlierMonitors}${metric.key}`, {
        ...settings,
        ...shared,
        metricName: metric.name,
        name: settings.name ?? label(`[Algorithmia] Outlier ${groupBy.join(', ')} in ${metric.key}`),
        message:
          settings.message ??
          `${metric.name}${about(metric)} of ${groupBy.map((key) => `${key} {{${key}.name}}`).join(', ')} behaves unlike the others ` +
            `over ${settings.window ?? 'last_30m'} (outliers, ${settings.algorithm ?? 'dbscan'}, tolerance ${settings.tolerance ?? 3}).`,
      });
    }),
    percentile: build(props.percentileMonitors, (metric, shared, settings) => {
      const percentile = settings.percentile ?? 'p95';
      return new PercentileMonitor(scope, `${ID_PREFIXES.percentileMonitors}${metric.key}`, {
        ...settings,
        ...shared,
        metricName: metric.name,
        metricKind: metric.kind,
        name: settings.name ?? label(`[Algorithmia] ${percentile} ${metric.key}`),
        message:
          settings.message ??
          `The ${percentile} of ${metric.name}${about(metric)} over ${settings.window ?? 'last_5m'} is ${settings.comparator ?? '>'} ${settings.critical}.`,
      });
    }),
  };
}

function about(metric: MetricDefinition): string {
  return metric.description ? ` (${metric.description})` : '';
}
