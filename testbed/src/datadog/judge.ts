/**
 * The checks Datadog makes on a metrics request, in the order that decides which error a bad
 * request gets: the API key (header or query parameter), the size on the wire, the media type, the Content-Encoding, the
 * decoded size, JSON, then the body (datadog-payload.ts, against the official models).
 */
import type http from 'node:http';
import { BodyDecodeError, decodeBody } from './content-encoding';
import { allowedEncodings, encodingAllowed, ENDPOINT_MODELS, mediaTypeAllowed } from './datadog-models';
import { validatePayload, type AcceptedPoint, type DatadogEndpoint, type PayloadLimits } from './datadog-payload';
import { headerValue, requestApiKey } from './http';

/** What the double answers a request, and what it accepted. */
export interface Verdict {
  status: number;
  errors: string[];
  decodedBytes: number;
  series: number;
  points: AcceptedPoint[];
  droppedPoints: number;
}

export interface JudgeContext {
  readonly apiKey: string;
  readonly limits: PayloadLimits;
  readonly nowSeconds: number;
  readonly outOfWindowTimestamps: 'reject' | 'drop';
}

export function judgeRequest(
  request: http.IncomingMessage,
  endpoint: DatadogEndpoint,
  body: Buffer | undefined,
  wireBytes: number,
  context: JudgeContext,
): Verdict {
  const refuse = (status: number, error: string, decodedBytes = 0): Verdict => ({
    status,
    errors: [error],
    decodedBytes,
    series: 0,
    points: [],
    droppedPoints: 0,
  });

  const key = requestApiKey(request);
  if (!key) return refuse(403, 'Forbidden: no API key (DD-API-KEY header or api_key query parameter)');
  if (key !== context.apiKey) return refuse(403, 'Forbidden: invalid API key');
  if (body === undefined) {
    return refuse(413, `Payload too large: ${wireBytes} bytes on the wire, at most ${context.limits.maxWireBytes}`);
  }
  const contentType = headerValue(request, 'content-type') ?? '';
  if (!mediaTypeAllowed(endpoint, contentType)) {
    const mediaTypes = [...new Set(['application/json', ENDPOINT_MODELS[endpoint].mediaType])].join(' or ');
    return refuse(400, `Content-Type must be ${mediaTypes}, got ${JSON.stringify(contentType)}`);
  }

  const encoding = (headerValue(request, 'content-encoding') ?? 'identity').toLowerCase();
  if (!encodingAllowed(endpoint, encoding)) {
    const allowed = allowedEncodings(endpoint).join(', ');
    return refuse(415, `Content-Encoding ${encoding} is not accepted on /api/${endpoint}: Datadog's API lists ${allowed}`);
  }
  let decoded: Buffer;
  try {
    decoded = decodeBody(encoding, body, context.limits.maxDecodedBytes);
  } catch (error) {
    if (!(error instanceof BodyDecodeError)) throw error;
    return refuse(error.tooLarge ? 413 : 400, error.tooLarge ? `Payload too large: ${error.message}` : `body is ${error.message}`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded.toString('utf8'));
  } catch (error) {
    return refuse(400, `body is not JSON: ${(error as Error).message}`, decoded.length);
  }
  const verdict = validatePayload(endpoint, parsed, {
    nowSeconds: context.nowSeconds,
    maxAgeSeconds: 3600,
    maxAheadSeconds: 600,
    outOfWindow: context.outOfWindowTimestamps,
  });
  if (!verdict.ok) return { ...refuse(400, '', decoded.length), errors: verdict.errors };
  return {
    status: 202,
    errors: [],
    decodedBytes: decoded.length,
    series: verdict.series,
    points: verdict.points,
    droppedPoints: verdict.droppedPoints,
  };
}
