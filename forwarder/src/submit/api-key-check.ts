/**
 * Datadog's key validation (`GET /api/v1/validate`), at start: the forwarder is not ready until
 * Datadog has accepted the key, a refused key is a setting to fix, and an unreachable Datadog is
 * checked again with backoff (the forwarder keeps running meanwhile).
 */
import { sleep, type RetryPolicy } from './retry-policy';

export const VALIDATE_PATH = '/api/v1/validate';

/** unchecked: no answer yet; unreachable: no usable answer yet, retrying. */
export type ApiKeyState = 'unchecked' | 'valid' | 'refused' | 'unreachable';

export interface ApiKeyCheckOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly retryPolicy: RetryPolicy;
  /** Each failed attempt that will be retried: a status (`http_503`) or a network reason. */
  readonly onRetry: (reason: string, delayMs: number) => void;
}

export class ApiKeyCheck {
  private current: ApiKeyState = 'unchecked';

  constructor(private readonly options: ApiKeyCheckOptions) {}

  get state(): ApiKeyState {
    return this.current;
  }

  get url(): string {
    return `${this.options.baseUrl.replace(/\/+$/, '')}${VALIDATE_PATH}`;
  }

  /** Resolves 'valid' or 'refused', or 'unchecked'/'unreachable' when aborted first. */
  async run(signal: AbortSignal): Promise<ApiKeyState> {
    for (let attempt = 1; !signal.aborted; attempt++) {
      const verdict = await this.attempt(signal);
      if (verdict === 'valid' || verdict === 'refused') return (this.current = verdict);
      if (signal.aborted) break;
      this.current = 'unreachable';
      const delayMs = this.options.retryPolicy.delayMs(attempt);
      this.options.onRetry(verdict, delayMs);
      await sleep(delayMs, signal);
    }
    return this.current;
  }

  /** 'valid', 'refused', or the reason to retry. */
  private async attempt(signal: AbortSignal): Promise<string> {
    try {
      const response = await fetch(this.url, {
        method: 'GET',
        headers: { 'DD-API-KEY': this.options.apiKey, Accept: 'application/json' },
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs)]),
      });
      const body = await response.text();
      if (response.status === 200) return /"valid"\s*:\s*true/.test(body) ? 'valid' : 'http_200_not_valid';
      // 403 is Datadog's answer to a key it does not know; 401 a proxy's.
      if (response.status === 403 || response.status === 401) return 'refused';
      return `http_${response.status}`;
    } catch (error) {
      const name = (error as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
      const code = ((error as { cause?: { code?: string } })?.cause?.code ?? '').toLowerCase();
      return code ? `network_${code}` : 'network_error';
    }
  }
}
