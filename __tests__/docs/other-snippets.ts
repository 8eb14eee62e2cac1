/**
 * The reviewed tables for blocks that are neither JSON config nor shell: quoted output and error
 * lines (checked against what the tool prints in the situation the docs describe, or marked as
 * covered by the test that already checks them), illustrations, and the ini, yaml and ts examples.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeBlock } from './markdown-blocks';
import { ROOT } from './markdown-blocks';
import type { ConfigState } from './config-snippets';

/** Blocks no tool prints as such: pictures, formulas, sample runs. Matched by page and first line. */
export const ILLUSTRATIONS: ReadonlyArray<{ readonly file: string; readonly firstLine: RegExp; readonly reason: string }> = [
  { file: 'README.md', firstLine: /config\/metrics\.json\s+\(one declaration/, reason: 'a diagram of the data flow' },
  { file: 'docs/demo.md', firstLine: /^generator ──► Kafka broker/, reason: 'a diagram of the processes the demo starts' },
  {
    file: 'docs/demo.md',
    firstLine: /^── Algorithmia Insights → Kafka → forwarder → Datadog double ──/,
    reason: "one demo run's screen: counts and ports differ every run; its lines are asserted by __tests__/scripts/demo.test.ts",
  },
  {
    file: 'docs/kubernetes.md',
    firstLine: /^heap \(--max-old-space-size\) = /,
    reason: 'the sizing formula; constructs/forwarder/memory.ts and its test hold the numbers',
  },
  {
    file: 'docs/cdktn.md',
    firstLine: /^\*\*0 to add, 0 to change, 0 to remove\*\* in 2 stacks\.$/,
    reason: 'the summary of the migration pull request: needs the CDK Terrain synth output, which only scripts/cdktn/check makes',
  },
];

/** Blocks a test elsewhere already checks: that test must exist and still contain `phrase`, and so must the block. */
export const COVERED_ELSEWHERE: ReadonlyArray<{
  readonly file: string;
  readonly language?: string;
  readonly firstLine: RegExp;
  readonly coveredBy: string;
  readonly phrase: string;
}> = [
  {
    file: 'docs/insights-message.md',
    firstLine: /^\{$/,
    coveredBy: 'forwarder/test/unit/translate/documented-message.test.ts',
    phrase: 'insights-message.md',
  },
  {
    file: 'docs/gitops.md',
    firstLine: /^## Datadog and forwarder changes$/,
    coveredBy: '__tests__/scripts/plan-summary.test.ts',
    phrase: '**19 to add, 2 to change, 17 to remove** in 3 stacks.',
  },
  {
    // The queries each environment example produces (its JSON is checked here like every config snippet).
    file: 'docs/model-monitoring.md',
    language: 'text',
    firstLine: /./,
    coveredBy: '__tests__/docs/model-monitoring.test.ts',
    phrase: 'model-monitoring.md',
  },
  {
    // The queries each traffic and pipeline example produces.
    file: 'docs/traffic-and-pipeline.md',
    language: 'text',
    firstLine: /./,
    coveredBy: '__tests__/docs/traffic-and-pipeline.test.ts',
    phrase: 'traffic-and-pipeline.md',
  },
  {
    // The SLO and burn-rate alert queries each SLO example produces.
    file: 'docs/slos.md',
    language: 'text',
    firstLine: /./,
    coveredBy: '__tests__/docs/slos.test.ts',
    phrase: 'slos.md',
  },
  {
    file: 'docs/model-monitoring.md',
    firstLine: /^import \{ AnomalyMonitor \} from '\.\/constructs';$/,
    coveredBy: '__tests__/docs/model-monitoring.test.ts',
    phrase: 'model-monitoring.md',
  },
];

/** Quoted forwarder error lines, checked by the forwarder's integration tests (they need a broker). */
export const FORWARDER_LINES: ReadonlyArray<{ readonly phrase: string; readonly coveredBy: string }> = [
  { phrase: 'refused user', coveredBy: 'forwarder/test/integration/secured-kafka.test.ts' },
  { phrase: 'no broker reachable within FORWARDER_STARTUP_TIMEOUT_MS', coveredBy: 'forwarder/test/integration/startup.test.ts' },
];

/**
 * The situation each quoted config error line describes, as a change to the shipped config. A line
 * found verbatim in a test under __tests__ needs none (it is covered there).
 */
export const CONFIG_SITUATIONS: ReadonlyArray<{
  readonly message: RegExp;
  readonly situation: string;
  readonly make: (state: ConfigState) => string | void;
}> = [
  {
    message: /^config\/environments\.json:6:5: not valid JSON: unexpected "\}" after a comma/,
    situation: 'a comma after the last key of an environment, whose closing brace is at line 6, column 5',
    make: () =>
      '{\n  "$schema": "./environments.schema.json",\n  "environments": {\n    "prod": {\n      "scope": "env:prod",\n    }\n  }\n}\n',
  },
  {
    message: /environments\.prod\.adopt\.dashboardId "https:/,
    situation: "the dashboard's URL pasted as prod's adopt.dashboardId",
    make: (state) => {
      state.environments.environments.prod.adopt = { dashboardId: 'https://app.datadoghq.com/dashboard/abc-def-ghi' };
    },
  },
  {
    message: /environments\.prod\.metricMetadata is true, but environments\.staging already manages/,
    situation: 'staging also says "metricMetadata": true (prod, of the same organisation, does)',
    make: (state) => {
      state.environments.environments.staging.metricMetadata = true;
    },
  },
  {
    message: /environments\.prod\.notificationHandle is not a known setting/,
    situation: 'prod says notificationHandle (singular)',
    make: (state) => {
      state.environments.environments.prod.notificationHandle = ['@slack-ml-alerts'];
    },
  },
  {
    message: /environments\.prod\.inferenceMonitors\.risk_score\.warning \(0\.9\) is not below critical \(0\.8\)/,
    situation: "prod's risk_score monitor with warning 0.9 and critical 0.8",
    make: (state) => {
      state.environments.environments.prod.inferenceMonitors.risk_score = { critical: 0.8, warning: 0.9 };
    },
  },
  {
    message: /environments\.staging\.forwarder\.resources\.limits\.memory "256Mi" cannot fit the forwarder/,
    situation: "staging's forwarder on, with a 1 000 000-point buffer and a 256Mi memory limit",
    make: (state) => {
      const forwarder = state.environments.environments.staging.forwarder;
      Object.assign(forwarder, {
        enabled: true,
        env: { FORWARDER_MAX_BUFFERED_POINTS: '1000000' },
        resources: { limits: { memory: '256Mi' } },
      });
    },
  },
];

/** Construct validation lines (`[stack/construct] ...`): what synth validation says for a config, as construct users get it. */
export const CONSTRUCT_SITUATIONS: ReadonlyArray<{
  readonly message: RegExp;
  readonly situation: string;
  readonly make: (state: ConfigState) => void;
}> = [
  {
    message: /^\[algorithmia-prod\/forwarder\] replicas \(8\) is more than kafka\.partitions \(6\)/,
    situation: "prod with staging's forwarder switched on and 8 replicas for 6 partitions",
    make: (state) => {
      const { staging, prod } = state.environments.environments;
      prod.forwarder = { ...staging.forwarder, enabled: true, replicas: 8 };
    },
  },
];

/** Every test source of the repository (both jest projects), to find lines they check verbatim. */
function testSources(): Map<string, string> {
  const sources = new Map<string, string>();
  const visit = (path: string) => {
    for (const entry of readdirSync(join(ROOT, path))) {
      const child = `${path}/${entry}`;
      if (entry === 'node_modules' || entry === 'docs') continue;
      if (statSync(join(ROOT, child)).isDirectory()) visit(child);
      else if (child.endsWith('.ts')) sources.set(child, readFileSync(join(ROOT, child), 'utf8'));
    }
  };
  visit('__tests__');
  visit('forwarder/test');
  visit('testbed');
  return sources;
}
const TEST_SOURCES = testSources();

/** The test that contains `text` verbatim (as written, or JSON-escaped in a string literal), if any. */
export function testContaining(text: string): string | undefined {
  const escaped = JSON.stringify(text).slice(1, -1);
  for (const [path, source] of TEST_SOURCES) if (source.includes(text) || source.includes(escaped)) return path;
  return undefined;
}

export function readRepositoryFile(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

export function matchesBlock(entry: { file: string; language?: string; firstLine: RegExp }, block: CodeBlock): boolean {
  const first = block.text.split('\n').find((line) => line.trim() !== '') ?? '';
  return entry.file === block.file && (entry.language ?? block.language) === block.language && entry.firstLine.test(first.trim());
}

/** What a quoted line is, by its shape. */
export type QuotedLine = 'config' | 'construct' | 'forwarder' | 'cdktn compare' | 'other';

export function quotedLineKind(line: string): QuotedLine {
  if (/^(ERROR \[config\]: )?config\/(environments|metrics)\.json[:]/.test(line)) return 'config';
  if (/^\[algorithmia-[a-z0-9-]+\//.test(line)) return 'construct';
  if (/^algorithmia-datadog-forwarder: /.test(line)) return 'forwarder';
  if (/^compared \d+ stacks /.test(line)) return 'cdktn compare';
  return 'other';
}

/** Member names a signature listing (docs/testbed.md) declares: `name(`, `name:`, `readonly name`, `double.name`. */
export function declaredMembers(listing: string): string[] {
  const names = new Set<string>();
  for (const line of listing.split('\n')) {
    const code = line.replace(/\/\/.*$/, '');
    for (const match of code.matchAll(/(?:^\s*(?:class\s+|readonly\s+)?|\bdouble\.|\b[A-Z]\w*\.)([A-Za-z_]\w*)\s*(?=[(:<?]|$|\s*\/)/g))
      names.add(match[1]);
  }
  return [...names].filter((name) => !['class', 'readonly', 'constructor', 'double'].includes(name));
}
