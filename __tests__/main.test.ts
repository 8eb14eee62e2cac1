import { exec } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { Testing } from 'cdktf';
import { PIPELINE_MONITORS, pipelineMetricMetadata } from '../constructs';
import { addEnvironmentStacks } from '../main';

const ROOT = join(__dirname, '..');

describe('main: one stack per environment of config/environments.json', () => {
  const stacks = addEnvironmentStacks(Testing.app());
  const synthesized = Object.fromEntries(stacks.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack, true))]));

  it('builds algorithmia-staging and algorithmia-prod', () => {
    expect(Object.keys(synthesized)).toEqual(['algorithmia-staging', 'algorithmia-prod']);
  });

  it('gives each environment its own thresholds, handles and tags', () => {
    const duration = (stack: string) => synthesized[stack].resource.datadog_monitor.algorithmia_duration_monitor;
    expect(duration('algorithmia-prod').query).toBe('avg(last_5m):avg:algorithmia.duration_milliseconds{env:prod} > 10000');
    expect(duration('algorithmia-staging').query).toBe(
      'avg(last_10m):avg:algorithmia.duration_milliseconds{env:staging} by {algorithm_name} > 20000',
    );
    expect(duration('algorithmia-prod').message).toMatch(/@slack-ml-alerts @pagerduty-ml-platform$/);
    expect(duration('algorithmia-staging').message).toMatch(/@slack-ml-staging$/);
    expect(duration('algorithmia-prod').tags).toContain('env:prod');
    expect(duration('algorithmia-staging').tags).toContain('env:staging');
  });

  it("describes every metric of config/metrics.json (the file the forwarder reads) once per organisation: in prod's stack", () => {
    const declared = JSON.parse(readFileSync(join(ROOT, 'config', 'metrics.json'), 'utf8'));
    const expected = [
      'algorithmia.duration_milliseconds',
      ...declared.inferenceMetrics.map((metric: { key: string }) => `algorithmia.${metric.key}`),
      // What the forwarder makes itself: its execution count and health metrics.
      ...pipelineMetricMetadata(declared.prefix).map((entry) => entry.name),
    ];
    const described = Object.values(synthesized['algorithmia-prod'].resource.datadog_metric_metadata).map((entry: any) => entry.metric);
    expect(described.sort()).toEqual([...expected].sort());
    expect(synthesized['algorithmia-prod'].output.managed_metrics.value).toEqual(expected);
    // staging shares organisation acme with prod: it declares no metadata, so nothing is owned twice.
    expect(synthesized['algorithmia-staging'].resource.datadog_metric_metadata).toBeUndefined();
    expect(synthesized['algorithmia-staging'].output.managed_metrics.value).toEqual([]);
  });

  it("enables the percentiles staging's p95 monitor and widgets read, once per organisation: in prod's stack", () => {
    const configurations = Object.values(synthesized['algorithmia-prod'].resource.datadog_metric_tag_configuration);
    expect(configurations).toEqual([
      {
        metric_name: 'algorithmia.churn_probability',
        metric_type: 'distribution',
        include_percentiles: true,
        exclude_tags_mode: true,
        tags: ['request_id', 'session_id'],
      },
    ]);
    expect(synthesized['algorithmia-staging'].resource.datadog_metric_tag_configuration).toBeUndefined();
    const stagingQueries = Object.values(synthesized['algorithmia-staging'].resource.datadog_monitor).map((monitor: any) => monitor.query);
    expect(stagingQueries).toContain('avg(last_5m):p95:algorithmia.churn_probability{env:staging} by {algorithm_name} > 0.58');
  });

  it("outputs the dashboard URL and every monitor's id and URL", () => {
    const outputs = synthesized['algorithmia-prod'].output;
    expect(outputs.dashboard_url.value).toBe('https://app.datadoghq.com/dashboard/${datadog_dashboard.algorithmia_dashboard.id}');
    expect(Object.keys(outputs.monitors.value).sort()).toEqual(['approved', 'duration', 'risk_score']);
    expect(outputs.monitors.value.approved).toEqual({
      id: '${datadog_monitor.algorithmia_monitor_approved.id}',
      url: 'https://app.datadoghq.com/monitors/${datadog_monitor.algorithmia_monitor_approved.id}',
    });
  });
});

describe('main: model monitoring in the example staging environment', () => {
  const [staging, prod] = addEnvironmentStacks(Testing.app()).map((stack) => JSON.parse(Testing.synth(stack, true)));

  it('has one monitor of each kind, each with the query docs/model-monitoring.md shows', () => {
    const queries = Object.fromEntries(
      Object.entries(staging.resource.datadog_monitor).map(([address, monitor]: [string, any]) => [address, monitor.query]),
    );
    expect(queries).toEqual({
      algorithmia_duration_monitor: 'avg(last_10m):avg:algorithmia.duration_milliseconds{env:staging} by {algorithm_name} > 20000',
      algorithmia_monitor_risk_score: 'avg(last_5m):avg:algorithmia.risk_score{env:staging} by {algorithm_name,algorithm_version} > 0.9',
      algorithmia_change_monitor_risk_score:
        'pct_change(avg(last_1h),last_1d):avg:algorithmia.risk_score{env:staging} by {algorithm_name,algorithm_version} > 20',
      algorithmia_anomaly_monitor_duration_milliseconds:
        "avg(last_4h):anomalies(avg:algorithmia.duration_milliseconds{env:staging} by {algorithm_name}, 'agile', 3, direction='above', alert_window='last_30m', interval=60, seasonality='daily') >= 1",
      algorithmia_outlier_monitor_risk_score:
        "avg(last_30m):outliers(avg:algorithmia.risk_score{env:staging,algorithm_name:credit_card_approval} by {algorithm_version}, 'dbscan', 3) > 0",
      algorithmia_percentile_monitor_churn_probability:
        'avg(last_5m):p95:algorithmia.churn_probability{env:staging} by {algorithm_name} > 0.58',
      // Traffic and pipeline monitors: main-traffic-and-pipeline.test.ts checks them against docs/traffic-and-pipeline.md.
      ...Object.fromEntries(PIPELINE_MONITORS.map((entry) => [`algorithmia_${entry.id}`, expect.any(String)])),
      // Burn-rate alerts of the SLOs: main-slos.test.ts checks them against docs/slos.md.
      ...Object.fromEntries(
        ['slo_duration_milliseconds_burn_1h', 'slo_duration_milliseconds_burn_6h', 'slo_duration_milliseconds_burn_24h']
          .concat(['slo_risk_score_credit_card_approval_burn_1h', 'slo_risk_score_credit_card_approval_burn_24h'])
          .map((id) => [`algorithmia_${id}`, expect.stringMatching(/^burn_rate\(/)]),
      ),
    });
    expect(staging.resource.datadog_dashboard.algorithmia_dashboard.template_variable).toHaveLength(4);
  });

  it('leaves prod without the opt-in features', () => {
    expect(Object.keys(prod.resource.datadog_monitor).sort()).toEqual([
      'algorithmia_duration_monitor',
      'algorithmia_monitor_approved',
      'algorithmia_monitor_risk_score',
    ]);
    expect(prod.resource.datadog_dashboard.algorithmia_dashboard.template_variable).toBeUndefined();
  });
});

describe('cdktf app output', () => {
  const MARKERS = { DD_API_KEY: 'marker-api-key-5f1c0a', DD_APP_KEY: 'marker-app-key-9e27b4' };
  const checkouts: string[] = [];

  /** A checkout of the app's files in a new folder, sharing the installed node_modules. */
  function checkout(): string {
    const folder = mkdtempSync(join(tmpdir(), 'algorithmia-checkout-'));
    checkouts.push(folder);
    for (const entry of ['main.ts', 'cdktf.json', 'package.json', 'tsconfig.json', 'tsconfig.base.json', 'config', 'constructs']) {
      cpSync(join(ROOT, entry), join(folder, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(folder, 'node_modules'), 'dir');
    return folder;
  }

  /** Runs the app command of cdktf.json, as `cdktf synth` does, and returns cdktf.out file by file. */
  async function synthIn(folder: string, env: Record<string, string> = {}): Promise<Map<string, Buffer>> {
    const { app } = JSON.parse(readFileSync(join(folder, 'cdktf.json'), 'utf8'));
    const { CDKTF_OUTDIR: _ignored, ...inherited } = process.env;
    await promisify(exec)(app, { cwd: folder, env: { ...inherited, CHECKPOINT_DISABLE: '1', ...env } });
    const outdir = join(folder, 'cdktf.out');
    const files = new Map<string, Buffer>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else files.set(relative(outdir, path), readFileSync(path));
      }
    };
    walk(outdir);
    return files;
  }

  let first: Map<string, Buffer>;
  let second: Map<string, Buffer>;
  let firstFolder: string;

  beforeAll(async () => {
    firstFolder = checkout();
    // Concurrently, to halve the wait; the checkouts share only node_modules.
    [first, second] = await Promise.all([synthIn(firstFolder, MARKERS), synthIn(checkout())]);
  }, 120_000);

  afterAll(() => {
    for (const folder of checkouts) rmSync(folder, { recursive: true, force: true });
  });

  it('synthesizes both environment stacks', () => {
    expect([...first.keys()].sort()).toEqual([
      'manifest.json',
      'stacks/algorithmia-prod/cdk.tf.json',
      'stacks/algorithmia-staging/cdk.tf.json',
    ]);
  });

  it('is byte-identical in two checkouts in different folders', () => {
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [file, bytes] of first) {
      expect({ file, same: bytes.equals(second.get(file) as Buffer) }).toEqual({ file, same: true });
    }
  });

  it('contains no absolute path', () => {
    for (const [file, bytes] of first) {
      const text = bytes.toString('utf8');
      expect({ file, checkout: text.includes(firstFolder), root: text.includes(ROOT), tmp: text.includes(tmpdir()) }).toEqual({
        file,
        checkout: false,
        root: false,
        tmp: false,
      });
    }
  });

  it('contains no Datadog key, even with keys in the environment', () => {
    for (const [file, bytes] of first) {
      const text = bytes.toString('utf8');
      for (const marker of Object.values(MARKERS)) expect({ file, leaks: text.includes(marker) }).toEqual({ file, leaks: false });
    }
  });
});
