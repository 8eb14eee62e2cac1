/**
 * Moves a checkout of this app from CDKTF to CDK Terrain, in place (docs/cdktn.md):
 *
 *   scripts/cdktn/migrate [CHECKOUT]        (default: the checkout this script is in)
 *
 * Rewrites import specifiers, package.json files and CI workflows by the table in packages.ts, and
 * puts the Kubernetes bindings tarball where package.json points. Leaves cdktf.json, the construct
 * code and state alone. Running it again changes nothing. Then: `npm install` with Node >= 22.19.
 * Exit codes: 0 done (also when there was nothing to change), 1 a file could not be rewritten or
 * the bindings could not be fetched, 2 usage.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { KUBERNETES_BINDINGS, KUBERNETES_TARBALL, MINIMUM_NODE } from './packages';
import { rewriteImports } from './rewrite-imports';
import { PackageJson, rewritePackageJson } from './rewrite-package';
import { rewriteWorkflow } from './rewrite-workflow';

/** Folders that are installed, generated or state, never sources. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'dist', 'cdktf.out', '.gen', '.cache', '.kafka', '.terraform', 'coverage', 'bench-results']);
const CODE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const WORKFLOW_FILE = /\.ya?ml$/;

export interface MigrationResult {
  /** Relative path -> what changed in it. */
  changed: Map<string, string[]>;
  /** package.json folders (relative) whose dependencies now need the Kubernetes tarball. */
  kubernetesTarballFolders: string[];
}

/** Rewrites every source, package.json and workflow file under `root`; fetches nothing. */
export function migrateCheckout(root: string): MigrationResult {
  const changed = new Map<string, string[]>();
  const kubernetesTarballFolders: string[] = [];
  for (const file of sourceFiles(root)) {
    const path = relative(root, file);
    const text = readFileSync(file, 'utf8');
    let result: { text: string; changes: string[] } | undefined;
    if (basename(path) === 'package.json') {
      const rewrite = rewritePackageJson(parseJson(text, path));
      if (rewrite.needsKubernetesTarball) kubernetesTarballFolders.push(relative(root, dirname(file)));
      result = { text: JSON.stringify(rewrite.pkg, null, indentOf(text)) + '\n', changes: rewrite.changes };
    } else if (CODE_FILE.test(path)) {
      result = rewriteImports(text);
    } else if (WORKFLOW_FILE.test(path)) {
      result = rewriteWorkflow(text);
    }
    if (result && result.changes.length > 0) {
      writeFileSync(file, result.text);
      changed.set(path, result.changes);
    }
  }
  return { changed, kubernetesTarballFolders };
}

function* sourceFiles(folder: string): Generator<string> {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) yield* sourceFiles(path);
    else if (entry.isFile() && (entry.name === 'package.json' || CODE_FILE.test(entry.name) || WORKFLOW_FILE.test(entry.name))) yield path;
  }
}

function parseJson(text: string, path: string): PackageJson {
  try {
    return JSON.parse(text) as PackageJson;
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}): fix it, then run migrate again`);
  }
}

function indentOf(json: string): string | number {
  return /^\{\n(\s+)"/.exec(json)?.[1] ?? 2;
}

function main(args: string[]): number {
  if (args.length > 1 || args.some((arg) => arg.startsWith('-'))) {
    process.stderr.write('usage: scripts/cdktn/migrate [CHECKOUT]   (default: this checkout)\n');
    return 2;
  }
  const root = resolve(args[0] ?? join(__dirname, '..', '..'));
  if (!existsSync(join(root, 'package.json')) || !statSync(root).isDirectory()) {
    process.stderr.write(`migrate: ${root} has no package.json: give the folder of the app's checkout\n`);
    return 2;
  }
  const { changed, kubernetesTarballFolders } = migrateCheckout(root);
  for (const [path, changes] of changed) {
    process.stdout.write(`${path}\n${changes.map((change) => `  ${change}\n`).join('')}`);
  }
  for (const folder of kubernetesTarballFolders) {
    const tarball = join(root, folder, KUBERNETES_TARBALL);
    if (existsSync(tarball)) continue;
    process.stdout.write(`${relative(root, tarball)}: @cdktn/provider-kubernetes ${KUBERNETES_BINDINGS.version} from PyPI (${KUBERNETES_BINDINGS.pypi})\n`);
    try {
      execFileSync(join(__dirname, 'fetch-kubernetes-bindings'), [KUBERNETES_BINDINGS.version, tarball], { stdio: 'inherit' });
    } catch {
      process.stderr.write(`migrate: could not write ${tarball}; fetch it with scripts/cdktn/fetch-kubernetes-bindings ${KUBERNETES_BINDINGS.version} ${tarball}\n`);
      return 1;
    }
  }
  process.stdout.write(
    changed.size === 0
      ? 'migrate: nothing to change (already on CDK Terrain?)\n'
      : `migrate: ${changed.size} files rewritten. Next, with Node.js >= ${MINIMUM_NODE}: npm install && npx cdktn synth\n`,
  );
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`migrate: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
