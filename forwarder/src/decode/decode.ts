import { isUtf8 } from 'node:buffer';
import type { DecodeFailure, Insight } from './insight';
import { parseJsonAllowingNonFinite } from './json';
import { parseTimeSeconds } from './time';

export type DecodeResult = { readonly ok: true; readonly insight: Insight } | ({ readonly ok: false } & DecodeFailure);

/**
 * Kafka record value → Insight. Never throws: every way a message can be unreadable is a
 * `DecodeFailure` with a reason, so one bad record cannot stop its partition.
 *
 * @param recordTimestampMs the Kafka record's timestamp, used when the message has no usable time
 */
export function decodeInsight(value: Buffer | null, recordTimestampMs: number): DecodeResult {
  if (value === null || value.length === 0) return failure('empty', 'the record has no value');
  if (!isUtf8(value)) return failure('not_utf8', 'the value is not valid UTF-8');

  let parsed: unknown;
  try {
    parsed = parseJsonAllowingNonFinite(value.toString('utf8'));
  } catch (error) {
    return failure('not_json', (error as Error).message);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return failure(
      'not_an_object',
      `the value is JSON ${parsed === null ? 'null' : Array.isArray(parsed) ? 'array' : typeof parsed}, not an object`,
    );
  }

  const message = parsed as Record<string, unknown>;
  // A plain object is quicker to fill and read; with a key "__proto__", one without a prototype,
  // so that the key is a field like any other and not a prototype to inherit from.
  const fields = (Object.hasOwn(message, '__proto__') ? Object.create(null) : {}) as Record<string, unknown>;
  let algorithmName: string | undefined;
  let algorithmOwner: string | undefined;
  let algorithmVersion: string | undefined;
  let requestId: string | undefined;
  let sessionId: string | undefined;
  let time: unknown;
  let timestampField: unknown;
  for (const key in message) {
    const field = message[key];
    switch (key) {
      case 'algorithm_name':
        algorithmName = text(field);
        break;
      case 'algorithm_owner':
        algorithmOwner = text(field);
        break;
      case 'algorithm_version':
        algorithmVersion = text(field);
        break;
      case 'request_id':
        requestId = text(field);
        break;
      case 'session_id':
        sessionId = text(field);
        break;
      case 'time':
        time = field;
        break;
      case 'timestamp':
        timestampField = field;
        break;
      default:
        fields[key] = field;
    }
  }

  let timestamp = parseTimeSeconds(time) ?? parseTimeSeconds(timestampField);
  const timeFromRecord = timestamp === undefined;
  if (timestamp === undefined) {
    timestamp = parseTimeSeconds(recordTimestampMs);
    if (timestamp === undefined) return failure('no_time', 'neither the message nor the record has a usable time');
  }
  return {
    ok: true,
    insight: { algorithmName, algorithmOwner, algorithmVersion, requestId, sessionId, timestamp, timeFromRecord, fields },
  };
}

/** Operational fields are documented as strings; a number (version 2) still names the same thing. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function failure(reason: DecodeFailure['reason'], detail: string): DecodeResult {
  return { ok: false, reason, detail };
}
