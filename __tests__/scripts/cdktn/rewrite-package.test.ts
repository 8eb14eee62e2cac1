import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PackageJson, rewriteCommand, rewritePackageJson } from '../../../scripts/cdktn/rewrite-package';

const ROOT = join(__dirname, '..', '..', '..');
const readPackage = (folder: string): PackageJson => JSON.parse(readFileSync(join(ROOT, folder, 'package.json'), 'utf8'));

describe('rewritePackageJson', () => {
  const original = readPackage('.');
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
    const forwarder = readPackage('forwarder');
    expect(rewritePackageJson(forwarder)).toEqual({ pkg: forwarder, changes: [], needsKubernetesTarball: false });
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
