import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { classifyResponse, type AttemptResult } from './retry-policy';

const gzip = promisify(gzipCallback);

/** Datadog's limit on a compressed body (v2 series). */
export const MAX_COMPRESSED_BYTES = 512_000;

export interface DatadogClientOptions {
  /** e.g. `https://api.datadoghq.com` or the test double's URL. */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** A request that takes longer is abandoned and retried. */
  readonly timeoutMs: number;
  /** zlib level; 6 is gzip's default, lower trades bytes for CPU. */
  readonly compressionLevel?: number;
}

export interface CompressedBody {
  readonly bytes: Buffer;
  readonly uncompressedBytes: number;
}

/** One HTTP attempt against the metrics intake. Never throws for network trouble: it classifies. */
export class DatadogClient {
  private readonly baseUrl: string;

  constructor(private readonly options: DatadogClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** zlib level of the bodies (see payload-encoder.ts, which compresses them). */
  get compressionLevel(): number {
    return this.options.compressionLevel ?? 6;
  }

  async compress(json: string): Promise<CompressedBody> {
    const raw = Buffer.from(json, 'utf8');
    return { bytes: await gzip(raw, { level: this.compressionLevel }), uncompressedBytes: raw.length };
  }

  async post(path: string, body: CompressedBody): Promise<AttemptResult & { readonly status?: number }> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Encoding': 'gzip',
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
