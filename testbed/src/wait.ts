/**
 * Waiting with a deadline, for tests: either on a condition re-checked whenever something signals a
 * change, or (when nothing can signal) by polling. Never a bare sleep standing in for an event.
 */
import type { EventEmitter } from 'node:events';
import { inspect } from 'node:util';

export class DeadlineExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineExceeded';
  }
}

export interface WaitOptions {
  timeoutMs: number;
  /** Says what was awaited and what was seen instead, for the error at the deadline. */
  describe?: () => string;
}

/**
 * Resolves once `condition()` is true; re-checks it on every `event` emitted by `emitter`.
 * Rejects with DeadlineExceeded after `timeoutMs`.
 */
export function waitForEvent(
  emitter: EventEmitter,
  event: string,
  condition: () => boolean,
  { timeoutMs, describe }: WaitOptions,
): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const check = (): void => {
      let satisfied: boolean;
      try {
        satisfied = condition();
      } catch (error) {
        finish();
        reject(error);
        return;
      }
      if (satisfied) {
        finish();
        resolve();
      }
    };
    const timer = setTimeout(() => {
      finish();
      reject(new DeadlineExceeded(`not reached within ${timeoutMs} ms${describe ? `: ${describe()}` : ''}`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      emitter.off(event, check);
    };
    emitter.on(event, check);
  });
}

/**
 * Resolves with the first truthy value of `probe()`, polled every `intervalMs`; for state that
 * nothing announces (a broker's committed offsets). Rejects with DeadlineExceeded after
 * `timeoutMs`; a probe that throws is retried until then and its last error reported.
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs, describe, intervalMs = 100 }: WaitOptions & { intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const seen = describe ? `: ${describe()}` : '';
      const cause = lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : inspect(lastError)})` : '';
      throw new DeadlineExceeded(`not reached within ${timeoutMs} ms${seen}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}

/** Rejects with DeadlineExceeded when `promise` has not settled within `timeoutMs`. */
export async function withDeadline<T>(promise: Promise<T>, { timeoutMs, describe }: WaitOptions): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DeadlineExceeded(`not settled within ${timeoutMs} ms${describe ? `: ${describe()}` : ''}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
