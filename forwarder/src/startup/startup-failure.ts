/**
 * The forwarder's exit codes. Every failure a user can cause ends in one line on stderr that names
 * the setting to fix, and one of these codes; `--help` and the README list them.
 */
export const EXIT_CODES = {
  /** Stopped by SIGTERM/SIGINT: read messages sent, offsets committed, group left. */
  stopped: 0,
  /** Unexpected failure at run time (a bug). */
  failed: 1,
  /** A setting to fix: missing or invalid, a missing topic, refused credentials, a TLS mismatch, the HTTP port taken, an API key Datadog refuses. Restarting does not help. */
  configuration: 2,
  /** No Kafka broker could be reached within FORWARDER_STARTUP_TIMEOUT_MS (down, or a wrong address). Restarting may help. */
  brokerUnreachable: 3,
  /**
   * Stopped by SIGTERM/SIGINT, but FORWARDER_SHUTDOWN_TIMEOUT_MS passed before Datadog accepted
   * everything read: that part stays uncommitted and is read again by the next consumer (nothing
   * lost, some points sent twice). Not a crash: the supervisor asked for the stop.
   */
  stoppedAtDeadline: 4,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** A start-up failure: `message` is the one line printed (it names the setting), `exitCode` the code. */
export class StartupFailure extends Error {
  constructor(
    readonly setting: string,
    problem: string,
    readonly exitCode: ExitCode = EXIT_CODES.configuration,
  ) {
    super(`${setting}: ${problem}`);
    this.name = 'StartupFailure';
  }
}
