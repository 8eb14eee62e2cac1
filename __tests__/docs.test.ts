import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentMonitors } from '../scripts/demo/environment-monitors';

const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('the docs say what the code does', () => {
  // The config examples (metric entries, monitor thresholds) are checked as written by __tests__/docs/snippets.test.ts.
  it('runs plan-summary with --silent wherever its output is kept (no npm banner in the Markdown)', () => {
    for (const file of [
      'README.md',
      'docs/gitops.md',
      'docs/provisioning.md',
      'examples/github-actions/README.md',
      'examples/github-actions/datadog-gitops.yml',
    ]) {
      expect({ file, withoutSilent: read(file).match(/npm run plan-summary/g) ?? [] }).toEqual({ file, withoutSilent: [] });
    }
  });

  it('claims no @cdktn/provider-kubernetes package', () => {
    for (const file of ['README.md', 'docs/provisioning.md']) {
      const text = read(file).replace(/npm has no prebuilt `@cdktn\/provider-kubernetes`/g, '');
      expect({ file, claims: text.match(/@cdktn\/provider-(\*|kubernetes)/g) ?? [] }).toEqual({ file, claims: [] });
    }
  });

  it('docs/preview.md: the tags it says the demo gives its points are those the demo sends', () => {
    const markdown = read('docs/preview.md');
    const claim = /The demo tags its points (.*?)(?=\), so|: )/s.exec(markdown);
    expect(claim).not.toBeNull();
    const claimed = [...claim![1].matchAll(/`([a-z_]+:[^`]+)`/g)].map((match) => match[1]);
    // The demo's default environment (DEMO_ENVIRONMENT, docs/demo.md): its tags become FORWARDER_TAGS.
    const sent = environmentMonitors('staging').forwarderTags;
    expect([...claimed].sort()).toEqual([...sent].sort());
    expect(markdown).toContain('npm run preview -- --points demo-points.jsonl --stack algorithmia-staging');
  });

  it('ships the Apache-2.0 licence package.json names', () => {
    expect(JSON.parse(read('package.json')).license).toBe('Apache-2.0');
    expect(read('LICENSE')).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(read('LICENSE')).toContain('END OF TERMS AND CONDITIONS');
  });
});
