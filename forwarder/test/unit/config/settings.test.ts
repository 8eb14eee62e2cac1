import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORWARDER_ENV } from '../../../src/config/config';
import { SETTINGS_HELP } from '../../../src/config/settings';

/** The README's table of the forwarder's environment variables: first column of each row. */
function readmeSettingNames(): string[] {
  const readme = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Environment variables'), readme.indexOf('### Operations'));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]).join(','));
}

describe('the settings list (--help)', () => {
  it('describes every variable the forwarder reads', () => {
    const described = new Set(SETTINGS_HELP.flatMap((s) => s.names.join(' ').match(/[A-Z][A-Z0-9_]{2,}/g) ?? []));
    for (const name of Object.values(FORWARDER_ENV).flat()) expect(described).toContain(name);
  });

  it('matches the README table row by row, so the two cannot drift apart', () => {
    const fromHelp = SETTINGS_HELP.map((s) => (s.names.join(' ').match(/[A-Z][A-Z0-9_]{2,}/g) ?? []).join(','));
    expect(readmeSettingNames()).toEqual(fromHelp);
  });
});
