/**
 * Datadog's published contract, from its own API client (`@datadog/datadog-api-client`, whose
 * models are generated from Datadog's OpenAPI description): which body each metrics endpoint
 * takes, and which Content-Encoding values it lists. The double (datadog-double.ts) and the bench
 * intake check every body with these, so that neither can be looser than Datadog's own client.
 *
 * The client's ObjectSerializer does not refuse everything the spec forbids: it throws on a
 * missing required field or a value of the wrong type, but returns an unknown enum value marked
 * `_unparsed` and keeps an unknown field in `additionalProperties`. Both are refused here too.
 */
import { UnparsedObject } from '@datadog/datadog-api-client/dist/packages/datadog-api-client-common/util';
import type { DatadogEndpoint } from './datadog-payload';

interface Serializer {
  deserialize(data: unknown, type: string, format: string): unknown;
}

export type ApiVersion = 'v1' | 'v2';

interface EndpointModel {
  readonly version: ApiVersion;
  /** The model of the body. */
  readonly body: string;
  /** The model of the Content-Encoding header. */
  readonly contentEncoding: string;
  /** The request's media type in the spec (the client's MetricsApi sends it; it has no model). */
  readonly mediaType: string;
}

/** Each endpoint's models, as the client names them. */
export const ENDPOINT_MODELS: Readonly<Record<DatadogEndpoint, EndpointModel>> = {
  'v2/series': { version: 'v2', body: 'MetricPayload', contentEncoding: 'MetricContentEncoding', mediaType: 'application/json' },
  'v1/series': { version: 'v1', body: 'MetricsPayload', contentEncoding: 'MetricContentEncoding', mediaType: 'text/json' },
  'v1/distribution_points': {
    version: 'v1',
    body: 'DistributionPointsPayload',
    contentEncoding: 'DistributionPointsContentEncoding',
    mediaType: 'text/json',
  },
};

/**
 * The Content-Types an endpoint takes: the spec's, and application/json everywhere, which Datadog's
 * intake accepts on v1 too (Telegraf's Datadog output sends it to /api/v1/series).
 */
export function mediaTypeAllowed(endpoint: DatadogEndpoint, contentType: string): boolean {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json' || mediaType === ENDPOINT_MODELS[endpoint].mediaType;
}

/** Content-Encoding values worth asking the models about (the models' enums are not exported). */
const KNOWN_ENCODINGS = ['deflate', 'gzip', 'zstd1', 'zstd', 'br', 'compress', 'identity'] as const;

// Loaded when first needed (preloadModels): the v2 models take about 2 s to load, which a test
// that never starts a double should not pay, and a request should not wait for.
const serializers: Partial<Record<ApiVersion, Serializer>> = {};
function serializer(version: ApiVersion): Serializer {
  const loaded = serializers[version];
  if (loaded) return loaded;
  // Only the models of one API version, not the whole client (which would load every API too).
  const path = `@datadog/datadog-api-client/dist/packages/datadog-api-client-${version}/models/ObjectSerializer`;
  const { ObjectSerializer } = require(path) as { ObjectSerializer: Serializer };
  return (serializers[version] = ObjectSerializer);
}

/** Loads the models now, so that no request waits for them (the double and the intake, at start). */
export function preloadModels(): void {
  serializer('v1');
  serializer('v2');
}

/**
 * Whether the spec lists `encoding` for `endpoint`. No Content-Encoding at all (identity) is always
 * allowed: the header is optional.
 */
export function encodingAllowed(endpoint: DatadogEndpoint, encoding: string): boolean {
  if (encoding === 'identity') return true;
  const { version, contentEncoding } = ENDPOINT_MODELS[endpoint];
  return typeof serializer(version).deserialize(encoding, contentEncoding, '') === 'string';
}

/** The encodings the spec lists for `endpoint`, for messages. */
export function allowedEncodings(endpoint: DatadogEndpoint): string[] {
  return KNOWN_ENCODINGS.filter((encoding) => encoding !== 'identity' && encodingAllowed(endpoint, encoding));
}

/**
 * What the official model of `endpoint` finds wrong in a parsed body: empty when it fits. Problems
 * name the path (`series[2].type`) and what is wrong there.
 *
 * The model sees one series of each shape, and of its points one of each shape (`shapeOf`): the
 * serializer's verdict on a value depends on its keys, its types and its enum values only, so a
 * body of a million points in two shapes gets the verdict it would get whole. Turning each point
 * (or each of Telegraf's one-point series) into a class instance would cost the bench intake more
 * CPU than the processes it measures.
 */
export function modelProblems(endpoint: DatadogEndpoint, body: unknown): string[] {
  const { version, body: model } = ENDPOINT_MODELS[endpoint];
  const { reduced, seriesIndex, pointIndex } = onePerShape(body);
  const verdict = deserialized(version, model, reduced);
  if ('unfit' in verdict) return [`the body does not fit Datadog's ${model} model: ${verdict.unfit}`];
  // Paths back to the body's own series and point indexes.
  const original = (problem: string): string =>
    problem
      .replace(
        /^series\[(\d+)\]\.points\[(\d+)\]/,
        (_, s: string, p: string) => `series[${s}].points[${pointIndex[Number(s)]?.[Number(p)] ?? p}]`,
      )
      .replace(/^series\[(\d+)\]/, (_, s: string) => `series[${seriesIndex[Number(s)] ?? s}]`);
  return verdict.unparsed.map((problem) => `${original(problem)} (Datadog's ${model} model)`);
}

/**
 * What Datadog's official model `model` (as the client names it, e.g. `Monitor`) finds wrong in
 * `value`, a request body as sent: empty when it fits. Problems name the path (`options.on_missing_data`).
 * For any body of the API, not only the metrics endpoints': the provisioning contract tests check
 * what the Terraform provider sends with it.
 */
export function modelObjectProblems(version: ApiVersion, model: string, value: unknown): string[] {
  const verdict = deserialized(version, model, value);
  return 'unfit' in verdict ? [`does not fit Datadog's ${model} model: ${verdict.unfit}`] : verdict.unparsed;
}

/** The official serializer's verdict on `value` as `model`: why it does not fit, or the paths of values it left unparsed. */
function deserialized(version: ApiVersion, model: string, value: unknown): { unfit: string } | { unparsed: string[] } {
  let parsed: unknown;
  try {
    parsed = serializer(version).deserialize(value, model, '');
  } catch (error) {
    return { unfit: (error as Error).message };
  }
  if (parsed === undefined || parsed === null) return { unfit: 'empty' };
  const unparsed: string[] = [];
  findUnparsed(parsed, '', unparsed);
  return { unparsed };
}

/** The body cut to one series per shape, each with one point per shape, and where each kept one was. */
function onePerShape(body: unknown): { reduced: unknown; seriesIndex: number[]; pointIndex: number[][] } {
  const seriesIndex: number[] = [];
  const pointIndex: number[][] = [];
  if (!isRecord(body) || !Array.isArray(body.series)) return { reduced: body, seriesIndex, pointIndex };
  const seenSeries = new Set<string>();
  const series: unknown[] = [];
  body.series.forEach((entry: unknown, index) => {
    const shape = seriesShape(entry);
    if (seenSeries.has(shape)) return;
    seenSeries.add(shape);
    seriesIndex.push(index);
    if (!isRecord(entry) || !Array.isArray(entry.points)) {
      pointIndex.push([]);
      series.push(entry);
      return;
    }
    const seen = new Set<string>();
    const kept: unknown[] = [];
    const at: number[] = [];
    entry.points.forEach((point: unknown, p) => {
      const pointShape = shapeOf(point);
      if (seen.has(pointShape)) return;
      seen.add(pointShape);
      kept.push(point);
      at.push(p);
    });
    pointIndex.push(at);
    series.push({ ...entry, points: kept });
  });
  return { reduced: { ...body, series }, seriesIndex, pointIndex };
}

/**
 * A series' shape: its fields in order, with the values of all but the ones every model types as
 * plain strings (metric, host, tags), whose values cannot change the verdict; enums (v2 `type`,
 * the distribution `type`) and nested objects keep theirs.
 */
function seriesShape(entry: unknown): string {
  if (!isRecord(entry)) return shapeOf(entry);
  let shape = '';
  for (const key of Object.keys(entry)) {
    const value = entry[key];
    const plain = (key === 'metric' || key === 'host') && typeof value === 'string';
    shape += `${key}=${plain ? 'string' : key === 'tags' || key === 'points' ? shapeOf(value) : JSON.stringify(value)};`;
  }
  return shape;
}

/**
 * What the serializer's verdict on a value depends on: its type, an object's keys with their
 * shapes, an array's element shapes (each element is checked alone, whatever its position).
 */
function shapeOf(value: unknown): string {
  if (Array.isArray(value)) {
    // The common points, without building strings: [t, v] and [t, [v, ...]] of numbers.
    if (value.every((item) => typeof item === 'number')) return '[number]';
    if (value.every((item) => typeof item === 'string')) return '[string]';
    return `[${[...new Set(value.map(shapeOf))].sort().join('|')}]`;
  }
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 2 && typeof record.timestamp === 'number' && typeof record.value === 'number') return '{timestamp,value}';
  return `{${keys
    .sort()
    .map((key) => `${key}:${shapeOf(record[key])}`)
    .join(',')}}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_PROBLEMS = 10;

/** Walks what the serializer returned: values it could not parse, fields the model does not have. */
function findUnparsed(value: unknown, path: string, problems: string[]): void {
  if (problems.length >= MAX_PROBLEMS || typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => findUnparsed(item, `${path}[${index}]`, problems));
    return;
  }
  // A value of no type the model allows there: an unknown enum value, a oneOf matching no branch.
  if (value instanceof UnparsedObject) {
    problems.push(`${path || 'body'}: ${JSON.stringify(value._data)} is not a value the model allows here`);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const [key, field] of Object.entries(record)) {
    if (key === '_unparsed') continue;
    if (key === 'additionalProperties') {
      for (const unknown of Object.keys(field as object)) problems.push(`${join(path, unknown)}: unknown field`);
      continue;
    }
    findUnparsed(field, join(path, key), problems);
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
