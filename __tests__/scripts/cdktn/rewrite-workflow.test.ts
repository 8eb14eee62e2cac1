import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rewriteWorkflow } from '../../../scripts/cdktn/rewrite-workflow';

/** The lines of examples/github-actions/datadog-gitops.yml that run cdktf, as they were before the move. */
const EXAMPLE = `env:
  CHECKPOINT_DISABLE: "1"   # no cdktf update check
  NODE_VERSION: "20"

jobs:
  summary:
    steps:
      - uses: actions/setup-node@v4
        with:
          node-version: \${{ env.NODE_VERSION }}
      - name: Synthesize the pull request
        working-directory: head
        run: npx cdktf synth
      - name: Synthesize the base
        run: npm ci --no-audit --no-fund && npx cdktf synth
      - name: Summarize the changes
        run: |
          npm run --silent plan-summary -- ../base/cdktf.out cdktf.out >> ../summary.md
  deploy:
    steps:
      - name: Deploy every stack
        run: |
          npx cdktf deploy '*' --auto-approve --skip-synth --no-color
`;

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

  it('leaves the shipped example workflow calling no cdktf (before or after the move)', () => {
    const shipped = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'github-actions', 'datadog-gitops.yml'), 'utf8');
    expect(rewriteWorkflow(shipped).text).not.toMatch(/npx cdktf\b/);
  });
});
