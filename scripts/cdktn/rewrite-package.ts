import { CLI, MINIMUM_NODE, PACKAGE_MOVES, RANGE_CHANGES } from './packages';

type Dependencies = Record<string, string>;
export interface PackageJson {
  dependencies?: Dependencies;
  devDependencies?: Dependencies;
  peerDependencies?: Dependencies;
  optionalDependencies?: Dependencies;
  scripts?: Record<string, string>;
  engines?: Record<string, string>;
  [key: string]: unknown;
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

export interface PackageRewrite {
  pkg: PackageJson;
  changes: string[];
  /** True when the result depends on the Kubernetes bindings tarball (scripts/cdktn/fetch-kubernetes-bindings). */
  needsKubernetesTarball: boolean;
}

/**
 * The package.json of the CDK Terrain variant: CDKTF packages renamed in place (same field, same
 * position), `constructs` within cdktn's peer range, `cdktf` commands in scripts run `cdktn`, and the
 * Node.js engine cdktn-cli needs. A package.json without CDKTF packages comes back unchanged.
 */
export function rewritePackageJson(original: PackageJson): PackageRewrite {
  const pkg: PackageJson = structuredClone(original);
  const changes: string[] = [];
  let needsKubernetesTarball = false;
  let usesCdktf = false;

  for (const field of DEPENDENCY_FIELDS) {
    const dependencies = pkg[field];
    if (!dependencies) continue;
    const renamed: Dependencies = {};
    for (const [name, range] of Object.entries(dependencies)) {
      const move = PACKAGE_MOVES.find((candidate) => candidate.from === name);
      const newRange = RANGE_CHANGES[name];
      if (move) {
        usesCdktf = true;
        renamed[move.to] = move.version;
        changes.push(`${field}: ${name}@${range} -> ${move.to}@${move.version}`);
        if (move.version.startsWith('file:')) needsKubernetesTarball = true;
      } else if (newRange !== undefined && newRange !== range) {
        renamed[name] = newRange;
        changes.push(`${field}: ${name}@${range} -> ${name}@${newRange}`);
      } else {
        renamed[name] = range;
      }
    }
    pkg[field] = renamed;
  }
  if (!usesCdktf) return { pkg: original, changes: [], needsKubernetesTarball: false };

  for (const [name, command] of Object.entries(pkg.scripts ?? {})) {
    const rewritten = rewriteCommand(command);
    if (rewritten !== command) {
      pkg.scripts![name] = rewritten;
      changes.push(`scripts.${name}: "${command}" -> "${rewritten}"`);
    }
  }
  const engine = `>=${MINIMUM_NODE}`;
  if (pkg.engines?.node !== engine) {
    changes.push(`engines.node: ${pkg.engines?.node ?? '(none)'} -> ${engine}`);
    pkg.engines = { ...pkg.engines, node: engine };
  }
  return { pkg, changes, needsKubernetesTarball };
}

/**
 * `cdktf` as a command becomes `cdktn`: at the start of a command line, after `&&`, `||`, `;`, `|`
 * or `npx`. Arguments and other words containing "cdktf" (`cdktf.out`, `cdktf.json`) stay.
 */
export function rewriteCommand(command: string): string {
  const pattern = new RegExp(`(^|&&|\\|\\||;|\\||\\bnpx)(\\s*)${CLI.from}(?=\\s|$)`, 'g');
  return command.replace(pattern, `$1$2${CLI.to}`);
}
