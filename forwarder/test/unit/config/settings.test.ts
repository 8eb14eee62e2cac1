import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORWARDER_SETTINGS, forwarderSettingsHelp } from '@algorithmia-datadog/metric-declaration';

const FORWARDER_DIR = join(__dirname, '..', '..', '..');

/** The README's table of the forwarder's environment variables: the variables of each row. */
function readmeSettingNames(): string[] {
  const readme = readFileSync(join(FORWARDER_DIR, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Environment variables'), readme.indexOf('### Operations'));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]).join(','));
}

describe('the settings table (--help)', () => {
  it('matches the README table row by row, so the two cannot drift apart', () => {
    const fromHelp = forwarderSettingsHelp().map((row) => (row.names.join(' ').match(/[A-Z][A-Z0-9_]{2,}/g) ?? []).join(','));
    expect(readmeSettingNames()).toEqual(fromHelp);
  });

  it("holds the launcher's heap flags, which the launcher (a shell script) must write out itself", () => {
    const launcher = readFileSync(join(FORWARDER_DIR, 'bin', 'algorithmia-datadog-forwarder'), 'utf8');
    const flags = /\$\{FORWARDER_NODE_OPTIONS:-([^}]*)\}/.exec(launcher)?.[1];
    expect(flags).toBe(FORWARDER_SETTINGS.nodeOptions.default);
  });
});
