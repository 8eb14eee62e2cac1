import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS_HELP } from '../config/settings';
import { EXIT_CODES } from '../startup/startup-failure';

const EXIT_CODE_HELP: Record<keyof typeof EXIT_CODES, string> = {
  stopped: 'stopped by SIGTERM or SIGINT: what was read is sent, offsets committed, the group left',
  failed: 'unexpected failure at run time, or the shutdown deadline passed',
  configuration: 'a setting to fix (named on stderr): invalid value, missing topic, refused Kafka credentials, TLS mismatch, HTTP port taken, API key refused by Datadog',
  brokerUnreachable: 'no Kafka broker reachable within FORWARDER_STARTUP_TIMEOUT_MS (a supervisor may restart)',
};

export function packageVersion(): string {
  // dist/bin/ (and src/bin/) → the package root.
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** `--help`: usage, every setting (from SETTINGS_HELP), exit codes. */
export function helpText(): string {
  const lines = [
    `algorithmia-datadog-forwarder ${packageVersion()}`,
    'Forwards Algorithmia Insights messages from Kafka to Datadog metrics, at least once.',
    '',
    'Usage: algorithmia-datadog-forwarder [--help | --version]',
    '       Configured by environment variables; serves /healthz, /readyz and /metrics on FORWARDER_HTTP_PORT.',
    '',
    'Environment:',
    ...SETTINGS_HELP.flatMap((s) => [`  ${s.names.join(', ')}${s.defaultValue ? `  (default: ${s.defaultValue})` : ''}`, `      ${s.meaning}`]),
    '',
    'Exit codes:',
    ...Object.entries(EXIT_CODES).map(([key, code]) => `  ${code}  ${EXIT_CODE_HELP[key as keyof typeof EXIT_CODES]}`),
    '',
  ];
  return lines.join('\n');
}
