import { ENDPOINT_PATHS, MEDIA_TYPES, type ContentEncoding, type Endpoint } from './wire-format';

/** Datadog's limit on a compressed body (v2 series). */
export const MAX_COMPRESSED_BYTES = 512_000;

export interface DatadogClientOptions {
  /** e.g. `https://api.datadoghq.com` or the test double's URL. */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** A request that takes longer is abandoned and retried. */
  readonly timeoutMs: number;
}

export interface CompressedBody {
  readonly bytes: Buffer;
  readonly encoding: ContentEncoding;
}

/** One HTTP attempt against the metrics intake. Never throws for network trouble: it classifies. */
export class DatadogClient {
  private readonly baseUrl: string;

  constructor(private readonly options: DatadogClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async post(endpoint: Endpoint, body: CompressedBody): Promise<AttemptResult & { readonly status?: number }> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${ENDPOINT_PATHS[endpoint]}`, {
        method: 'POST',
        headers: {
          'Content-Type': MEDIA_TYPES[endpoint],
          'Content-Encoding': body.encoding,
          'DD-API-KEY': this.options.apiKey,
        },
        body: body.bytes,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      return { kind: 'retry', reason: networkReason(error) };
    }
    let text = '';
    try {
      text = await response.text();
    } catch (error) {
      return { kind: 'retry', reason: networkReason(error) };
    }
    return { ...classifyResponse(response.status, response.headers, text), status: response.status };
  }
}

function networkReason(error: unknown): string {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  const code = ((error as { cause?: { code?: string } })?.cause?.code ?? '').toLowerCase();
  return code ? `network_${code}` : 'network_error';
}

/** What one HTTP attempt means for the batch. */
export type AttemptResult =
  | { readonly kind: 'accepted' }
  /** `splittable`: the refusal may be about some of the series only, so halves may pass. */
  | { readonly kind: 'rejected'; readonly status: number; readonly detail: string; readonly splittable: boolean }
  | { readonly kind: 'too_large' }
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs?: number };

/**
 * Statuses where the same body may pass later: the request timed out (408), came too early (425),
 * over the rate limit (429), or the fault is not the body's: the key (401, 403; the forwarder checks
 * it again and stops if Datadog refuses it), the route or a proxy (404, 407). Sending such a body
 * again is the only way not to lose it; 5xx too.
 */
const RETRYABLE_4XX: ReadonlySet<number> = new Set([401, 403, 404, 407, 408, 425, 429]);
/** Refusals of what the body says, which may concern some series only. */
const SPLITTABLE: ReadonlySet<number> = new Set([400, 422]);

/**
 * Datadog status → what to do. 413 means split. Any other 4xx that is not retryable (400, 415,
 * 422, ...) is about the body itself: sending it again cannot help, so its points are rejected (and
 * their messages committed), never retried forever.
 */
export function classifyResponse(status: number, headers: { get(name: string): string | null }, body: string): AttemptResult {
  if (status >= 200 && status < 300) return { kind: 'accepted' };
  if (status === 413) return { kind: 'too_large' };
  if (status === 429) {
    const header = headers.get('x-ratelimit-reset');
    const reset = header === null || header.trim() === '' ? Number.NaN : Number(header);
    return {
      kind: 'retry',
      reason: 'http_429',
      ...(Number.isFinite(reset) && reset >= 0 ? { retryAfterMs: reset * 1000 } : {}),
    };
  }
  if (status >= 400 && status < 500 && !RETRYABLE_4XX.has(status)) {
    return { kind: 'rejected', status, detail: body.slice(0, 500), splittable: SPLITTABLE.has(status) };
  }
  return { kind: 'retry', reason: `http_${status}` };
}
