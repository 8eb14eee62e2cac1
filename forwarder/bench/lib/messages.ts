/**
 * Benchmark and drill messages: realistic Algorithmia Insights payloads whose metric values carry
 * the message's sequence number, so every point the Datadog double accepts says which message it
 * came from. Message `id` has three metrics (duration_milliseconds, risk_score, confidence) with
 * values id, id + 0.5 and id + 0.25: Math.floor(value) is the id.
 */

import { EXECUTIONS_METRIC, FORWARDER_NAMESPACE, pipelineMetricName } from '@algorithmia-datadog/metric-declaration';

/** The metrics every message carries, as the forwarder names them in Datadog. */
export const TRACKED_METRICS = ['algorithmia.duration_milliseconds', 'algorithmia.risk_score', 'algorithmia.confidence'] as const;
export const POINTS_PER_MESSAGE = TRACKED_METRICS.length;
/** The execution count the forwarder makes of every message (one per message, summed per 10 s). */
export const EXECUTIONS_METRIC_NAME = pipelineMetricName('algorithmia', EXECUTIONS_METRIC);
/** The forwarder's reports on itself: neither expected nor wrong. */
export const OWN_METRICS_PREFIX = `algorithmia.${FORWARDER_NAMESPACE}.`;

export interface MessageShape {
  /** Distinct algorithm names. Default 24. */
  algorithms?: number;
  /** Distinct versions per algorithm. Default 3. */
  versions?: number;
}

/** The Insights time format: ISO-8601, microseconds, no zone (UTC). */
export function insightsTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 23)}000`;
}

/** Message `id`, stamped `epochMs`. Built as text: producing a million of them must be cheap. */
export function insightJson(id: number, epochMs: number, shape: MessageShape = {}): string {
  const { algorithm, version } = tagSetOf(id, shape);
  return (
    `{"risk_score":${id + 0.5},"confidence":${id + 0.25},"duration_milliseconds":${id},` +
    `"algorithm_version":"1.${algorithm % 4}.${version}","session_id":"rses-${id.toString(16).padStart(8, '0')}-5556-4aeb-a6d2-89493626bf4f",` +
    `"time":"${insightsTime(epochMs)}","algorithm_name":"algo_${algorithm}",` +
    `"request_id":"req-${id.toString(16).padStart(8, '0')}-a1cd-431c-a43a-bd2a06f4a6f4","algorithm_owner":"owner_${algorithm % 5}"}`
  );
}

/** Which (algorithm, version) message `id` belongs to. */
export function tagSetOf(id: number, shape: MessageShape = {}): { algorithm: number; version: number } {
  const algorithms = shape.algorithms ?? 24;
  const versions = shape.versions ?? 3;
  return { algorithm: id % algorithms, version: Math.floor(id / algorithms) % versions };
}

/** The Datadog tags of an (algorithm, version), as `key:value`, sorted (tag order means nothing). */
export function expectedTags(algorithm: number, version: number): string[] {
  return [`algorithm_name:algo_${algorithm}`, `algorithm_owner:owner_${algorithm % 5}`, `algorithm_version:1.${algorithm % 4}.${version}`];
}

/** Message `id`'s value of tracked metric number `slot` (see TRACKED_METRICS). */
export const VALUE_OFFSETS: readonly number[] = [0, 0.5, 0.25];

/**
 * Throughput-bench messages are stamped `baseMs + (id % TIME_SPREAD_MS)`: spread over 4 minutes
 * (240 distinct seconds), all inside Datadog's 1-hour window for the length of a bench.
 */
export const TIME_SPREAD_MS = 240_000;

export function benchMessageTimeMs(id: number, baseMs: number): number {
  return baseMs + (id % TIME_SPREAD_MS);
}
