import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configProblems, CONFIG_FILES } from '../main';

const ROOT = join(__dirname, '..');
/** The CLI that `npm run synth` runs: cdktf, or cdktn after scripts/cdktn/migrate (docs/cdktn.md). */
const SYNTH_CLI = join(
  ROOT,
  'node_modules',
  '.bin',
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.synth.split(' ')[0],
);

/** A config file in a temporary folder; returns its path. */
function configFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'environments-')), 'environments.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

function problemsFor(environments: unknown): string[] {
  return configProblems({ ...CONFIG_FILES, environments: configFile(environments) }).map((line) =>
    line.replace(/^.*?environments\.json/, 'environments.json'),
  );
}

describe('config problems: every problem of a run once, at its file and JSON key path', () => {
  it('reports shape and meaning problems in one run', () => {
    expect(
      problemsFor({
        environments: {
          prod: {
            scope: 'env:prod',
            notificationHandle: ['@slack-ml'],
            durationMonitor: { critical: 10000, warning: '5000', window: 'last 5m' },
            inferenceMonitors: { risk_score: { critical: 0.8, warning: 0.9 }, fraud: { critical: 0.5 } },
          },
        },
      }),
    ).toEqual([
      expect.stringMatching(
        /^environments\.json: environments\.prod\.notificationHandle is not a known setting: did you mean "notificationHandles"\?/,
      ),
      'environments.json: environments.prod.durationMonitor.warning must be a number (got "5000"): write 5000 without quotes.',
      'environments.json: environments.prod.durationMonitor.window "last 5m": use last_<number><m|h|d|w>, for example "last_5m".',
      'environments.json: environments.prod.inferenceMonitors.fraud: no inference metric with key "fraud" is declared (declared: risk_score, approved, churn_probability). Declare it in config/metrics.json, or remove this monitor.',
      expect.stringMatching(
        /^environments\.json: environments\.prod\.inferenceMonitors\.risk_score\.warning \(0\.9\) is not below critical \(0\.8\): .* Lower the warning or raise the critical threshold\.$/,
      ),
    ]);
  });

  it('reports an environment-level value inherited by every monitor once, at the environment key', () => {
    const problems = problemsFor({
      environments: {
        prod: {
          tags: ['env:prod', 'bad tag!'],
          inferenceMonitors: { risk_score: { critical: 0.9, tags: ['team:ml', '9:x'] }, approved: { critical: 0.2, comparator: '<' } },
        },
      },
    });
    expect(problems).toEqual([
      expect.stringMatching(/^environments\.json: environments\.prod\.tags\[1\] "bad tag!" is not a valid Datadog tag/),
      expect.stringMatching(
        /^environments\.json: environments\.prod\.inferenceMonitors\.risk_score\.tags\[1\] "9:x" is not a valid Datadog tag/,
      ),
    ]);
  });

  it('names the metrics file and the entry when the declaration is wrong', () => {
    const metrics = join(mkdtempSync(join(tmpdir(), 'metrics-')), 'metrics.json');
    writeFileSync(metrics, JSON.stringify({ inferenceMetrics: [{ key: 'risk_score', kind: 'counter' }] }));
    expect(configProblems({ environments: CONFIG_FILES.environments, metrics })).toEqual([
      expect.stringMatching(/metrics\.json: inferenceMetrics\[0\]\.kind "counter" is not allowed\. Use one of "gauge", "distribution"\.$/),
    ]);
  });

  it('gives line and column of a syntax error in the metrics file too', () => {
    const metrics = join(mkdtempSync(join(tmpdir(), 'metrics-')), 'metrics.json');
    writeFileSync(metrics, '{\n  "inferenceMetrics": [\n    { "key": "risk_score" }\n    { "key": "approved" }\n  ]\n}\n');
    expect(configProblems({ environments: CONFIG_FILES.environments, metrics })).toEqual([
      expect.stringMatching(/metrics\.json:4:5: not valid JSON: a comma is missing before "\{"\.$/),
    ]);
  });

  it('refuses a key written twice, as a copy-pasted environment block leaves it, at its line and key', () => {
    // The committed file with prod's key renamed to "staging": JSON.parse would keep the second
    // block only, making algorithmia-staging a stack with prod's scope and pagers.
    const committed = readFileSync(CONFIG_FILES.environments, 'utf8');
    const pasted = committed.replace('"prod": {', '"staging": {');
    const firstLine = committed.split('\n').findIndex((line) => line.includes('"staging": {')) + 1;
    const secondLine = pasted.split('\n').findIndex((line, index) => index >= firstLine && line.includes('"staging": {')) + 1;
    expect(problemsFor(pasted)).toEqual([
      `environments.json:${secondLine}:5: key "staging" appears twice in environments (first at line ${firstLine}): ` +
        'JSON keeps only the last one, so the first would be ignored without a word. Rename or remove one of them.',
    ]);
    const metrics = join(mkdtempSync(join(tmpdir(), 'metrics-')), 'metrics.json');
    writeFileSync(metrics, '{\n  "prefix": "algorithmia",\n  "prefix": "ml"\n}\n');
    expect(configProblems({ environments: CONFIG_FILES.environments, metrics })).toEqual([
      expect.stringMatching(/metrics\.json:3:3: key "prefix" appears twice at the top level \(first at line 2\)/),
    ]);
  });

  it('names the encoding of a file that is not UTF-8, instead of deploying garbled titles', () => {
    const latin1 = configFile('');
    writeFileSync(latin1, Buffer.from('{\n  "environments": { "prod": { "label": "équipe" } }\n}\n', 'latin1'));
    expect(configProblems({ ...CONFIG_FILES, environments: latin1 })).toEqual([
      expect.stringMatching(
        /environments\.json:2:41: byte 0xE9 is not UTF-8: the file looks Latin-1 or Windows-1252 encoded .*: save it as UTF-8\.$/,
      ),
    ]);
    const utf16 = configFile('');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"environments": {}}', 'utf16le')]));
    expect(configProblems({ ...CONFIG_FILES, environments: utf16 })).toEqual([
      expect.stringMatching(/environments\.json:1:1: the file is UTF-16 encoded: save it as UTF-8\.$/),
    ]);
  });

  it('refuses a number too large to represent, at its key, rather than as "got null"', () => {
    expect(problemsFor('{"environments": {"prod": {"durationMonitor": {"critical": 1e400}}}}')).toEqual([
      'environments.json:1:60: environments.prod.durationMonitor.critical: the number 1e400 is too large to be represented (the largest is about 1.8e308): write a smaller number.',
    ]);
  });

  it("refuses staging's percentile monitor and widgets when no environment of its organisation enables percentiles", () => {
    const committed = JSON.parse(readFileSync(CONFIG_FILES.environments, 'utf8'));
    committed.environments.prod.metricMetadata = false;
    committed.environments.staging.metricMetadata = false;
    expect(problemsFor(committed)).toEqual([
      expect.stringMatching(
        /^environments\.json: environments\.staging\.percentileMonitors\.churn_probability: no stack of this Datadog organisation enables the percentiles of algorithmia\.churn_probability, so its p95 monitor would get no data and never fire\. The stack that manages the metric metadata enables them: set "metricMetadata": true on one environment/,
      ),
      expect.stringMatching(
        /^environments\.json: environments\.staging\.dashboard\.distributionPercentiles: no stack of this Datadog organisation enables/,
      ),
    ]);
  });

  it('refuses a percentile monitor on a distribution declared without percentiles, naming the stack that would enable them (as docs/provisioning.md quotes)', () => {
    const declared = JSON.parse(readFileSync(CONFIG_FILES.metrics, 'utf8'));
    for (const metric of declared.inferenceMetrics) delete metric.percentiles;
    const metrics = join(mkdtempSync(join(tmpdir(), 'metrics-')), 'metrics.json');
    writeFileSync(metrics, JSON.stringify(declared));
    const problems = configProblems({ environments: CONFIG_FILES.environments, metrics }).map((line) =>
      line.replace(/^.*?environments\.json/, 'config/environments.json'),
    );
    expect(problems[0]).toBe(
      'config/environments.json: environments.staging.percentileMonitors.churn_probability: the percentiles of algorithmia.churn_probability are not enabled, so its p95 monitor would get no data and never fire: add "percentiles": true to its entry in config/metrics.json (environments.prod (algorithmia-prod) then enables them for the organisation).',
    );
    expect(readFileSync(join(ROOT, 'docs', 'provisioning.md'), 'utf8')).toContain(problems[0]);
  });

  it('is empty for the committed config', () => {
    expect(configProblems()).toEqual([]);
  });
});

describe('the CLI with a broken config', () => {
  const folders: string[] = [];

  /** A checkout of the app with its own config/environments.json, sharing node_modules. */
  function checkout(environments: string): string {
    const folder = mkdtempSync(join(tmpdir(), 'algorithmia-broken-'));
    folders.push(folder);
    for (const entry of ['main.ts', 'cdktf.json', 'package.json', 'tsconfig.json', 'tsconfig.base.json', 'config', 'constructs']) {
      cpSync(join(ROOT, entry), join(folder, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(folder, 'node_modules'), 'dir');
    writeFileSync(join(folder, 'config', 'environments.json'), environments);
    return folder;
  }

  function run(folder: string, command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const { CDKTF_OUTDIR: _outdir, CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: _annotations, ...inherited } = process.env;
    // An empty Terraform CLI config keeps terraform's "no ~/.terraformrc" warning out of the output.
    const terraformrc = join(folder, '.terraformrc');
    writeFileSync(terraformrc, '');
    const env = { ...inherited, CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0', TF_CLI_CONFIG_FILE: terraformrc };
    return new Promise((resolve) => {
      execFile(command, args, { cwd: folder, env }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });
  }

  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('`cdktf synth` prints each problem once, as file + key + fix, with no stack trace and no cdktf hint, and fails', async () => {
    const folder = checkout(
      JSON.stringify({
        environments: {
          staging: {
            notificationHandles: ['slack-ml'],
            inferenceMonitors: { risk_score: { critical: 0.9 }, approved: { critical: 0.2, comparator: '<' } },
          },
          prod: { durationMonitor: { critical: 10000, warning: 12000 }, backend: { type: 's3', bucket: 'b' } },
        },
      }),
    );
    const { code, stdout, stderr } = await run(folder, SYNTH_CLI, ['synth']);
    const output = `${stdout}\n${stderr}`.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
    const problems = output.split('\n').filter((line) => line.includes('config/environments.json'));
    expect(code).toBe(1);
    expect(problems).toEqual([
      'ERROR [config]: config/environments.json: environments.staging.notificationHandles[0] "slack-ml": a notification handle starts with "@" and has no spaces, e.g. "@slack-ml-alerts", "@pagerduty-ml" or "@ops@example.com".',
      'ERROR [config]: config/environments.json: environments.prod.backend.region is missing: add it, e.g. "region": "eu-west-1".',
      expect.stringMatching(
        /^ERROR \[config\]: config\/environments\.json: environments\.prod\.durationMonitor\.warning \(12000\) is not below critical \(10000\): /,
      ),
    ]);
    // Both CLIs close with this line of their own (docs/cdktn.md); cdktf-cli adds nothing after it,
    // cdktn-cli 0.24 a stack trace, a known difference.
    const closing = 'Error: While synthesizing one or more error annotations have been encountered. Please check the log output above.';
    expect(output).toContain(closing);
    if (SYNTH_CLI.endsWith('cdktf')) {
      expect(output.trimEnd().endsWith(closing)).toBe(true);
      expect(output).not.toMatch(/^\s+at /m);
    }
    expect(output).not.toContain('skipValidation');
    expect(output).not.toContain('algorithmia-prod/');
    // No stack of the broken configuration is left to deploy.
    expect(existsSync(join(folder, 'cdktf.out', 'stacks')) ? readdirSync(join(folder, 'cdktf.out', 'stacks')) : []).toEqual(['config']);
  }, 120_000);

  it('the app run directly (as a pipeline may) prints one line per problem on stderr and exits 1; JSON syntax at line and column', async () => {
    const folder = checkout('{\n  "environments": {\n    "prod": { "scope": "env:prod", }\n  }\n}\n');
    const { code, stdout, stderr } = await run(folder, process.execPath, ['--import', 'tsx', 'main.ts']);
    expect({ code, stdout, stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'config/environments.json:3:36: not valid JSON: unexpected "}" after a comma: remove the comma (JSON allows no trailing comma).\n',
    });
  }, 60_000);
});

describe('config problems found only when naming resources', () => {
  it('names the metrics file when two metric keys would get one Terraform name', () => {
    const metrics = join(mkdtempSync(join(tmpdir(), 'metrics-')), 'metrics.json');
    writeFileSync(metrics, JSON.stringify({ inferenceMetrics: [{ key: 'risk.score' }, { key: 'risk_score' }] }));
    const environments = configFile({ environments: { prod: {} } });
    expect(configProblems({ environments, metrics })).toEqual([
      expect.stringMatching(
        /metrics\.json: .* would both be named "algorithmia_metric_metadata_algorithmia_risk_score" in Terraform: give one of them a different id/,
      ),
    ]);
  });
});

describe('config problems: traffic and pipeline monitors', () => {
  it('names the key of each mistake, from the schema and from the constructs', () => {
    expect(
      problemsFor({
        environments: {
          prod: {
            trafficMonitors: { silentModel: { minutes: 1 }, trafficDrop: { dropPercent: 30, warningPercent: 40, baseline: 'last_1h' } },
            pipelineMonitors: {
              lag: { critical: 60, warning: 120 },
              deadLettered: { window: 'last_1m' },
              forwarderSilent: { groupBy: ['x'] },
            },
          },
        },
      }),
    ).toEqual([
      expect.stringMatching(/^environments\.json: environments\.prod\.trafficMonitors\.silentModel\.minutes .*at least 2/),
      expect.stringMatching(/^environments\.json: environments\.prod\.trafficMonitors\.trafficDrop\.baseline .*last_1d.*last_1w/),
      expect.stringMatching(/^environments\.json: environments\.prod\.pipelineMonitors\.forwarderSilent\.groupBy is not a known setting/),
      expect.stringMatching(
        /^environments\.json: environments\.prod\.trafficMonitors\.trafficDrop\.warningPercent \(40\) .*below dropPercent \(30\)/,
      ),
      expect.stringMatching(
        /^environments\.json: environments\.prod\.pipelineMonitors\.lag\.warning \(120\) is not below .*critical \(60\)/,
      ),
      expect.stringMatching(
        /^environments\.json: environments\.prod\.pipelineMonitors\.deadLettered\.window "last_1m" is shorter than 2 minutes/,
      ),
    ]);
  });
});
