import type { Endpoint } from '../batch/batch';
import { ENDPOINT_PATHS } from '../batch/batch';
import { classifyResponse, type AttemptResult } from './retry-policy';
import { MEDIA_TYPES, type ContentEncoding } from './wire-format';

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
