import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { AlgorithmiaStack, AlgorithmiaStackProps, pipelineMetricMetadata } from '../../constructs';
import { summarizeSynthOutputs } from '../../scripts/plan-summary';

const ROOT = join(__dirname, '..', '..');
const METRICS_JSON = readFileSync(join(ROOT, 'config', 'metrics.json'), 'utf8');
const MARKERS = { DD_API_KEY: 'marker-api-key-7d3e91', DD_APP_KEY: 'marker-app-key-c05b2a' };

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** Synthesizes real stacks into a fresh cdktf.out, as `cdktf synth` does, and returns its path. */
function synth(stacks: Record<string, AlgorithmiaStackProps>): string {
  const outdir = join(mkdtempSync(join(tmpdir(), 'plan-summary-')), 'cdktf.out');
  folders.push(join(outdir, '..'));
  const saved = { ...process.env };
  Object.assign(process.env, MARKERS);
  try {
    const app = new App({ outdir });
    for (const [name, props] of Object.entries(stacks)) new AlgorithmiaStack(app, name, props);
    app.synth();
  } finally {
    for (const key of Object.keys(MARKERS)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
  return outdir;
}

/** The command as docs/gitops.md gives it: `npm run --silent plan-summary -- <base> <head>`. */
function planSummary(base: string, head: string): string {
  const result = spawnSync('npm', ['run', '--silent', 'plan-summary', '--', base, head], { cwd: ROOT, encoding: 'utf8' });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  return result.stdout;
}

/** A copy of a cdktf.out with one stack's cdk.tf.json edited, as a hand edit or another tool would. */
function edited(cdktfOut: string, stack: string, edit: (json: Record<string, any>) => void): string {
  const outdir = join(mkdtempSync(join(tmpdir(), 'plan-summary-edited-')), 'cdktf.out');
  folders.push(join(outdir, '..'));
  cpSync(cdktfOut, outdir, { recursive: true });
  const file = join(outdir, 'stacks', stack, 'cdk.tf.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  edit(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
  return outdir;
}

const riskOnly = parseMetricDeclaration({ inferenceMetrics: [{ key: 'risk_score', unit: 'fraction' }] });
const approvedToo = parseMetricDeclaration({
  inferenceMetrics: [{ key: 'approved', description: '1 when approved' }],
});

const baseProd: AlgorithmiaStackProps = {
  integration: {
    catalog: riskOnly,
    scope: 'env:prod',
    notificationHandles: ['@slack-ml-alerts'],
    inferenceMonitors: { risk_score: { critical: 0.9, warning: 0.8 } },
  },
};
const headProd: AlgorithmiaStackProps = {
  site: 'datadoghq.eu',
  integration: {
    catalog: approvedToo,
    scope: 'env:prod',
    notificationHandles: ['@slack-ml-alerts', '@pagerduty-ml'],
    durationMonitor: { critical: 15000, warning: 7500 },
    inferenceMonitors: { approved: { critical: 0.2, warning: 0.3, comparator: '<', window: 'last_1h' } },
  },
  forwarder: {
    image: 'ghcr.io/acme/algorithmia-datadog-forwarder:0.2.0',
    kafka: {
      brokers: ['kafka-0:9092'],
      topic: 'insights',
      partitions: 3,
      sasl: { mechanism: 'scram-sha-512', username: 'fwd', passwordSecret: { name: 'kafka-fwd', key: 'password' } },
    },
    replicas: 2,
    metricDeclaration: METRICS_JSON,
    kubernetes: { configContext: 'prod' },
  },
};

describe('plan-summary', () => {
  let markdown: string;

  beforeAll(() => {
    const base = synth({ 'algorithmia-prod': baseProd, 'algorithmia-staging': {}, 'algorithmia-qa': {} });
    const head = synth({ 'algorithmia-prod': headProd, 'algorithmia-dev': { integration: { label: 'dev' } }, 'algorithmia-qa': {} });
    markdown = summarizeSynthOutputs(base, head);
  });

  it('counts what changes per stack', () => {
    expect(markdown).toMatch(/^## Datadog and forwarder changes\n/);
    expect(markdown).toContain('**19 to add, 2 to change, 17 to remove** in 3 stacks.');
    expect(markdown).toContain('| `algorithmia-prod` | changed | 4 | 2 | 2 |');
    expect(markdown).toContain('| `algorithmia-dev` | new stack | 15 | 0 | 0 |');
    expect(markdown).toContain('| `algorithmia-staging` | stack removed | 0 | 0 | 15 |');
    expect(markdown).toContain('Unchanged: `algorithmia-qa`.');
  });

  it('gives the old and new query and thresholds of a changed monitor', () => {
    const section = markdown.slice(markdown.indexOf('Monitor **\\[Algorithmia\\] Excessive Algorithm Runtime**'));
    expect(section).toMatch(
      /^Monitor \*\*\\\[Algorithmia\\\] Excessive Algorithm Runtime\*\* \(`datadog_monitor\.algorithmia_duration_monitor`\)/,
    );
    expect(markdown).toContain(
      '  - query: `avg(last_5m):avg:algorithmia.duration_milliseconds{env:prod} > 10000` → `avg(last_5m):avg:algorithmia.duration_milliseconds{env:prod} > 15000`',
    );
    expect(markdown).toContain('  - critical threshold: `10000` → `15000`');
    expect(markdown).toContain('  - warning threshold: `5000` → `7500`');
    expect(markdown).toContain('  - notifies: added `@pagerduty-ml`');
    expect(markdown).toContain('  - message text changed');
  });

  it('names added and removed monitors with their query and thresholds', () => {
    expect(markdown).toContain('- ➕ Monitor **\\[Algorithmia\\] Low approved** (`datadog_monitor.algorithmia_monitor_approved`)');
    expect(markdown).toContain('  - query: `avg(last_1h):avg:algorithmia.approved{env:prod} < 0.2`');
    expect(markdown).toContain('  - thresholds: critical `0.2`, warning `0.3`');
    expect(markdown).toContain('- ➖ Monitor **\\[Algorithmia\\] High risk\\_score** (`datadog_monitor.algorithmia_monitor_risk_score`)');
  });

  it('lists dashboard widgets added and removed by title', () => {
    expect(markdown).toContain('- ✏️ Dashboard **Algorithmia** (`datadog_dashboard.algorithmia_dashboard`)');
    expect(markdown).toMatch(/ {2}- widgets added: timeseries “Avg of algorithmia\.approved over env:prod”/);
    expect(markdown).toMatch(/ {2}- widgets removed: timeseries “Avg of algorithmia\.risk\\_score over env:prod”/);
  });

  it('describes metric metadata', () => {
    expect(markdown).toContain(
      '- ➕ Metric metadata **algorithmia.approved** (`datadog_metric_metadata.algorithmia_metric_metadata_algorithmia_approved`)',
    );
    expect(markdown).toContain('  - type `gauge`, no unit, description `1 when approved`');
    expect(markdown).toContain('- ➖ Metric metadata **algorithmia.risk\\_score**');
  });

  it('says when percentiles are enabled for the organisation, and warns that deleting them turns them off everywhere', () => {
    const without = parseMetricDeclaration({ inferenceMetrics: [{ key: 'latency', kind: 'distribution' }] });
    const withPercentiles = parseMetricDeclaration({ inferenceMetrics: [{ key: 'latency', kind: 'distribution', percentiles: true }] });
    const before = synth({ 'algorithmia-prod': { integration: { catalog: without } } });
    const after = synth({ 'algorithmia-prod': { integration: { catalog: withPercentiles } } });
    const enabled = summarizeSynthOutputs(before, after);
    expect(enabled).toContain(
      '- ➕ Percentiles of **algorithmia.latency** (`datadog_metric_tag_configuration.algorithmia_metric_percentiles_algorithmia_latency`)',
    );
    expect(enabled).toContain(
      '  - percentiles (p50 to p99) computed for the organisation; queryable tags: every tag but `request_id`, `session_id`',
    );
    const disabled = summarizeSynthOutputs(after, before);
    expect(disabled).toContain('- ➖ Percentiles of **algorithmia.latency**');
    expect(disabled).toMatch(/deletes this tag configuration: Datadog stops computing the metric's percentiles for the whole organisation/);
    const released = summarizeSynthOutputs(
      after,
      synth({ 'algorithmia-prod': { integration: { catalog: withPercentiles, metricMetadata: 'release' } } }),
    );
    expect(released).toContain('- ➖ Percentiles of **algorithmia.latency**');
    expect(released).toContain('**forgotten, not deleted**');
    expect(released).not.toContain('deletes this tag configuration');
    // A hand edit (or a later construct) that narrows the queryable tags or turns percentiles off.
    const narrowed = edited(after, 'algorithmia-prod', (json) => {
      const configuration = json.resource.datadog_metric_tag_configuration.algorithmia_metric_percentiles_algorithmia_latency;
      Object.assign(configuration, { exclude_tags_mode: false, tags: ['algorithm_name'], include_percentiles: false });
    });
    const changed = summarizeSynthOutputs(after, narrowed);
    expect(changed).toContain('  - percentiles (p50 to p99) computed → no percentiles');
    expect(changed).toContain('  - queryable tags: every tag but `request_id`, `session_id` → only `algorithm_name`');
  });

  it('describes the forwarder Deployment, its Secret references and the new providers', () => {
    expect(markdown).toContain(
      '- ➕ Kubernetes Deployment **default/algorithmia-datadog-forwarder** (`kubernetes_deployment_v1.forwarder_deployment`)',
    );
    expect(markdown).toContain('  - image: `ghcr.io/acme/algorithmia-datadog-forwarder:0.2.0`');
    expect(markdown).toContain('  - replicas: `2`');
    expect(markdown).toContain('`DD_API_KEY from Secret datadog-api-key/api-key`');
    expect(markdown).toContain('`KAFKA_SASL_PASSWORD from Secret kafka-fwd/password`');
    expect(markdown).toContain('  - probes: liveness `/healthz:8080`, readiness `/readyz:8080`');
    expect(markdown).toContain('- ➕ Kubernetes ConfigMap **default/algorithmia-datadog-forwarder-metrics**');
    expect(markdown).toContain('- provider `kubernetes` added');
    expect(markdown).toContain('- provider `datadog` `api_url`: _none_ → `https://api.datadoghq.eu`');
  });

  it('names whole stacks added and removed, with a warning about removed ones', () => {
    expect(markdown).toContain('### `algorithmia-dev` (new stack)');
    expect(markdown).toContain('- ➕ Dashboard **Algorithmia (dev)**');
    expect(markdown).toContain('### `algorithmia-staging` (stack removed)');
    expect(markdown).toContain('Run `cdktf destroy algorithmia-staging` from the base commit first');
  });

  it('contains no secret and no raw JSON', () => {
    for (const marker of Object.values(MARKERS)) expect(markdown).not.toContain(marker);
    expect(markdown).not.toMatch(/"\/\/"|uniqueId|\{"/);
  });

  it('masks secret-looking literals that a hand-written resource might hold', () => {
    const dir = (json: object) => {
      const outdir = mkdtempSync(join(tmpdir(), 'plan-summary-fixture-'));
      folders.push(outdir);
      mkdirSync(join(outdir, 'stacks', 'algorithmia-prod'), { recursive: true });
      writeFileSync(join(outdir, 'stacks', 'algorithmia-prod', 'cdk.tf.json'), JSON.stringify(json));
      return outdir;
    };
    const before = dir({ provider: { kubernetes: [{}] }, resource: {} });
    const after = dir({
      provider: { kubernetes: [{ token: 'sekrit-token-1', password: 'sekrit-password-2' }] },
      resource: {
        kubernetes_deployment_v1: {
          x: {
            metadata: { name: 'x' },
            spec: { template: { spec: { container: [{ name: 'c', image: 'i', env: [{ name: 'DD_API_KEY', value: 'sekrit-key-3' }] }] } } },
          },
        },
        datadog_synthetics_test: { y: { name: 'y', api_key: 'sekrit-key-4' } },
      },
    });
    const summary = summarizeSynthOutputs(before, after);
    expect(summary).not.toMatch(/sekrit/);
    expect(summary).toContain('`DD_API_KEY = (redacted)`');
    expect(summary).toContain('provider `kubernetes` `token`: _none_ → `(redacted)`');
  });

  it('describes a forwarder upgrade: image, replicas, settings and a new metric declaration', () => {
    const forwarder = headProd.forwarder!;
    const before = synth({ 'algorithmia-prod': { forwarder } });
    const after = synth({
      'algorithmia-prod': {
        forwarder: {
          ...forwarder,
          image: 'ghcr.io/acme/algorithmia-datadog-forwarder:0.3.0',
          replicas: 3,
          env: { LOG_LEVEL: 'debug' },
          metricDeclaration: '{"inferenceMetrics":[]}',
        },
      },
    });
    const summary = summarizeSynthOutputs(before, after);
    expect(summary).toContain(
      '- ✏️ Kubernetes Deployment **default/algorithmia-datadog-forwarder** (`kubernetes_deployment_v1.forwarder_deployment`)',
    );
    expect(summary).toContain('  - replicas: `2` → `3`');
    expect(summary).toContain(
      '  - image: `ghcr.io/acme/algorithmia-datadog-forwarder:0.2.0` → `ghcr.io/acme/algorithmia-datadog-forwarder:0.3.0`',
    );
    expect(summary).toContain('  - environment added: `LOG_LEVEL = debug`');
    expect(summary).toContain('  - metric declaration changed: the pods restart');
    expect(summary).toMatch(/- ✏️ Kubernetes ConfigMap .*\n {2}- data changed: `metrics\.json` \(\+1 −\d+ lines\)/);
    expect(summary).not.toMatch(/sha256|[0-9a-f]{64}/);
  });

  it('says so when nothing changes', () => {
    const out = synth({ 'algorithmia-prod': {} });
    expect(summarizeSynthOutputs(out, out)).toBe(
      '## Datadog and forwarder changes\n\nNo changes: 1 stack synthesizes exactly as before (`algorithmia-prod`).\n',
    );
  });

  it('runs as a command and fails clearly on a missing directory', () => {
    const out = synth({ 'algorithmia-prod': {} });
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const script = join(ROOT, 'scripts', 'plan-summary.ts');
    expect(execFileSync(tsx, [script, out, out], { encoding: 'utf8' })).toContain('No changes');
    let stderr = '';
    try {
      execFileSync(tsx, [script, join(out, 'nope'), out], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      stderr = String((error as { stderr: string }).stderr);
      expect((error as { status: number }).status).toBe(2);
    }
    expect(stderr).toMatch(/nope is not a directory: give the cdktf.out folder/);
  });

  it('gives a distribution metric its kind, not gauge', () => {
    const catalog = parseMetricDeclaration({ inferenceMetrics: [{ key: 'latency', kind: 'distribution', unit: 'millisecond' }] });
    const summary = summarizeSynthOutputs(synth({ 'algorithmia-prod': {} }), synth({ 'algorithmia-prod': { integration: { catalog } } }));
    expect(summary).toContain('- ➕ Metric metadata **algorithmia.latency**');
    expect(summary).toContain('  - type `distribution` (set by Datadog from the first point), unit `millisecond`');
  });

  it('shows the outputs of new resources: dashboard URL on the site, monitor ids and URLs', () => {
    const summary = summarizeSynthOutputs(synth({}), synth({ 'algorithmia-prod': { site: 'datadoghq.eu' } }));
    expect(summary).toContain('  - output `dashboard_url`: `https://app.datadoghq.eu/dashboard/<id>` (the id is known after deploy)');
    expect(summary).toContain(
      '  - output `monitors.duration.url`: `https://app.datadoghq.eu/monitors/<id>` (the id is known after deploy)',
    );
  });

  it("says when a resource is imported (adopting the tile's objects) and when metadata is forgotten, not deleted", () => {
    const before = synth({ 'algorithmia-staging': {} });
    const after = synth({ 'algorithmia-staging': { integration: { metricMetadata: 'release', adopt: { dashboardId: 'abc-def-ghi' } } } });
    const summary = summarizeSynthOutputs(before, after);
    expect(summary).toMatch(
      /- ➖ Metric metadata \*\*algorithmia\.duration\\_milliseconds\*\* .*\n {2}- \*\*forgotten, not deleted\*\*: a `removed` block with `destroy = false`/,
    );
    const adopted = summarizeSynthOutputs(synth({}), after);
    expect(adopted).toContain('- 📥 Import `abc-def-ghi` into `datadog_dashboard.algorithmia_dashboard`: Dashboard **Algorithmia**');
    expect(adopted).toContain('  - output `dashboard_url`: `https://app.datadoghq.com/dashboard/abc-def-ghi`');
  });
});

describe('plan-summary: adopting existing objects (import blocks)', () => {
  const adopt = { dashboardId: 'abc-def-ghi', durationMonitorId: 1234567 };
  const prod: AlgorithmiaStackProps = { integration: { scope: 'env:prod', notificationHandles: ['@slack-ml-alerts'] } };
  const adopting: AlgorithmiaStackProps = { integration: { ...prod.integration, adopt } };

  it('shows adopt ids added to an existing environment as imports that overwrite the live objects, counted apart', () => {
    const summary = planSummary(synth({ 'algorithmia-prod': prod }), synth({ 'algorithmia-prod': adopting }));
    expect(summary).not.toContain('No changes');
    expect(summary).toContain('**2 to import, 0 to add, 0 to change, 0 to remove** in 1 stack.');
    expect(summary).toContain('| stack | | import | add | change | remove |');
    expect(summary).toContain('| `algorithmia-prod` | changed | 2 | 0 | 0 | 0 |');
    const imported = summary.slice(summary.indexOf('**Imported**'));
    expect(imported).toMatch(
      /^\*\*Imported\*\*\n\n- 📥 Import `1234567` into `datadog_monitor\.algorithmia_duration_monitor`: Monitor \*\*\\\[Algorithmia\\\] Excessive Algorithm Runtime\*\*\n/,
    );
    expect(imported).toContain(
      '  - the deploy takes over this existing object and overwrites it with the configuration below; ' +
        'what it holds now is not in the synth output (`cdktf diff algorithmia-prod` compares with Datadog)',
    );
    // What the configuration sets on the monitor, as for an added one.
    expect(imported).toContain('  - query: `avg(last_5m):avg:algorithmia.duration_milliseconds{env:prod} > 10000`');
    expect(imported).toContain('  - thresholds: critical `10000`, warning `5000`');
    expect(imported).toContain('  - notifies: `@slack-ml-alerts`');
    expect(imported).toContain('  - output `monitors.duration.url`: `https://app.datadoghq.com/monitors/1234567`');
    expect(imported).toMatch(/- 📥 Import `abc-def-ghi` into `datadog_dashboard\.algorithmia_dashboard`: Dashboard \*\*Algorithmia\*\*\n/);
    expect(imported).toContain('  - output `dashboard_url`: `https://app.datadoghq.com/dashboard/abc-def-ghi`');
    // Both addresses were declared before: Terraform skips an import into an address already in its state.
    expect(imported).toContain(
      '  - `datadog_dashboard.algorithmia_dashboard` is in the base too: if the base was deployed, Terraform finds it in the state and ' +
        'ignores this import block (`abc-def-ghi` is not taken over, the object the stack created stays)',
    );
    expect(summary).not.toMatch(/\*\*Added\*\*|\*\*Changed\*\*/);
  });

  it('counts a resource that a new stack imports as an import, not an add', () => {
    const summary = planSummary(synth({}), synth({ 'algorithmia-prod': { integration: { adopt: { dashboardId: 'abc-def-ghi' } } } }));
    // The duration monitor, and the metadata of the duration metric and of what the forwarder makes itself.
    const added = 2 + pipelineMetricMetadata('algorithmia').length;
    expect(summary).toContain(`**1 to import, ${added} to add, 0 to change, 0 to remove** in 1 stack.`);
    expect(summary).toContain(`| \`algorithmia-prod\` | new stack | 1 | ${added} | 0 | 0 |`);
    expect(summary).toContain('- 📥 Import `abc-def-ghi` into `datadog_dashboard.algorithmia_dashboard`: Dashboard **Algorithmia**');
    expect(summary).not.toContain('is in the base too');
    expect(summary).toContain('- ➕ Monitor **\\[Algorithmia\\] Excessive Algorithm Runtime**');
  });

  it('says briefly that an import block dropped after the import is normal', () => {
    const summary = planSummary(synth({ 'algorithmia-prod': adopting }), synth({ 'algorithmia-prod': prod }));
    expect(summary).toContain('**0 to add, 0 to change, 0 to remove** in 1 stack.');
    expect(summary).toContain(
      '- import block dropped for `datadog_monitor.algorithmia_duration_monitor` (`1234567`): normal once a deploy has imported it, ' +
        'nothing changes in Datadog; if no deploy ran with it, the next one creates a new object instead of taking over `1234567`',
    );
  });

  it('warns that removing an imported resource deletes the adopted object', () => {
    const base = synth({ 'algorithmia-prod': adopting });
    const head = edited(base, 'algorithmia-prod', (json) => {
      delete json.resource.datadog_monitor.algorithmia_duration_monitor;
      json.import = json.import.filter((block: { to: string }) => !block.to.startsWith('datadog_monitor.'));
    });
    const summary = planSummary(base, head);
    expect(summary).toMatch(
      /- ➖ Monitor \*\*\\\[Algorithmia\\\] Excessive Algorithm Runtime\*\* \(`datadog_monitor\.algorithmia_duration_monitor`\)\n {2}- query: .*\n {2}- it was imported from `1234567`, an object that existed before this stack: the deploy deletes it from Datadog\n/,
    );
    expect(summary).not.toContain('import block dropped');
  });

  it('says when an import block names no resource (Terraform refuses the plan)', () => {
    const base = synth({ 'algorithmia-prod': prod });
    const head = edited(base, 'algorithmia-prod', (json) => {
      json.import = [{ to: 'datadog_monitor.not_declared', id: '42' }];
    });
    expect(planSummary(base, head)).toContain(
      '- **import block for `datadog_monitor.not_declared` (`42`) names no resource**: Terraform refuses to plan (Configuration for import target does not exist)',
    );
  });
});

describe('plan-summary: what differs in a changed widget', () => {
  const manyModels = { templateVariables: true, perAlgorithmTable: true, distributionPercentiles: true };
  const threeMetrics = parseMetricDeclaration(JSON.parse(METRICS_JSON));
  const fourMetrics = parseMetricDeclaration({
    ...JSON.parse(METRICS_JSON),
    inferenceMetrics: [...JSON.parse(METRICS_JSON).inferenceMetrics, { key: 'confidence', unit: 'fraction' }],
  });

  /** Every `a` → `b` of a summary, whose two sides must never read the same. */
  function changesShown(summary: string): [string, string][] {
    return [...summary.matchAll(/(`[^`]*`|_none_) → (`[^`]*`|_none_)/g)].map((match) => [match[1], match[2]]);
  }

  it('names the query a per-algorithm table gains, not the same cut text on both sides', () => {
    const base = synth({ 'algorithmia-prod': { integration: { catalog: threeMetrics, scope: 'env:prod', dashboard: manyModels } } });
    const head = synth({ 'algorithmia-prod': { integration: { catalog: fourMetrics, scope: 'env:prod', dashboard: manyModels } } });
    const summary = planSummary(base, head);
    const table = summary.split('\n').find((line) => line.startsWith('  - widget changed: query table “Per algorithm and version”'));
    expect(table).toBe(
      '  - widget changed: query table “Per algorithm and version”: query added ' +
        '`avg:algorithmia.confidence{$env,$algorithm_name,$algorithm_version,$algorithm_owner} by {algorithm_name,algorithm_version}` ' +
        '(as “algorithmia.confidence”)',
    );
    for (const [before, after] of changesShown(summary)) expect(before).not.toBe(after);
  });

  it('shows where two long queries differ, and which settings of a widget changed', () => {
    const base = synth({ 'algorithmia-prod': { integration: { catalog: threeMetrics, scope: 'env:prod', dashboard: manyModels } } });
    const longScope = 'env:prod,team:ml-platform,region:eu-west-1,cluster:inference-a,!host:canary-1,!host:canary-2';
    const head = edited(base, 'algorithmia-prod', (json) => {
      const table = json.resource.datadog_dashboard.algorithmia_dashboard.widget.find(
        (widget: Record<string, unknown>) => widget.query_table_definition,
      ).query_table_definition;
      const query = table.request[0].query[3].metric_query;
      query.query = query.query.replace('{$env,', `{${longScope},$env,`);
      table.request[0].formula[3].alias = 'churn';
      table.has_search_bar = 'never';
    });
    const summary = planSummary(base, head);
    const table = summary.split('\n').find((line) => line.startsWith('  - widget changed: query table “Per algorithm and version”'))!;
    expect(table).toContain(': query `avg:algorithmia.churn_probability{$env,$algorithm_name,');
    expect(table).toContain(`…\` → \`avg:algorithmia.churn_probability{${longScope},$env,$algorithm_name`);
    expect(table).toContain('alias `algorithmia.churn_probability` → `churn`');
    expect(table).toContain('`has_search_bar`: `auto` → `never`');
    for (const [before, after] of changesShown(summary)) expect(before).not.toBe(after);
  });
});

describe('plan-summary: traffic and pipeline monitors', () => {
  it('says in words what each added monitor watches, and what missing data means for it', () => {
    const head: AlgorithmiaStackProps = {
      integration: {
        scope: 'env:prod',
        trafficMonitors: { silentModel: { minutes: 20 }, trafficDrop: { baseline: 'last_1w', dropPercent: 40 } },
        pipelineMonitors: { forwarderSilent: {}, lag: { critical: 600 }, deadLettered: {}, rejectedPoints: { window: 'last_1h' } },
      },
    };
    const summary = planSummary(synth({ 'algorithmia-prod': { integration: { scope: 'env:prod' } } }), synth({ 'algorithmia-prod': head }));
    expect(summary).toContain('**6 to add, 0 to change, 0 to remove** in 1 stack.');
    for (const words of [
      'watches: no executions per `algorithm_name` for 20 minutes',
      'watches: executions over 1 hour per `algorithm_name` down more than 40 % against 1 week before',
      'watches: no forwarder heartbeat for 5 minutes',
      'watches: forwarder more than 600 s behind Kafka over 5 minutes',
      'watches: any record dead-lettered in 15 minutes',
      'watches: any point rejected by Datadog in 1 hour',
    ]) {
      expect(summary).toContain(`  - ${words}\n`);
    }
    expect(summary).toContain('- ➕ Monitor **\\[Algorithmia\\] Model silent** (`datadog_monitor.algorithmia_silent_model_monitor`)');
    expect(summary).toContain('  - missing data: a sum or count is 0, other aggregations keep their last status');
    expect(summary).toContain('  - missing data: OK');
  });

  it("gives a count's interval in its metadata", () => {
    const summary = planSummary(synth({}), synth({ 'algorithmia-prod': {} }));
    expect(summary).toContain('  - type `count`, interval `10` s, unit `execution`, description');
  });
});
