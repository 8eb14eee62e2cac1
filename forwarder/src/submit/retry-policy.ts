/**
 * When to try a request again. Exponential backoff with jitter spreads retries of many instances
 * after an outage; a 429's `X-RateLimit-Reset` says exactly when the budget returns.
 */
export interface RetryPolicyOptions {
  /** @default 250 */
  readonly baseDelayMs?: number;
  /** @default 30000 */
  readonly maxDelayMs?: number;
  /** Returns [0, 1). Injectable for tests. */
  readonly random?: () => number;
}

export class RetryPolicy {
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;

  constructor(options: RetryPolicyOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.random = options.random ?? Math.random;
  }

  /**
   * Delay before retry number `attempt` (1 for the first retry). Half of the exponential step is
   * fixed and half random ("equal jitter"): never a retry storm, never a zero wait.
   * @param retryAfterMs when the server said how long to wait (429 reset), at least that long
   */
  delayMs(attempt: number, retryAfterMs?: number): number {
    const step = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
    const backoff = step / 2 + this.random() * (step / 2);
    if (retryAfterMs === undefined) return Math.round(backoff);
    // Spread the instances that all waited for the same reset over a short window.
    return Math.round(Math.min(retryAfterMs, this.maxDelayMs * 4) + this.random() * Math.min(1000, step));
  }
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

/** Waits `ms`, or less when `signal` aborts (a stop must not wait out a backoff). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
