import { PackageJson, rewriteCommand, rewritePackageJson } from '../../../scripts/cdktn/rewrite-package';

/** This app's package.json as it was on CDKTF (fixed here: the checkout itself may be migrated already). */
const CDKTF_PACKAGE: PackageJson = {
  name: 'algorithmia-datadog',
  private: true,
  workspaces: ['metric-declaration', 'forwarder'],
  engines: { node: '>=20.6' },
  scripts: {
    synth: 'cdktf synth',
    'plan-summary': 'tsx scripts/plan-summary.ts',
    test: 'npm run build && npm run typecheck && jest && npm test -w forwarder',
  },
  dependencies: {
    '@cdktf/provider-datadog': '12.15.2',
    '@cdktf/provider-kubernetes': '12.1.1',
    cdktf: '0.21.0',
    constructs: '^10.4.2',
  },
  devDependencies: { '@types/jest': '^29.5.14', 'cdktf-cli': '0.21.0', jest: '^29.7.0', tsx: '^4.20.0' },
};

/** A package.json without CDKTF, like the forwarder's. */
const OTHER_PACKAGE: PackageJson = { name: 'forwarder', dependencies: { kafkajs: '^2.2.4', constructs: '^10.4.2' }, scripts: { test: 'jest' } };

describe('rewritePackageJson', () => {
  const original = CDKTF_PACKAGE;
  const { pkg, changes, needsKubernetesTarball } = rewritePackageJson(original);

  it('swaps the CDKTF packages for CDK Terrain ones at the versions the check uses', () => {
    const all = { ...pkg.dependencies, ...pkg.devDependencies };
    expect(all).toMatchObject({
      cdktn: '0.24.0',
      'cdktn-cli': '0.24.0',
      '@cdktn/provider-datadog': '16.1.0',
      '@cdktn/provider-kubernetes': 'file:vendor/cdktn-provider-kubernetes-17.1.0.tgz',
      constructs: '>=10.6.0 <10.8.0',
    });
    expect(Object.keys(all).filter((name) => name.includes('cdktf'))).toEqual([]);
    expect(pkg.devDependencies).toHaveProperty('cdktn-cli');
    expect(needsKubernetesTarball).toBe(true);
  });

  it('keeps everything else: other dependencies, workspaces, fields in their order', () => {
    expect(pkg.devDependencies!.jest).toBe(original.devDependencies!.jest);
    expect(pkg.workspaces).toEqual(original.workspaces);
    expect(Object.keys(pkg)).toEqual(Object.keys(original));
    expect(original.dependencies).toHaveProperty('cdktf'); // the input is not modified
  });

  it('runs cdktn in scripts and asks for the Node.js that cdktn-cli needs', () => {
    expect(pkg.scripts!.synth).toBe('cdktn synth');
    expect(pkg.scripts!.test).toBe(original.scripts!.test);
    expect(pkg.engines!.node).toBe('>=22.19.0');
    expect(changes).toContain('scripts.synth: "cdktf synth" -> "cdktn synth"');
  });

  it('returns a package.json without CDKTF packages unchanged', () => {
    expect(rewritePackageJson(OTHER_PACKAGE)).toEqual({ pkg: OTHER_PACKAGE, changes: [], needsKubernetesTarball: false });
  });

  it('changes nothing the second time', () => {
    expect(rewritePackageJson(pkg).changes).toEqual([]);
  });
});

describe('rewriteCommand', () => {
  it.each([
    ['cdktf synth', 'cdktn synth'],
    ['npx cdktf deploy "*" --auto-approve', 'npx cdktn deploy "*" --auto-approve'],
    ['npm ci && cdktf synth --output cdktf.out', 'npm ci && cdktn synth --output cdktf.out'],
    ['cdktf get; cdktf synth', 'cdktn get; cdktn synth'],
    ['tsx scripts/plan-summary.ts ../base/cdktf.out cdktf.out', 'tsx scripts/plan-summary.ts ../base/cdktf.out cdktf.out'],
    ['echo cdktf', 'echo cdktf'],
    ['cdktfx run', 'cdktfx run'],
  ])('%s -> %s', (command, expected) => {
    expect(rewriteCommand(command)).toBe(expected);
  });
});
