import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rewriteWorkflow } from '../../../scripts/cdktn/rewrite-workflow';

const EXAMPLE = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'github-actions', 'datadog-gitops.yml'), 'utf8');

describe('rewriteWorkflow', () => {
  const { text, changes } = rewriteWorkflow(EXAMPLE);

  it('runs cdktn wherever the example workflow ran cdktf', () => {
    expect(EXAMPLE).toMatch(/npx cdktf synth/);
    expect(text).not.toMatch(/npx cdktf\b/);
    expect(text).toMatch(/run: npx cdktn synth\n/);
    expect(text).toMatch(/npx cdktn deploy '\*' --auto-approve --skip-synth --no-color/);
    expect(text).toMatch(/npm ci --no-audit --no-fund && npx cdktn synth/);
  });

  it('moves the Node.js version to 22 and changes nothing else', () => {
    expect(text).toMatch(/NODE_VERSION: "22"/);
    const changedLines = text.split('\n').filter((line, index) => line !== EXAMPLE.split('\n')[index]);
    expect(changedLines).toHaveLength(changes.length);
    expect(changedLines.every((line) => /cdktn|NODE_VERSION/.test(line))).toBe(true);
  });

  it('keeps a Node.js that is already recent enough, and workflows without cdktf', () => {
    const recent = 'env:\n  NODE_VERSION: "24"\nsteps:\n  - run: npx cdktf synth\n';
    expect(rewriteWorkflow(recent).text).toBe('env:\n  NODE_VERSION: "24"\nsteps:\n  - run: npx cdktn synth\n');
    const other = "steps:\n  - uses: actions/setup-node@v4\n    with:\n      node-version: '18'\n  - run: npm test\n";
    expect(rewriteWorkflow(other)).toEqual({ text: other, changes: [] });
  });

  it('rewrites setup-node versions written as node-version', () => {
    const workflow = "steps:\n  - uses: actions/setup-node@v4\n    with:\n      node-version: '20.x'\n  - run: cdktf deploy\n";
    expect(rewriteWorkflow(workflow).text).toBe("steps:\n  - uses: actions/setup-node@v4\n    with:\n      node-version: '22'\n  - run: cdktn deploy\n");
  });
});
