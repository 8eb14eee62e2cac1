/**
 * One request body, checked after it was answered: undo its Content-Encoding, parse it, apply
 * Datadog's rules (the double's validatePayload: names, tags, integer timestamps in the window,
 * finite values, size limits) and hand every point to the ledger. A body Datadog would have
 * refused is counted as refused with its reason: the bench then fails, since a real intake would
 * not have ingested it.
 */
import { BodyDecodeError, type DatadogEndpoint, decodeBody, LIMITS, validatePayload } from '@algorithmia-datadog/testbed';
import type { PointLedger } from './point-ledger';

export interface BodyVerdict {
  /** Undefined when accepted; else why Datadog would have refused it. */
  refused?: string;
  decodedBytes: number;
  points: number;
}

export function verifyBody(ledger: PointLedger, endpoint: DatadogEndpoint, encoding: string, body: Uint8Array, nowMs: number): BodyVerdict {
  const limits = LIMITS[endpoint];
  let decoded: Buffer;
  try {
    decoded = decodeBody(encoding, Buffer.from(body.buffer, body.byteOffset, body.byteLength), limits.maxDecodedBytes);
  } catch (error) {
    if (!(error instanceof BodyDecodeError)) throw error;
    return { refused: error.message, decodedBytes: 0, points: 0 };
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded.toString('utf8'));
  } catch (error) {
    return { refused: `not JSON: ${(error as Error).message}`, decodedBytes: decoded.length, points: 0 };
  }
  const verdict = validatePayload(endpoint, parsed, {
    nowSeconds: Math.floor(nowMs / 1000),
    maxAgeSeconds: 3600,
    maxAheadSeconds: 600,
    outOfWindow: 'reject',
  });
  if (!verdict.ok) return { refused: verdict.errors.slice(0, 3).join('; '), decodedBytes: decoded.length, points: 0 };

  let points = 0;
  let lastTags: readonly string[] | undefined;
  let tagSet = -1;
  for (const point of verdict.points) {
    // Points of one series share their tags array: look the tag set up once per series.
    if (point.tags !== lastTags) {
      lastTags = point.tags;
      tagSet = ledger.tagSetOf(point.tags);
    }
    for (const value of point.values ?? [point.value as number]) {
      ledger.record(point.metric, tagSet, point.timestamp, value, point.tags);
      points++;
    }
  }
  return { decodedBytes: decoded.length, points };
}
