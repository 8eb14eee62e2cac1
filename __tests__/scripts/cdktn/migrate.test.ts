import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..', '..');
const MIGRATE = join(ROOT, 'scripts', 'cdktn', 'migrate');
const NOT_SOURCES = new Set(['node_modules', '.git', '.cache', '.kafka', 'dist', 'cdktf.out', 'coverage', 'bench-results']);
const CDKTF_PACKAGE = /^(cdktf|cdktf-cli|@cdktf\/[^/]+)(\/|$)/;
const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

const migrate = (...args: string[]) => promisify(execFile)(MIGRATE, args);

/** Writes `files` (relative path -> content) into a new folder. */
function tree(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'cdktn-migrate-'));
  folders.push(folder);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  return folder;
}

/** Every code file under `folder` with the CDKTF module specifiers it imports. */
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

describe('scripts/cdktn/migrate', () => {
  const CDKTF_JSON = '{ "language": "typescript", "app": "node --import tsx main.ts" }\n';
  const LABELS = `export const labels = { 'app.kubernetes.io/managed-by': 'cdktf' };\n`;
  const files = {
    'package.json': JSON.stringify({ name: 'app', scripts: { synth: 'cdktf synth' }, dependencies: { cdktf: '0.21.0', '@cdktf/provider-kubernetes': '12.1.1', constructs: '^10.4.2' } }, null, 2),
    'cdktf.json': CDKTF_JSON,
    'main.ts': `import { App } from 'cdktf';\nnew App().synth();\n`,
    'constructs/deployment.ts': `import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';\n${LABELS}export { DeploymentV1 };\n`,
    '__tests__/helpers.ts': `import 'cdktf/lib/testing/adapters/jest';\n`,
    '.github/workflows/ci.yml': 'env:\n  NODE_VERSION: "20"\njobs:\n  build:\n    steps:\n      - run: npx cdktf synth\n',
    'node_modules/cdktf/index.js': `require('cdktf/lib/app');\n`,
    // In place, so that migrate does not download it (it only checks that it is there).
    'vendor/cdktn-provider-kubernetes-17.1.0.tgz': 'placeholder',
  };

  it('moves imports, package.json and workflows, and says what to run next', async () => {
    const folder = tree(files);
    const { stdout } = await migrate(folder);
    expect(cdktfImports(folder)).toEqual([]);
    expect(readFileSync(join(folder, 'main.ts'), 'utf8')).toBe(`import { App } from 'cdktn';\nnew App().synth();\n`);
    expect(JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'))).toEqual({
      name: 'app',
      scripts: { synth: 'cdktn synth' },
      dependencies: { cdktn: '0.24.0', '@cdktn/provider-kubernetes': 'file:vendor/cdktn-provider-kubernetes-17.1.0.tgz', constructs: '>=10.6.0 <10.8.0' },
      engines: { node: '>=22.19.0' },
    });
    expect(readFileSync(join(folder, '.github/workflows/ci.yml'), 'utf8')).toBe('env:\n  NODE_VERSION: "22"\njobs:\n  build:\n    steps:\n      - run: npx cdktn synth\n');
    expect(stdout).toMatch(/^migrate: 5 files rewritten\. Next, with Node\.js >= 22\.19\.0: npm install && npx cdktn synth$/m);
  }, 60_000);

  it('keeps cdktf.json, node_modules and strings that only mention cdktf, and changes nothing the second time', async () => {
    const folder = tree(files);
    await migrate(folder);
    expect(readFileSync(join(folder, 'cdktf.json'), 'utf8')).toBe(CDKTF_JSON);
    expect(readFileSync(join(folder, 'node_modules/cdktf/index.js'), 'utf8')).toBe(files['node_modules/cdktf/index.js']);
    expect(readFileSync(join(folder, 'constructs/deployment.ts'), 'utf8')).toContain(LABELS);
    expect((await migrate(folder)).stdout).toBe('migrate: nothing to change (already on CDK Terrain?)\n');
  }, 60_000);

  it('leaves no CDKTF import in a copy of this checkout, whatever files it has', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cdktn-migrate-'));
    folders.push(folder);
    cpSync(ROOT, folder, { recursive: true, filter: (source) => !NOT_SOURCES.has(basename(source)) });
    mkdirSync(join(folder, 'vendor'), { recursive: true });
    writeFileSync(join(folder, 'vendor', 'cdktn-provider-kubernetes-17.1.0.tgz'), 'placeholder');
    await migrate(folder);
    expect(cdktfImports(folder)).toEqual([]);
  }, 60_000);

  it('refuses a folder that is not a checkout, in one line, with exit code 2', async () => {
    const folder = tree({ 'README.md': 'not an app\n' });
    const error = await migrate(folder).catch((failure) => failure);
    expect(error.code).toBe(2);
    expect(error.stderr).toBe(`migrate: ${folder} has no package.json: give the folder of the app's checkout\n`);
  }, 60_000);
});

describe('scripts/cdktn/migrate on a broken package.json', () => {
  it('names the file in one line and exits 1', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cdktn-migrate-'));
    folders.push(folder);
    writeFileSync(join(folder, 'package.json'), '{ "dependencies": { "cdktf": "0.21.0", } }');
    const error = await migrate(folder).catch((failure) => failure);
    expect(error.code).toBe(1);
    expect(error.stderr).toMatch(/^migrate: package\.json is not valid JSON \(.+\): fix it, then run migrate again\n$/);
  }, 60_000);
});
