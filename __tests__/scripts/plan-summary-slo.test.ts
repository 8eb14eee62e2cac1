import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { addEnvironmentStacks } from '../../main';
import { comparePlans, readSynthOutput, renderMarkdown } from '../../scripts/plan-summary';
import { budgetLasts, parseSloAlertQuery } from '../../scripts/plan-summary/resources/burn-rate-words';
import type { StackJson } from '../../scripts/plan-summary/synth-output';

const STACK = 'algorithmia-staging';
const SLO = 'datadog_service_level_objective.algorithmia_slo_duration_milliseconds';
const PAGE_ALERT = 'datadog_monitor.algorithmia_slo_duration_milliseconds_burn_1h';

let folder: string;
/** The staging stack as `cdktf synth` writes it from config/environments.json (two SLOs). */
let staging: StackJson;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'plan-summary-slo-'));
  const outdir = join(folder, 'cdktf.out');
  const app = new App({ outdir });
  addEnvironmentStacks(app);
  app.synth();
  staging = readSynthOutput(outdir).get(STACK)!;
  mkdirSync(join(folder, 'empty'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const copy = (stack: StackJson): any => JSON.parse(JSON.stringify(stack));
const resources = (stack: any, type: string): Record<string, any> => stack.resource[type];

function summary(base: StackJson | undefined, head: StackJson | undefined): string[] {
  const side = (stack: StackJson | undefined) => new Map(stack ? [[STACK, stack]] : []);
  return renderMarkdown(comparePlans(side(base), side(head))).split('\n');
}

/** The entry of `address` (its heading line and every line under it), at any depth. */
function entryOf(lines: readonly string[], address: string): string[] {
  const start = lines.findIndex((line) => /^ *- /.test(line) && line.endsWith(`(\`${address}\`)`));
  expect(start).toBeGreaterThanOrEqual(0);
  const depth = lines[start].indexOf('-');
  const end = lines.findIndex((line, index) => index > start && !(line.startsWith(' '.repeat(depth + 2)) && line.trim() !== ''));
  return lines.slice(start, end < 0 ? undefined : end);
}

describe('plan-summary: SLOs and their burn-rate alerts in words', () => {
  it('lists an added time-slice SLO with its condition, targets and missing data, and its alerts under it', () => {
    const lines = summary(undefined, staging);
    const entry = entryOf(lines, SLO);
    expect(entry.slice(0, 3)).toEqual([
      `- ➕ SLO **\\[Algorithmia\\] duration\\_milliseconds \\<= 15000 (staging)** (\`${SLO}\`)`,
      '  - good 5-minute slices where `avg:algorithmia.duration_milliseconds{env:staging}` <= 15000; target 99.5% over 30d (warning 99.8%), 99.5% over 7d',
      '  - slices without data count as good: a silent model meets this SLO; the silent-model monitor **\\[Algorithmia\\] Model silent (staging)** covers that',
    ]);
    // Each of its three alerts is nested in its entry, in words, not as a monitor with a raw query.
    const alerts = entry.filter((line) => line.startsWith('  - ➕ Monitor '));
    expect(alerts).toHaveLength(3);
    expect(entryOf(lines, PAGE_ALERT).slice(1, 3)).toEqual([
      '    - burn-rate alert: pages `@pagerduty-ml-staging` when the 30d budget burns > 14.4× over both the last 1h and 5m (budget gone in ~2.1 days at that rate)',
      "    - tags: the SLO's and `severity:page`",
    ]);
    expect(entry).toContain(
      '    - burn-rate alert: notifies `@slack-ml-staging` (ticket) when the 30d budget burns > 6× over both the last 6h and 30m (budget gone in ~5 days at that rate)',
    );
    expect(lines.join('\n')).not.toMatch(/burn_rate\(|query: .*datadog_service_level_objective/);
    // Said once per SLO: two SLOs, two lines.
    expect(lines.filter((line) => line.includes('slices without data count as good'))).toHaveLength(2);
    expect(entryOf(lines, 'datadog_monitor.algorithmia_slo_risk_score_credit_card_approval_burn_1h')[1]).toBe(
      '    - burn-rate alert: pages `@pagerduty-ml-staging` when the 7d budget burns > 10× over both the last 1h and 5m (budget gone in ~16.8 hours at that rate)',
    );
  });

  it('says when no silent-model monitor catches what the SLO counts as good', () => {
    const head = copy(staging);
    for (const [key, monitor] of Object.entries(resources(head, 'datadog_monitor')))
      if (String(monitor.query).includes('.executions{')) delete resources(head, 'datadog_monitor')[key];
    expect(entryOf(summary(undefined, head), SLO)[2]).toBe(
      '  - slices without data count as good: a silent model meets this SLO; **no silent-model monitor in this stack covers that** (a model that stops running meets this SLO unnoticed)',
    );
  });

  it('says a changed target as old → new, once (not again for the primary target fields)', () => {
    const head = copy(staging);
    const slo = resources(head, 'datadog_service_level_objective').algorithmia_slo_duration_milliseconds;
    slo.thresholds[0].target = 99.9;
    slo.target_threshold = 99.9;
    const lines = summary(staging, head);
    expect(entryOf(lines, SLO)).toEqual([
      `- ✏️ SLO **\\[Algorithmia\\] duration\\_milliseconds \\<= 15000 (staging)** (\`${SLO}\`)`,
      '  - target over 30d: 99.5% → 99.9%',
    ]);
    expect(lines.find((line) => line.startsWith('**'))).toMatch(/^\*\*0 to add, 1 to change, 0 to remove\*\* in 1 stack\./);
  });

  it('says a changed slice condition and a target added, and a primary target field that disagrees', () => {
    const head = copy(staging);
    const slo = resources(head, 'datadog_service_level_objective').algorithmia_slo_duration_milliseconds;
    slo.sli_specification.time_slice.threshold = 12000;
    slo.sli_specification.time_slice.query_interval_seconds = 60;
    slo.thresholds.push({ timeframe: '90d', target: 99 });
    slo.warning_threshold = 99.7;
    expect(entryOf(summary(staging, head), SLO).slice(1)).toEqual([
      '  - threshold: `15000` → `12000`',
      '  - slices: 5-minute → 1-minute',
      '  - target over 90d added: 99%',
      '  - `warning_threshold`: `99.8` → `99.7`',
    ]);
  });

  it('says a changed burn rate in words under the alert, naming its unchanged SLO', () => {
    const head = copy(staging);
    const alert = resources(head, 'datadog_monitor').algorithmia_slo_duration_milliseconds_burn_1h;
    alert.query = alert.query.replace('> 14.4', '> 10');
    alert.monitor_thresholds.critical = '10';
    expect(entryOf(summary(staging, head), PAGE_ALERT).slice(1)).toEqual([
      '  - burn rate: `> 14.4` → `> 10`',
      '  - now: burn-rate alert: pages `@pagerduty-ml-staging` when the 30d budget burns > 10× over both the last 1h and 5m (budget gone in ~3 days at that rate)',
      `  - part of SLO **\\[Algorithmia\\] duration\\_milliseconds \\<= 15000 (staging)** (\`${SLO}\`, unchanged)`,
    ]);
  });

  it('warns when an SLO drops a timeframe its alert still measures', () => {
    const head = copy(staging);
    const slo = resources(head, 'datadog_service_level_objective').algorithmia_slo_duration_milliseconds;
    Object.assign(slo, { thresholds: [slo.thresholds[1]], timeframe: '7d', target_threshold: 99.5 });
    delete slo.warning_threshold;
    const entry = entryOf(summary(staging, head), SLO);
    expect(entry).toContain('  - target over 30d removed (was 99.5%)');
    expect(entry.join('\n')).toContain('**an alert still measures the dropped 30d** (“\\[Algorithmia\\] duration\\_milliseconds');
  });

  it('asks for two applies when an SLO drops a timeframe and its alerts move off it in one change', () => {
    const head = copy(staging);
    const slo = resources(head, 'datadog_service_level_objective').algorithmia_slo_duration_milliseconds;
    Object.assign(slo, { thresholds: [slo.thresholds[1]], timeframe: '7d', target_threshold: 99.5 });
    delete slo.warning_threshold;
    for (const window of ['1h', '6h', '24h']) {
      const alert = resources(head, 'datadog_monitor')[`algorithmia_slo_duration_milliseconds_burn_${window}`];
      alert.query = alert.query.replace('.over("30d")', '.over("7d")');
    }
    const lines = summary(staging, head);
    expect(entryOf(lines, SLO).join('\n')).toContain(
      'its alerts move off 30d in this same change: one apply fails (terraform-provider-datadog #3022)',
    );
    expect(entryOf(lines, PAGE_ALERT)).toContain('    - budget timeframe: `30d` → `7d`');
  });

  it('lists a removed SLO with its removed alerts under it, and an alert left reading a removed SLO', () => {
    const head = copy(staging);
    delete resources(head, 'datadog_service_level_objective').algorithmia_slo_duration_milliseconds;
    for (const window of ['1h', '6h', '24h'])
      delete resources(head, 'datadog_monitor')[`algorithmia_slo_duration_milliseconds_burn_${window}`];
    const removed = entryOf(summary(staging, head), SLO);
    expect(removed[1]).toBe(
      '  - good 5-minute slices where `avg:algorithmia.duration_milliseconds{env:staging}` <= 15000; target 99.5% over 30d (warning 99.8%), 99.5% over 7d',
    );
    expect(removed.filter((line) => line.startsWith('  - ➖ Monitor '))).toHaveLength(3);

    const kept = copy(staging);
    delete resources(kept, 'datadog_service_level_objective').algorithmia_slo_duration_milliseconds;
    expect(entryOf(summary(staging, kept), SLO)[2]).toMatch(
      /^ {2}- \*\*alerts still read it\*\* \(“.*burn rate 14\.4 over 1h”.*\): Terraform refuses to plan/,
    );
  });

  it('flags a new alert whose SLO reference names no SLO of the stack', () => {
    const base = copy(staging);
    delete resources(base, 'datadog_monitor').algorithmia_slo_duration_milliseconds_burn_1h;
    const head = copy(staging);
    const alert = resources(head, 'datadog_monitor').algorithmia_slo_duration_milliseconds_burn_1h;
    alert.query = alert.query.replace('algorithmia_slo_duration_milliseconds.id', 'algorithmia_slo_typo.id');
    expect(entryOf(summary(base, head), PAGE_ALERT)[2]).toBe(
      '  - **its SLO `datadog_service_level_objective.algorithmia_slo_typo` is not in this stack**: Terraform refuses to plan (reference to an undeclared resource)',
    );
  });
});

describe('plan-summary: reading an SLO alert query', () => {
  it('resolves the SLO reference, and tells how long a budget lasts', () => {
    expect(
      parseSloAlertQuery('burn_rate("${datadog_service_level_objective.a.id}").over("7d").long_window("1h").short_window("5m") > 10'),
    ).toEqual({
      slo: '${datadog_service_level_objective.a.id}',
      sloAddress: 'datadog_service_level_objective.a',
      over: '7d',
      comparator: '>',
      value: '10',
      windows: { long: '1h', short: '5m' },
    });
    expect(parseSloAlertQuery('error_budget("abc123").over("30d") > 75')).toEqual({
      slo: 'abc123',
      over: '30d',
      comparator: '>',
      value: '75',
    });
    expect(parseSloAlertQuery('avg(last_5m):avg:x{*} > 1')).toBeUndefined();
    expect([budgetLasts('30d', 14.4), budgetLasts('30d', 3), budgetLasts('7d', 10), budgetLasts('7d', 0)]).toEqual([
      '~2.1 days',
      '~10 days',
      '~16.8 hours',
      undefined,
    ]);
  });

  it('keeps a monitor of another kind out of any SLO', () => {
    const lines = summary(undefined, {
      resource: { datadog_monitor: { m: { name: 'M', type: 'query alert', query: 'avg(last_5m):avg:x{*} > 1' } } },
    });
    expect(entryOf(lines, 'datadog_monitor.m')).toEqual([
      '- ➕ Monitor **M** (`datadog_monitor.m`)',
      '  - query: `avg(last_5m):avg:x{*} > 1`',
    ]);
  });
});
