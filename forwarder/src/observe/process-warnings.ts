import type { Logger } from './logger';

/**
 * Node's process warnings, in the forwarder's own voice. By default Node prints each warning to
 * stderr as several lines with a hint about `--trace-warnings`; a supervisor's log then shows
 * noise next to the one line a failure ends with. Here each kind of warning is logged once, as a
 * JSON log line once the logger exists (before that, as one stderr line), and one known harmless
 * warning is dropped:
 *
 * kafkajs 2.2.4 schedules its request-queue check with `setTimeout(fn, throttledUntil - now)`,
 * where `throttledUntil` is 0 when the broker has not throttled, so the delay is minus the epoch.
 * Node 20 silently treats it as 1 ms; Node 23 and later do the same but emit a
 * `TimeoutNegativeWarning` first (kafkajs issue #1751, unfixed upstream). 1 ms is what kafkajs
 * means, so the warning says nothing a user can act on.
 */
export class ProcessWarnings {
  private logger: Logger | undefined;
  private readonly seen = new Set<string>();
  private readonly listener = (warning: Error): void => this.handle(warning);

  constructor(private readonly writeLine: (line: string) => void) {}

  /** Replaces Node's default printer (the listener it adds at start-up unless `--no-warnings`). */
  install(): this {
    process.removeAllListeners('warning');
    process.on('warning', this.listener);
    return this;
  }

  /** From now on warnings go to the log. */
  useLogger(logger: Logger): void {
    this.logger = logger;
  }

  handle(warning: Error): void {
    if (isKafkajsNegativeTimeout(warning)) return;
    const code = (warning as NodeJS.ErrnoException).code;
    const kind = code === undefined ? warning.name : `${warning.name} ${code}`;
    if (this.seen.has(kind)) return;
    this.seen.add(kind);
    const message = warning.message.replace(/\s+/g, ' ').trim();
    if (this.logger !== undefined) this.logger.warn({ kind: 'node-warning', warning: kind }, `${kind}: ${message} (logged once)`);
    else this.writeLine(`warning: ${kind}: ${message}`);
  }
}

function isKafkajsNegativeTimeout(warning: Error): boolean {
  return warning.name === 'TimeoutNegativeWarning' && /[\\/]kafkajs[\\/]/.test(warning.stack ?? '');
}
