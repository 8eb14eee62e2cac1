import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ForwarderMetrics } from '../../../src/observe/metrics';
import { FORWARDER_VERSION } from '../../../src/observe/version';

describe('forwarder_build_info', () => {
  const packageVersion = (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string })
    .version;

  it('is the version of forwarder/package.json', () => {
    expect(FORWARDER_VERSION).toBe(packageVersion);
    expect(FORWARDER_VERSION).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  });

  it('is served on /metrics as one series with the value 1', async () => {
    const exposition = await new ForwarderMetrics().registry.metrics();
    expect(exposition).toContain('# TYPE forwarder_build_info gauge');
    expect(exposition.split('\n').filter((line) => line.startsWith('forwarder_build_info'))).toEqual([
      `forwarder_build_info{version="${packageVersion}"} 1`,
    ]);
  });
});
