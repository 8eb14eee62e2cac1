import { forwarderSettingsHelp } from '@algorithmia-datadog/metric-declaration';
import { FORWARDER_VERSION } from '../observe/version';
import { EXIT_CODES } from '../startup/startup-failure';

const EXIT_CODE_HELP: Record<keyof typeof EXIT_CODES, string> = {
  stopped: 'stopped by SIGTERM or SIGINT: what was read is sent, offsets committed, the group left',
  failed: 'unexpected failure at run time (a bug: please report it with the log)',
  configuration:
    'a setting to fix (named on stderr): invalid value, missing topic, refused Kafka credentials, TLS mismatch, HTTP port taken, API key refused by Datadog (at start, or revoked while running)',
  brokerUnreachable: 'no Kafka broker reachable within FORWARDER_STARTUP_TIMEOUT_MS (a supervisor may restart)',
  stoppedAtDeadline:
    'stopped by SIGTERM or SIGINT, but FORWARDER_SHUTDOWN_TIMEOUT_MS passed before Datadog accepted everything read: that part stays uncommitted and is read again by the next consumer (nothing lost)',
};

/** The version `--version` prints: the one /metrics reports as forwarder_build_info. */
export function packageVersion(): string {
  return FORWARDER_VERSION;
}

/** `--help`: usage, every setting (the shared package's FORWARDER_SETTINGS), exit codes. */
export function helpText(): string {
  const lines = [
    `algorithmia-datadog-forwarder ${packageVersion()}`,
    'Forwards Algorithmia Insights messages from Kafka to Datadog metrics, at least once.',
    '',
    'Usage: algorithmia-datadog-forwarder [--help | --version]',
    '       Configured by environment variables; serves /healthz, /readyz and /metrics on FORWARDER_HTTP_PORT.',
    '',
    'Environment:',
    ...forwarderSettingsHelp().flatMap((s) => [
      `  ${s.names.join(', ')}${s.defaultValue ? `  (default: ${s.defaultValue})` : ''}`,
      `      ${s.meaning}`,
    ]),
    '',
    'Exit codes:',
    ...Object.entries(EXIT_CODES).map(([key, code]) => `  ${code}  ${EXIT_CODE_HELP[key as keyof typeof EXIT_CODES]}`),
    '',
  ];
  return lines.join('\n');
}
