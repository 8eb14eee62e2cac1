import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..', '..');
const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A cdktf.out folder holding one stack. */
function synthOutput(stack: object): string {
  const outdir = join(mkdtempSync(join(tmpdir(), 'compare-synth-')), 'cdktf.out');
  folders.push(join(outdir, '..'));
  mkdirSync(join(outdir, 'stacks', 'algorithmia-prod'), { recursive: true });
  writeFileSync(join(outdir, 'stacks', 'algorithmia-prod', 'cdk.tf.json'), JSON.stringify(stack));
  return outdir;
}

const stack = (version: string, providerVersion: string, critical: string) => ({
  '//': { metadata: { version, stackName: 'algorithmia-prod' } },
  terraform: { required_providers: { datadog: { source: 'DataDog/datadog', version: providerVersion } } },
  resource: { datadog_monitor: { risk: { query: 'avg(last_5m):avg:algorithmia.risk_score{*} > 0.9', monitor_thresholds: { critical } } } },
});

async function compare(...args: string[]) {
  return promisify(execFile)('node', ['--import', 'tsx', 'scripts/cdktn/compare-synth.ts', ...args], { cwd: ROOT }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (error) => ({ code: error.code as number, stdout: error.stdout as string, stderr: error.stderr as string }),
  );
}

describe('compare-synth', () => {
  it('exits 0 and lists the version strings when nothing else differs', async () => {
    const result = await compare(synthOutput(stack('0.21.0', '3.82.0', '0.9')), synthOutput(stack('0.24.0', '4.19.0', '0.9')));
    expect(result).toEqual({
      code: 0,
      stdout: [
        'compared 1 stacks (algorithmia-prod), 1 resources',
        '  allowed: cdktf/cdktn version 0.21.0 -> 0.24.0',
        '  allowed: provider datadog version 3.82.0 -> 4.19.0',
        '  no other difference',
        '',
      ].join('\n'),
      stderr: '',
    });
  }, 30_000);

  it('exits 1 naming the stack, resource and attribute of a difference', async () => {
    const result = await compare(synthOutput(stack('0.21.0', '3.82.0', '0.9')), synthOutput(stack('0.24.0', '4.19.0', '0.8')));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('1 differences between the cdktf and the cdktn synthesis:\n  algorithmia-prod: datadog_monitor.risk: monitor_thresholds.critical: cdktf "0.9", cdktn "0.8"\n');
  }, 30_000);

  it('exits 2 in one line when a folder is missing or holds no stack', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'compare-synth-'));
    folders.push(empty);
    expect(await compare(empty, empty)).toEqual({ code: 2, stdout: '', stderr: `compare-synth: ${empty} holds no stack: nothing was compared\n` });
    const missing = await compare(join(empty, 'nope'), empty);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^compare-synth: .*nope is not a directory: give the cdktf.out folder/);
  }, 30_000);
});
