import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { Testing } from 'cdktf';
import { loadMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import * as constructs from '../../constructs';
import { parseEnvironments } from '../../config/environments';
import { codeBlocksOf, environmentExamples } from './markdown-blocks';
import { synthesize } from '../helpers/synth';

/** docs/model-monitoring.md, as written: each ```json environment entry and the ```text queries after it. */
const ROOT = join(__dirname, '..', '..');
const page = readFileSync(join(ROOT, 'docs', 'model-monitoring.md'), 'utf8');
const examples = environmentExamples(page);
const catalog = loadMetricDeclaration(join(ROOT, 'config', 'metrics.json'));

/** Every query string of the stack an environment entry becomes: monitor queries and widget queries. */
function queriesOf(environment: unknown): string[] {
  const [settings] = parseEnvironments({ environments: { prod: environment } }, 'docs/model-monitoring.md');
  const stack = new constructs.AlgorithmiaStack(Testing.app(), settings.stackName, { integration: { ...settings.integration, catalog } });
  const text = Testing.synth(stack, true);
  return [...text.matchAll(/"(?:query|q)": "((?:[^"\\]|\\.)*)"/g)].map((match) => JSON.parse(`"${match[1]}"`));
}

describe('docs/model-monitoring.md', () => {
  it('has a worked example for each kind and the dashboard', () => {
    const keys = examples.flatMap((example) => Object.keys(example.environment));
    for (const key of [
      'durationMonitor',
      'inferenceMonitors',
      'dashboard',
      'percentileMonitors',
      'changeMonitors',
      'anomalyMonitors',
      'outlierMonitors',
    ]) {
      expect(keys).toContain(key);
    }
  });

  it.each(
    examples.map(
      (example) =>
        [
          Object.keys(example.environment)
            .filter((key) => key !== 'scope')
            .join(', '),
          example,
        ] as const,
    ),
  )('the %s example produces the queries shown', (_keys, example) => {
    const queries = queriesOf(example.environment);
    for (const query of example.queries) expect(queries).toContain(query);
  });

  it('the construct example runs as written', () => {
    const [source] = codeBlocksOf('docs/model-monitoring.md', page)
      .filter((block) => block.language === 'ts')
      .map((block) => block.text);
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
    });
    const synthesized = synthesize((stack) => {
      const requireConstructs = (path: string) => (path === './constructs' ? constructs : require(path));
      new Function('require', 'exports', 'stack', outputText)(requireConstructs, {}, stack);
    });
    expect(Object.values(synthesized.resource?.datadog_monitor ?? {}).map((monitor) => monitor.query)).toEqual([
      "avg(last_4h):anomalies(avg:algorithmia.duration_milliseconds{env:prod} by {algorithm_name}, 'agile', 3, direction='above', alert_window='last_30m', interval=60, seasonality='daily') >= 1",
    ]);
  });
});
