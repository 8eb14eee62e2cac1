/**
 * What the Datadog metrics intake accepts, as pure functions: endpoints, size limits, and the
 * checks on a decoded JSON body. Used by the Datadog double (datadog-double.ts) and the bench
 * intake; kept apart so the rules can be read (and changed) in one place. Sources:
 * shared/reference/datadog-api.md, and Datadog's own API models (datadog-models.ts): a body is
 * first checked against the official model of its endpoint, then against the rules below.
 *
 * Where the double is stricter than Datadog, on purpose:
 * - A metric name Datadog would silently rewrite (a character outside [A-Za-z0-9_.], not starting
 *   with a letter, over 200 characters) is rejected: a rewritten name is another metric than the
 *   one declared, so the forwarder must never send one.
 * - A timestamp outside [now - 1 h, now + 10 min] is, by default, rejected with 400. Datadog
 *   answers 202 and silently does not ingest such a point (unless historical ingestion is enabled
 *   on the metric); a silent loss is what the tests must see, so the double makes it loud. The
 *   option `outOfWindowTimestamps: 'drop'` imitates Datadog instead (202, point not recorded,
 *   counted as dropped).
 * - Timestamps must be integers (POSIX seconds) on every endpoint.
 * - One invalid series rejects the whole request, and nothing of it is recorded.
 */

import { modelProblems } from './datadog-models';

export type DatadogEndpoint = 'v2/series' | 'v1/series' | 'v1/distribution_points';

export const ENDPOINT_BY_PATH: Readonly<Record<string, DatadogEndpoint>> = {
  '/api/v2/series': 'v2/series',
  '/api/v1/series': 'v1/series',
  '/api/v1/distribution_points': 'v1/distribution_points',
};

export interface PayloadLimits {
  /** Bytes on the wire, compressed or not. */
  maxWireBytes: number;
  /** Bytes after Content-Encoding is undone. */
  maxDecodedBytes: number;
}

export const LIMITS: Readonly<Record<DatadogEndpoint, PayloadLimits>> = {
  'v2/series': { maxWireBytes: 512_000, maxDecodedBytes: 5_242_880 },
  'v1/series': { maxWireBytes: 3_200_000, maxDecodedBytes: 62_914_560 },
  'v1/distribution_points': { maxWireBytes: 3_200_000, maxDecodedBytes: 62_914_560 },
};

/** v2 `type` 0..3, v1 `type` strings, and distributions. */
export type MetricKind = 'unspecified' | 'count' | 'rate' | 'gauge' | 'distribution';
const V2_TYPES: readonly MetricKind[] = ['unspecified', 'count', 'rate', 'gauge'];
const V1_TYPES: ReadonlySet<string> = new Set(['gauge', 'count', 'rate']);

export interface MetricResource {
  name: string;
  type: string;
}

/** One accepted point, flattened out of its series. */
export interface AcceptedPoint {
  endpoint: DatadogEndpoint;
  metric: string;
  type: MetricKind;
  /** POSIX seconds. */
  timestamp: number;
  /** The value, on the series endpoints. */
  value?: number;
  /** The values, on the distribution endpoint. */
  values?: readonly number[];
  tags: readonly string[];
  unit?: string;
  interval?: number;
  host?: string;
  resources?: readonly MetricResource[];
}

export interface TimestampWindow {
  nowSeconds: number;
  /** How far in the past a timestamp may be (Datadog: 1 hour). */
  maxAgeSeconds: number;
  /** How far in the future a timestamp may be (Datadog: 10 minutes). */
  maxAheadSeconds: number;
  /** 'reject': 400 for the request; 'drop': accept the rest and skip the point, as Datadog does. */
  outOfWindow: 'reject' | 'drop';
}

export type PayloadVerdict = { ok: true; series: number; points: AcceptedPoint[]; droppedPoints: number } | { ok: false; errors: string[] };

const METRIC_NAME = /^[A-Za-z][A-Za-z0-9_.]{0,199}$/;
const MAX_REPORTED_ERRORS = 10;

export function isValidMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/**
 * Checks a parsed JSON body for `endpoint`, against Datadog's model of it and then the rules above;
 * returns its points flattened, or why it is refused.
 */
export function validatePayload(endpoint: DatadogEndpoint, body: unknown, window: TimestampWindow): PayloadVerdict {
  const problems = modelProblems(endpoint, body);
  if (problems.length > 0) return { ok: false, errors: problems };
  const errors: string[] = [];
  const points: AcceptedPoint[] = [];
  let droppedPoints = 0;
  const fail = (message: string): void => {
    errors.push(message);
  };

  if (!isObject(body) || !Array.isArray(body.series)) {
    return { ok: false, errors: ['body must be a JSON object with a "series" array'] };
  }
  if (body.series.length === 0) {
    return { ok: false, errors: ['"series" must not be empty'] };
  }

  /** Applies the timestamp window; false when the point must not be recorded. */
  const timestampAccepted = (where: string, timestamp: number): boolean => {
    const oldest = window.nowSeconds - window.maxAgeSeconds;
    const newest = window.nowSeconds + window.maxAheadSeconds;
    if (timestamp >= oldest && timestamp <= newest) return true;
    if (window.outOfWindow === 'drop') {
      droppedPoints += 1;
      return false;
    }
    const direction =
      timestamp < oldest ? `more than ${window.maxAgeSeconds} s in the past` : `more than ${window.maxAheadSeconds} s in the future`;
    fail(`${where}: timestamp ${timestamp} is ${direction} (now ${window.nowSeconds}); Datadog would not ingest it`);
    return false;
  };

  body.series.forEach((series: unknown, index: number) => {
    if (errors.length > MAX_REPORTED_ERRORS) return;
    const where = `series[${index}]`;
    if (!isObject(series)) {
      fail(`${where}: must be an object`);
      return;
    }
    const metric = series.metric;
    if (typeof metric !== 'string' || !isValidMetricName(metric)) {
      fail(
        `${where}.metric: ${JSON.stringify(metric)} is not a valid metric name (a letter, then letters, digits, "_" or "."; at most 200)`,
      );
      return;
    }
    const at = `${where} (${metric})`;
    const tags = series.tags ?? [];
    if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) {
      fail(`${at}.tags: must be an array of strings`);
      return;
    }
    if (!Array.isArray(series.points) || series.points.length === 0) {
      fail(`${at}.points: must be a non-empty array`);
      return;
    }
    const host = optionalString(series.host, `${at}.host`, fail);
    const interval = optionalInteger(series.interval, `${at}.interval`, fail);
    const base = { endpoint, metric, tags: tags };

    if (endpoint === 'v2/series') {
      const type = series.type ?? 0;
      if (!Number.isInteger(type) || (type as number) < 0 || (type as number) > 3) {
        fail(`${at}.type: must be an integer 0 (unspecified), 1 (count), 2 (rate) or 3 (gauge), got ${JSON.stringify(type)}`);
        return;
      }
      const unit = optionalString(series.unit, `${at}.unit`, fail);
      const resources = series.resources;
      if (resources !== undefined && !(Array.isArray(resources) && resources.every(isResource))) {
        fail(`${at}.resources: must be an array of {name, type} strings`);
        return;
      }
      series.points.forEach((point: unknown, pointIndex: number) => {
        const pointAt = `${at}.points[${pointIndex}]`;
        if (!isObject(point) || !Number.isInteger(point.timestamp) || !isFiniteNumber(point.value)) {
          fail(`${pointAt}: must be {"timestamp": integer seconds, "value": number}, got ${JSON.stringify(point)}`);
          return;
        }
        if (!timestampAccepted(pointAt, point.timestamp as number)) return;
        points.push({
          ...base,
          type: V2_TYPES[type as number],
          timestamp: point.timestamp as number,
          value: point.value,
          ...(unit !== undefined && { unit }),
          ...(interval !== undefined && { interval }),
          ...(host !== undefined && { host }),
          ...(resources !== undefined && { resources: resources as MetricResource[] }),
        });
      });
      return;
    }

    if (endpoint === 'v1/series') {
      const type = series.type ?? 'gauge';
      if (typeof type !== 'string' || !V1_TYPES.has(type)) {
        fail(`${at}.type: must be "gauge", "count" or "rate", got ${JSON.stringify(type)}`);
        return;
      }
      series.points.forEach((point: unknown, pointIndex: number) => {
        const pointAt = `${at}.points[${pointIndex}]`;
        if (!Array.isArray(point) || point.length !== 2 || !Number.isInteger(point[0]) || !isFiniteNumber(point[1])) {
          fail(`${pointAt}: must be [integer seconds, number], got ${JSON.stringify(point)}`);
          return;
        }
        if (!timestampAccepted(pointAt, point[0])) return;
        points.push({
          ...base,
          type: type as MetricKind,
          timestamp: point[0],
          value: point[1],
          ...(interval !== undefined && { interval }),
          ...(host !== undefined && { host }),
        });
      });
      return;
    }

    // v1/distribution_points
    if (series.type !== undefined && series.type !== 'distribution') {
      fail(`${at}.type: must be "distribution" when given, got ${JSON.stringify(series.type)}`);
      return;
    }
    series.points.forEach((point: unknown, pointIndex: number) => {
      const pointAt = `${at}.points[${pointIndex}]`;
      if (
        !Array.isArray(point) ||
        point.length !== 2 ||
        !Number.isInteger(point[0]) ||
        !Array.isArray(point[1]) ||
        point[1].length === 0 ||
        !point[1].every(isFiniteNumber)
      ) {
        fail(`${pointAt}: must be [integer seconds, [number, ...]], got ${JSON.stringify(point)}`);
        return;
      }
      if (!timestampAccepted(pointAt, point[0])) return;
      points.push({
        ...base,
        type: 'distribution',
        timestamp: point[0],
        values: point[1],
        ...(host !== undefined && { host }),
      });
    });
  });

  if (errors.length > 0) {
    const shown = errors.slice(0, MAX_REPORTED_ERRORS);
    if (errors.length > MAX_REPORTED_ERRORS) shown.push(`... and more errors`);
    return { ok: false, errors: shown };
  }
  return { ok: true, series: body.series.length, points, droppedPoints };
}

/** A tag set's identity: Datadog ignores the order of a point's tags. */
export function tagSetKey(tags: readonly string[]): string {
  return tags.length > 1 ? [...tags].sort().join(',') : tags.join(',');
}

/**
 * The identity of a point for duplicate detection: the same metric, tag set (order-insensitive,
 * as in Datadog), timestamp and value(s). Sending such a point twice is what at-least-once
 * delivery may do; counting it is how tests see it.
 */
export function pointKey(point: AcceptedPoint): string {
  const tags = tagSetKey(point.tags);
  const value = point.values !== undefined ? point.values.join(';') : String(point.value);
  return `${point.metric}|${tags}|${point.timestamp}|${value}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isResource(value: unknown): boolean {
  return isObject(value) && typeof value.name === 'string' && typeof value.type === 'string';
}

function optionalString(value: unknown, where: string, fail: (message: string) => void): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(`${where}: must be a string`);
  return typeof value === 'string' ? value : undefined;
}

function optionalInteger(value: unknown, where: string, fail: (message: string) => void): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || (value as number) < 0) fail(`${where}: must be a non-negative integer`);
  return Number.isInteger(value) ? (value as number) : undefined;
}
