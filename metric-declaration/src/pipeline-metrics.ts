/**
 * The metrics the forwarder makes itself, not found in messages: the execution count of every
 * model, and the forwarder's own health. Both halves read their names, kinds and units here: the
 * forwarder sends them, the CDKTF app declares their metadata, widgets and monitors.
 */
import type { MetricKind } from './declaration';

/**
 * Counts are sent as Datadog counts (v2 type 1) over buckets of this many seconds of message time.
 * Datadog stores a count point as sent (the last write per series and timestamp wins), so each
 * forwarder process sends the running total of each bucket under its own instance tag.
 */
export const COUNT_INTERVAL_SECONDS = 10;

/** The tag that keeps each forwarder process's counts a series of their own. */
export const INSTANCE_TAG_KEY = 'forwarder_instance';

/** Key of the execution count: `<prefix>.executions`, one per Insights message with an algorithm name. */
export const EXECUTIONS_KEY = 'executions';

/** The forwarder's own metrics are `<prefix>.forwarder.<name>`. */
export const FORWARDER_NAMESPACE = 'forwarder';

/** Message keys that would land on the names above; a declaration may not use them. */
export const RESERVED_METRIC_KEYS: readonly string[] = [EXECUTIONS_KEY, FORWARDER_NAMESPACE];

/** True when a metric key (what follows the prefix) is a reserved name or lies under one. */
export function isReservedMetricKey(key: string): boolean {
  return RESERVED_METRIC_KEYS.some((reserved) => key === reserved || key.startsWith(`${reserved}.`));
}

export interface PipelineMetric {
  /** The name after the prefix, e.g. `executions`, `forwarder.consumer_lag_seconds`. */
  readonly suffix: string;
  readonly kind: MetricKind;
  /** A Datadog unit. */
  readonly unit?: string;
  readonly description: string;
  /** Tag keys the forwarder adds besides its own tags (FORWARDER_TAGS) and the instance tag. */
  readonly tagKeys: readonly string[];
}

export const EXECUTIONS_METRIC: PipelineMetric = {
  suffix: EXECUTIONS_KEY,
  kind: 'count',
  unit: 'execution',
  description: 'Insights messages (model executions) per algorithm, counted by the forwarder over 10 s of message time',
  tagKeys: ['algorithm_name', 'algorithm_version', 'algorithm_owner'],
};

const health = (
  name: string,
  kind: MetricKind,
  unit: string | undefined,
  description: string,
  tagKeys: readonly string[] = [],
): PipelineMetric => ({
  suffix: `${FORWARDER_NAMESPACE}.${name}`,
  kind,
  ...(unit !== undefined ? { unit } : {}),
  description,
  tagKeys,
});

/**
 * The forwarder's health, sent every report interval through its normal path. Counts are the
 * increase since the last report that went out; gauges the value at the report.
 */
export const FORWARDER_HEALTH_METRICS = {
  heartbeat: health('heartbeat', 'count', undefined, '1 per report interval from each running forwarder process'),
  consumerLag: health(
    'consumer_lag',
    'gauge',
    'message',
    'Records between the last one read and the high watermark, summed over the partitions the process reads',
    ['topic'],
  ),
  consumerLagSeconds: health(
    'consumer_lag_seconds',
    'gauge',
    'second',
    'Seconds the last record read is behind the newest one, on the partition furthest behind (0 when caught up)',
    ['topic'],
  ),
  messagesConsumed: health('messages.consumed', 'count', 'message', 'Kafka records read', ['topic']),
  messagesInvalid: health('messages.invalid', 'count', 'message', 'Records that could not be decoded, by reason', ['reason']),
  messagesDeadLettered: health('messages.dead_lettered', 'count', 'message', 'Undecodable records written to the dead-letter topic'),
  pointsSent: health('points.sent', 'count', 'point', 'Points accepted by Datadog', ['endpoint']),
  pointsRejected: health('points.rejected', 'count', 'point', 'Points in bodies Datadog refused for good, by endpoint and HTTP status', [
    'endpoint',
    'status',
  ]),
  pointsDropped: health('points.dropped', 'count', 'point', 'Values found in messages and not sent, by reason', ['reason']),
  retries: health('retries', 'count', 'request', 'Requests to Datadog sent again, by reason', ['endpoint', 'reason']),
  pointsBuffered: health('points.buffered', 'gauge', 'point', 'Points read and not yet accepted or refused'),
} as const satisfies Record<string, PipelineMetric>;

export type ForwarderHealthMetric = keyof typeof FORWARDER_HEALTH_METRICS;

/** The full Datadog name of a pipeline metric under a prefix (`''`: no prefix). */
export function pipelineMetricName(prefix: string, metric: PipelineMetric): string {
  return prefix ? `${prefix}.${metric.suffix}` : metric.suffix;
}
