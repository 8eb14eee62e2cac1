/**
 * Datadog's key validation (`GET /api/v1/validate`), at start: the forwarder is not ready until
 * Datadog has accepted the key, a refused key is a setting to fix, and an unreachable Datadog is
 * checked again with backoff (the forwarder keeps running meanwhile). Checked again when a metrics
 * request is answered 401 or 403 after start: a key revoked meanwhile is a setting to fix too.
 */
import { FORWARDER_SETTINGS as S } from '@algorithmia-datadog/metric-declaration';
import { sleep, type RetryPolicy } from '../common/retry-policy';
import { StartupFailure } from '../startup/startup-failure';

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
  /** Datadog refused the key; `afterStatus`: the metrics answer that made it check again. */
  readonly onRefused: (afterStatus?: string) => void;
  /** At most one check again this often, however many requests are refused. @default 60000 */
  readonly recheckIntervalMs?: number;
}

/** Metrics answers that may mean the key was revoked. */
const KEY_REFUSED_STATUSES: ReadonlySet<string> = new Set(['401', '403']);

export class ApiKeyCheck {
  private current: ApiKeyState = 'unchecked';
  private checking = false;
  private lastCheckAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ApiKeyCheckOptions) {}

  get state(): ApiKeyState {
    return this.current;
  }

  get url(): string {
    return `${this.options.baseUrl.replace(/\/+$/, '')}${VALIDATE_PATH}`;
  }

  /** Checks the key (unless a check runs already) until Datadog answers; onRefused if it refuses it. */
  check(signal: AbortSignal, afterStatus?: string): void {
    if (this.checking) return;
    this.checking = true;
    // The interval is between checks again, so a key revoked soon after start is found at once.
    if (afterStatus !== undefined) this.lastCheckAt = Date.now();
    void this.run(signal).then((state) => {
      this.checking = false;
      if (state === 'refused' && !signal.aborted) this.options.onRefused(afterStatus);
    });
  }

  /** A metrics request was answered `status`: on 401 or 403, the key is checked again. */
  statusSeen(status: string, signal: AbortSignal): void {
    if (!KEY_REFUSED_STATUSES.has(status)) return;
    if (Date.now() - this.lastCheckAt < (this.options.recheckIntervalMs ?? 60_000)) return;
    this.check(signal, status);
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

/**
 * Datadog refused the key: a setting to fix (exit 2). After start, what Datadog had not accepted
 * stays uncommitted (the stop that follows commits only what it accepted) and is read again.
 */
export function keyRefusedFailure(baseUrl: string, afterStatus?: string): StartupFailure {
  const validate = `GET ${VALIDATE_PATH}`;
  const problem =
    afterStatus === undefined
      ? `Datadog at ${baseUrl} refused the API key (403 on ${validate}); the usual cause is a key of another Datadog site: set ${S.site.env} (or ${S.host.env}) to the site the key belongs to`
      : `Datadog at ${baseUrl} refused the API key after start (${afterStatus} on metrics, then refused on ${validate}): revoked or rotated? Set a valid key; what Datadog had not accepted is not committed and will be sent again`;
  return new StartupFailure(S.apiKey.env, problem);
}
