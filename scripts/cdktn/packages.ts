/**
 * The whole difference between the CDKTF app and its CDK Terrain variant, as data: every other
 * file of the move (scripts/cdktn/*) applies this table mechanically. Versions are exact so that
 * the check in CI (scripts/cdktn/check) always tries the same combination.
 */

/** Node.js that `cdktn-cli` 0.24 needs (its `engines`; older Node 22 crashes in `cdktn synth`). */
export const MINIMUM_NODE = '22.19.0';

/**
 * npm has no `@cdktn/provider-kubernetes`: the PyPI package of the same name and version carries its
 * npm tarball (scripts/cdktn/fetch-kubernetes-bindings), which goes to KUBERNETES_TARBALL.
 */
export const KUBERNETES_BINDINGS = { pypi: 'cdktn-provider-kubernetes', version: '17.1.0' } as const;
export const KUBERNETES_TARBALL = `vendor/cdktn-provider-kubernetes-${KUBERNETES_BINDINGS.version}.tgz`;

export interface PackageMove {
  /** The CDKTF package: in package.json and as an import specifier (also `<from>/lib/...`). */
  from: string;
  to: string;
  /** The version range written to package.json. */
  version: string;
}

export const PACKAGE_MOVES: readonly PackageMove[] = [
  { from: 'cdktf', to: 'cdktn', version: '0.24.0' },
  { from: 'cdktf-cli', to: 'cdktn-cli', version: '0.24.0' },
  // Datadog provider 3.82.0 -> 4.19.0 (docs/cdktn.md lists what changed for this app).
  { from: '@cdktf/provider-datadog', to: '@cdktn/provider-datadog', version: '16.1.0' },
  // Kubernetes provider 3.4, from the npm tarball inside the PyPI package cdktn-provider-kubernetes.
  { from: '@cdktf/provider-kubernetes', to: '@cdktn/provider-kubernetes', version: `file:${KUBERNETES_TARBALL}` },
];

/** Packages that stay but need another range: the peer range of cdktn 0.24 and its providers. */
export const RANGE_CHANGES: Readonly<Record<string, string>> = {
  constructs: '>=10.6.0 <10.8.0',
};

/** The command line tool, as called by npm scripts and workflows. */
export const CLI = { from: 'cdktf', to: 'cdktn' } as const;

/** The package a specifier names: `@scope/name/lib/x` -> `@scope/name`, `cdktf/lib/x` -> `cdktf`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The CDK Terrain specifier for a CDKTF one, or undefined when it names another package. */
export function movedSpecifier(specifier: string): string | undefined {
  const move = PACKAGE_MOVES.find((candidate) => candidate.from === packageOf(specifier));
  return move ? move.to + specifier.slice(move.from.length) : undefined;
}
