import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

/** The version story (CHANGELOG.md): one version in every package.json, a changelog section for it, the image tag. */
const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const versionOf = (file: string) => (JSON.parse(read(file)) as { version: string }).version;
const version = versionOf('package.json');

interface WorkflowStep {
  name?: string;
  run?: string;
}
const workflow = parse(read('examples/github-actions/release-image.yml')) as {
  on: { push: { tags: string[] } };
  env: { IMAGE: string };
  jobs: { image: { steps: WorkflowStep[] } };
};
const tagCheck = workflow.jobs.image.steps.find((step) => step.name === 'The tag matches the versions and the changelog')!.run!;

/** Runs the workflow's tag check as the runner would (bash, from the checkout) for a pushed tag. */
function checkTag(tag: string, checkout = root) {
  const result = spawnSync('bash', ['-eo', 'pipefail', '-c', tagCheck], {
    cwd: checkout,
    env: { ...process.env, GITHUB_REF_NAME: tag },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('release versions', () => {
  it('the app, the forwarder and the shared declaration carry one semantic version', () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    expect(versionOf('forwarder/package.json')).toBe(version);
    expect(versionOf('metric-declaration/package.json')).toBe(version);
  });

  it('CHANGELOG.md keeps an Unreleased section above a dated section for that version', () => {
    const sections = [...read('CHANGELOG.md').matchAll(/^## \[([^\]]+)\](?: - (\S+))?$/gm)].map(([, name, date]) => ({ name, date }));
    expect(sections[0]).toEqual({ name: 'Unreleased', date: undefined });
    expect(sections[1].name).toBe(version);
    expect(sections[1].date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('the example config deploys the image the release workflow pushes for that version', () => {
    const images = [...read('config/environments.json').matchAll(/"image":\s*"([^"]+)"/g)].map(([, image]) => image);
    expect(images.length).toBeGreaterThan(0);
    const imageName = workflow.env.IMAGE.split('/').pop();
    for (const image of images) expect(image).toMatch(new RegExp(`/${imageName}:${version.replace(/\./g, '\\.')}$`));
  });
});

describe('release-image workflow: the tag check', () => {
  it('passes for the tag of the current version', () => {
    expect(checkTag(`v${version}`)).toEqual({ status: 0, output: '' });
  });

  it('refuses a tag that is not the version in package.json, naming the file', () => {
    const { status, output } = checkTag('v99.0.0');
    expect(status).toBe(1);
    expect(output.trim()).toBe(`::error file=package.json::version is ${version} but the tag is v99.0.0: bump it, or tag v${version}`);
  });

  it('refuses a version without its CHANGELOG.md section', () => {
    const checkout = mkdtempSync(join(tmpdir(), 'release-check-'));
    try {
      for (const file of ['package.json', 'forwarder/package.json']) {
        mkdirSync(dirname(join(checkout, file)), { recursive: true });
        const manifest = JSON.parse(read(file)) as Record<string, unknown>;
        writeFileSync(join(checkout, file), JSON.stringify({ ...manifest, version: '99.0.0' }));
      }
      writeFileSync(join(checkout, 'CHANGELOG.md'), read('CHANGELOG.md'));
      const { status, output } = checkTag('v99.0.0', checkout);
      expect(status).toBe(1);
      expect(output.trim()).toBe('::error file=CHANGELOG.md::no "## [99.0.0]" section: move the Unreleased entries under it');
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });
});
