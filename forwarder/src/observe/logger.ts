import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs on stdout. Header and key fields are redacted as a second line of defence: the code
 * never passes the API key or SASL password to a log call in the first place.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'algorithmia-datadog-forwarder' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['apiKey', '*.apiKey', 'password', '*.password', 'headers["dd-api-key"]', 'headers["DD-API-KEY"]'],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination({ sync: false }),
  );
}

/**
 * Logs the first occurrence of each kind of problem, and later ones not at all: a topic
 * full of bad messages must not flood the log. Counts stay in /metrics.
 */
export class OncePerKind {
  private readonly seen = new Set<string>();

  constructor(private readonly logger: Logger) {}

  warn(kind: string, fields: Record<string, unknown>, message: string): void {
    this.log('warn', kind, fields, message);
  }

  /** As warn, for what loses data (points Datadog refused). */
  error(kind: string, fields: Record<string, unknown>, message: string): void {
    this.log('error', kind, fields, message);
  }

  private log(level: 'warn' | 'error', kind: string, fields: Record<string, unknown>, message: string): void {
    if (this.seen.has(kind)) return;
    this.seen.add(kind);
    this.logger[level]({ kind, ...fields }, `${message} (logged once per kind; see /metrics for counts)`);
  }
}
