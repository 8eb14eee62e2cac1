import { Construct } from 'constructs';
import type { MetricDefinition } from '@algorithmia-datadog/metric-declaration';

/**
 * What a kind of model monitor (drift, anomalies, outliers, percentiles...) tells the integration:
 * the setting it is declared under, how to build one monitor from a metric and its settings, and
 * the rules that need more than its own props. A kind is its construct's module plus one entry in
 * `MODEL_MONITOR_KINDS` (kinds.ts).
 */
export interface ModelMonitorKind<Settings, Monitor extends Construct> {
  /** The integration prop (and config/environments.json key) the kind is declared under. */
  readonly setting: string;
  /** Construct id of a monitor: `<idPrefix><metric key>`. */
  readonly idPrefix: string;
  /** One monitor of `metric`, from its settings with the integration's defaults applied. */
  create(
    scope: Construct,
    id: string,
    metric: MetricDefinition,
    settings: Settings & SharedMonitorSettings,
    defaults: KindDefaults,
  ): Monitor;
  /** Rules about one entry that need the integration's context, each naming the prop path from the entry. @default none */
  problems?(settings: Settings, metric: MetricDefinition, context: KindContext): string[];
}

/** The props every model monitor takes from the integration unless its settings set them. */
export interface SharedMonitorSettings {
  readonly scope?: string;
  readonly tags: string[];
  readonly notificationHandles: readonly string[];
}

/** What the integration gives every kind for default names and messages. */
export interface KindDefaults {
  /** Adds the environment's label to a monitor name: `[Algorithmia] Drift in risk_score (staging)`. */
  readonly label: (text: string) => string;
}

/** The organisation-wide facts a kind's rules may need. */
export interface KindContext {
  /** The stack that enables declared percentiles in this organisation; undefined when none does. */
  readonly percentilesEnabler?: string;
}

/**
 * A kind's settings as an environment declares them: its construct's props without what the
 * integration fills in (metric, name and message, which get defaults).
 */
export type ModelMonitorSettings<Props> = Omit<Props, 'metricName' | 'metricKind' | 'name' | 'message'> & {
  /** @default '[Algorithmia] <kind> <key>' */
  readonly name?: string;
  /** @default a sentence naming the metric and the condition */
  readonly message?: string;
};

/** ` (<description>)` after a metric name in a default message, or nothing. */
export function aboutMetric(metric: MetricDefinition): string {
  return metric.description ? ` (${metric.description})` : '';
}
