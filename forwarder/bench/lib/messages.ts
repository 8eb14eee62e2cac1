/**
 * Benchmark and drill messages: realistic Algorithmia Insights payloads whose metric values carry
 * the message's sequence number, so every point the Datadog double accepts says which message it
 * came from. Message `id` has duration_milliseconds (value id) and its inference metrics: by
 * default risk_score and confidence (id + 0.5, id + 0.25), and with a larger shape inference_3 …
 * inference_25 (id + 0.5 + k/64). Math.floor(value) is the id; each slot's fraction is its own.
 */

import { EXECUTIONS_METRIC, FORWARDER_NAMESPACE, pipelineMetricName } from '@algorithmia-datadog/metric-declaration';

/** Inference metrics per message unless a shape says otherwise (risk_score, confidence). */
export const DEFAULT_INFERENCE_METRICS = 2;
/** Insights sends at most 25 inference metrics per message. */
export const MAX_INFERENCE_METRICS = 25;
export const DEFAULT_ALGORITHMS = 24;
export const DEFAULT_VERSIONS = 3;

export interface MessageShape {
  /** Distinct algorithm names. Default DEFAULT_ALGORITHMS. */
  algorithms?: number;
  /** Distinct versions per algorithm. Default DEFAULT_VERSIONS. */
  versions?: number;
  /** Inference metrics per message, 1 to MAX_INFERENCE_METRICS. Default DEFAULT_INFERENCE_METRICS. */
  inferenceMetrics?: number;
}

/** One numeric field of every message: its key, and its value's offset from the message id. */
interface MetricField {
  readonly key: string;
  readonly offset: number;
}

/** duration_milliseconds and the first two inference metrics: the fields the bench always sent. */
const NAMED_FIELDS = [
  { key: 'duration_milliseconds', offset: 0 },
  { key: 'risk_score', offset: 0.5 },
  { key: 'confidence', offset: 0.25 },
] as const satisfies readonly MetricField[];
type NamedMetric = `algorithmia.${(typeof NAMED_FIELDS)[number]['key']}`;

/**
 * Inference metric number k (1-based). Past the named ones: inference_k, id + 0.5 + k/64, below
 * id + 1, exact in binary floats, and apart from 0, 0.25 and 0.5 (a plain k/64 would make
 * inference_16 id + 0.25, confidence's value).
 */
function inferenceField(k: number): MetricField {
  return NAMED_FIELDS[k] ?? { key: `inference_${k}`, offset: 0.5 + k / 64 };
}

function inferenceMetricsOf(shape: MessageShape): number {
  const count = shape.inferenceMetrics ?? DEFAULT_INFERENCE_METRICS;
  if (!Number.isInteger(count) || count < 1 || count > MAX_INFERENCE_METRICS)
    throw new Error(`inference metrics per message must be an integer from 1 to ${MAX_INFERENCE_METRICS}, got ${count}`);
  return count;
}

/** Slot 0 is duration_milliseconds, slot k the k-th inference metric. */
function metricFields(shape: MessageShape): MetricField[] {
  const fields: MetricField[] = [NAMED_FIELDS[0]];
  for (let k = 1; k <= inferenceMetricsOf(shape); k++) fields.push(inferenceField(k));
  return fields;
}

/** The metrics every message of `shape` carries, as the forwarder names them in Datadog, by slot. */
export function trackedMetrics(shape: MessageShape = {}): string[] {
  return metricFields(shape).map((field) => `algorithmia.${field.key}`);
}

/** Message `id`'s value of tracked metric number `slot` is id + valueOffsets(shape)[slot]. */
export function valueOffsets(shape: MessageShape = {}): number[] {
  return metricFields(shape).map((field) => field.offset);
}

/** Points a message of `shape` makes: duration_milliseconds and each inference metric. */
export function pointsPerMessage(shape: MessageShape = {}): number {
  return 1 + inferenceMetricsOf(shape);
}

/** The default shape's tracked metrics (drills, latency). */
export const TRACKED_METRICS = trackedMetrics() as readonly NamedMetric[];
export const POINTS_PER_MESSAGE = pointsPerMessage();
/** The default shape's value offsets, by slot of TRACKED_METRICS. */
export const VALUE_OFFSETS: readonly number[] = valueOffsets();
/** The execution count the forwarder makes of every message (one per message, summed per 10 s). */
export const EXECUTIONS_METRIC_NAME = pipelineMetricName('algorithmia', EXECUTIONS_METRIC);
/** The forwarder's reports on itself: neither expected nor wrong. */
export const OWN_METRICS_PREFIX = `algorithmia.${FORWARDER_NAMESPACE}.`;

/** The Insights time format: ISO-8601, microseconds, no zone (UTC). */
export function insightsTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 23)}000`;
}

/** The inference metrics' `"key":` texts and value offsets, per count (built once, used per message). */
const inferenceTextByCount = new Map<number, { keys: string[]; offsets: number[] }>();

function inferenceText(shape: MessageShape): { keys: string[]; offsets: number[] } {
  const count = inferenceMetricsOf(shape);
  let text = inferenceTextByCount.get(count);
  if (!text) {
    const fields = metricFields(shape).slice(1);
    text = { keys: fields.map((field, k) => `${k === 0 ? '' : ','}"${field.key}":`), offsets: fields.map((field) => field.offset) };
    inferenceTextByCount.set(count, text);
  }
  return text;
}

/**
 * Message `id`, stamped `epochMs`. Built as text: producing a million of them must be cheap. The
 * inference metrics come first, then duration_milliseconds and the rest, as the bench always sent.
 */
export function insightJson(id: number, epochMs: number, shape: MessageShape = {}): string {
  const { algorithm, version } = tagSetOf(id, shape);
  const { keys, offsets } = inferenceText(shape);
  let inference = '';
  for (let i = 0; i < keys.length; i++) inference += `${keys[i]}${id + offsets[i]}`;
  return (
    `{${inference},"duration_milliseconds":${id},` +
    `"algorithm_version":"1.${algorithm % 4}.${version}","session_id":"rses-${id.toString(16).padStart(8, '0')}-5556-4aeb-a6d2-89493626bf4f",` +
    `"time":"${insightsTime(epochMs)}","algorithm_name":"algo_${algorithm}",` +
    `"request_id":"req-${id.toString(16).padStart(8, '0')}-a1cd-431c-a43a-bd2a06f4a6f4","algorithm_owner":"owner_${algorithm % 5}"}`
  );
}

/** Which (algorithm, version) message `id` belongs to. */
export function tagSetOf(id: number, shape: MessageShape = {}): { algorithm: number; version: number } {
  const algorithms = shape.algorithms ?? DEFAULT_ALGORITHMS;
  const versions = shape.versions ?? DEFAULT_VERSIONS;
  return { algorithm: id % algorithms, version: Math.floor(id / algorithms) % versions };
}

/** The Datadog tags of an (algorithm, version), as `key:value`, sorted (tag order means nothing). */
export function expectedTags(algorithm: number, version: number): string[] {
  return [`algorithm_name:algo_${algorithm}`, `algorithm_owner:owner_${algorithm % 5}`, `algorithm_version:1.${algorithm % 4}.${version}`];
}

/**
 * Throughput-bench messages are stamped `baseMs + (id % TIME_SPREAD_MS)`: spread over 4 minutes
 * (240 distinct seconds), all inside Datadog's 1-hour window for the length of a bench.
 */
export const TIME_SPREAD_MS = 240_000;

export function benchMessageTimeMs(id: number, baseMs: number): number {
  return baseMs + (id % TIME_SPREAD_MS);
}
