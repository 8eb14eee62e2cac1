import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..', '..');
const MIGRATE = join(ROOT, 'scripts', 'cdktn', 'migrate');
const NOT_SOURCES = new Set(['node_modules', '.git', '.cache', '.kafka', 'dist', 'cdktf.out', 'coverage', 'bench-results']);
const CDKTF_PACKAGE = /^(cdktf|cdktf-cli|@cdktf\/[^/]+)(\/|$)/;

/** Every code file under `folder` with the CDKTF module specifiers it still imports. */
function cdktfImports(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !NOT_SOURCES.has(entry.name)) walk(path);
      else if (/\.[cm]?[jt]sx?$/.test(entry.name)) {
        for (const { fileName } of ts.preProcessFile(readFileSync(path, 'utf8'), true, true).importedFiles) {
          if (CDKTF_PACKAGE.test(fileName)) found.push(`${path.slice(folder.length + 1)}: ${fileName}`);
        }
      }
    }
  };
  walk(folder);
  return found;
}

describe('scripts/cdktn/migrate on a copy of this checkout', () => {
  let checkout: string;
  let firstRun: { stdout: string; stderr: string };

  beforeAll(async () => {
    checkout = mkdtempSync(join(tmpdir(), 'cdktn-migrate-'));
    cpSync(ROOT, checkout, { recursive: true, filter: (source) => !NOT_SOURCES.has(basename(source)) });
    // The bindings tarball is in place, so that migrate does not download it (it only checks it is there).
    mkdirSync(join(checkout, 'vendor'));
    writeFileSync(join(checkout, 'vendor', 'cdktn-provider-kubernetes-17.1.0.tgz'), 'placeholder');
    firstRun = await promisify(execFile)(MIGRATE, [checkout]);
  }, 60_000);
  afterAll(() => rmSync(checkout, { recursive: true, force: true }));

  it('leaves no import of a CDKTF package in any code file, whatever files the checkout has', () => {
    expect(cdktfImports(ROOT).length).toBeGreaterThan(10); // what there was to move
    expect(cdktfImports(checkout)).toEqual([]);
    expect(firstRun.stdout).toMatch(/^migrate: \d+ files rewritten\. Next, with Node\.js >= 22\.19\.0: npm install && npx cdktn synth$/m);
  });

  it('rewrites package.json and the example workflow, keeps cdktf.json and strings that only mention cdktf', () => {
    const pkg = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toMatchObject({ cdktn: '0.24.0', '@cdktn/provider-datadog': '16.1.0' });
    expect(pkg.scripts.synth).toBe('cdktn synth');
    expect(readFileSync(join(checkout, 'examples', 'github-actions', 'datadog-gitops.yml'), 'utf8')).not.toMatch(/npx cdktf\b/);
    expect(readFileSync(join(checkout, 'cdktf.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'cdktf.json'), 'utf8'));
    expect(readFileSync(join(checkout, 'constructs', 'forwarder-deployment.ts'), 'utf8')).toContain(`'app.kubernetes.io/managed-by': 'cdktf'`);
  });

  it('changes nothing when run again', async () => {
    const { stdout } = await promisify(execFile)(MIGRATE, [checkout]);
    expect(stdout).toBe('migrate: nothing to change (already on CDK Terrain?)\n');
  }, 60_000);

  it('refuses a folder that is not a checkout, in one line, with exit code 2', async () => {
    const error = await promisify(execFile)(MIGRATE, [tmpdir()]).catch((failure) => failure);
    expect(error.code).toBe(2);
    expect(error.stderr).toBe(`migrate: ${tmpdir()} has no package.json: give the folder of the app's checkout\n`);
  }, 60_000);
});
