import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORWARDER_SETTINGS, forwarderSettingNames, forwarderSettingsHelp, type ForwarderSetting } from '../src';

describe('the forwarder settings table', () => {
  it('names each variable once', () => {
    const names = forwarderSettingNames();
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('DATADOG_API_KEY');
  });

  it("states the launcher's own default Node.js flags (the shell script cannot import the table)", () => {
    const launcher = readFileSync(join(__dirname, '..', '..', 'forwarder', 'bin', 'algorithmia-datadog-forwarder'), 'utf8');
    expect(launcher).toContain(`\${FORWARDER_NODE_OPTIONS:-${FORWARDER_SETTINGS.nodeOptions.default}}`);
  });

  it('keeps every default within its own bounds and choices', () => {
    for (const setting of Object.values(FORWARDER_SETTINGS) as ForwarderSetting[]) {
      if (setting.type === 'integer' && setting.default !== undefined) {
        expect([setting.env, setting.min <= setting.default && setting.default <= setting.max]).toEqual([setting.env, true]);
      }
      if (setting.type === 'choice' && setting.default !== undefined) expect(setting.choices).toContain(setting.default);
    }
  });

  it('lists settings that go together in one help row, their defaults joined', () => {
    const rows = forwarderSettingsHelp();
    expect(rows[0]).toEqual({
      names: ['DD_API_KEY (or DATADOG_API_KEY)'],
      defaultValue: 'required',
      meaning: FORWARDER_SETTINGS.apiKey.meaning,
    });
    expect(rows.find((row) => row.names.includes('FORWARDER_RETRY_BASE_DELAY_MS'))).toMatchObject({
      names: ['FORWARDER_RETRY_BASE_DELAY_MS', 'FORWARDER_RETRY_MAX_DELAY_MS'],
      defaultValue: '250, 30000',
    });
    expect(rows.find((row) => row.names.includes('KAFKA_SASL_USERNAME'))).toMatchObject({
      names: ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'],
      defaultValue: '',
    });
  });
});
