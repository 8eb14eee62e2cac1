/**
 * When to try again, for everything the forwarder retries: requests to Datadog, the API key check,
 * dead-letter writes, reaching a broker at start. Exponential backoff with jitter spreads retries
 * of many instances after an outage; a 429's `X-RateLimit-Reset` says exactly when the budget
 * returns.
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
