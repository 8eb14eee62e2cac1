import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { EXECUTIONS_METRIC, FORWARDER_HEALTH_METRICS, loadMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import * as constructs from '../../constructs';
import { parseEnvironments } from '../../config/environments';
import { environmentExamples } from './markdown-blocks';

/** docs/traffic-and-pipeline.md, as written: each ```json environment entry and the ```text queries after it. */
const ROOT = join(__dirname, '..', '..');
const page = readFileSync(join(ROOT, 'docs', 'traffic-and-pipeline.md'), 'utf8');
const examples = environmentExamples(page);
const catalog = loadMetricDeclaration(join(ROOT, 'config', 'metrics.json'));

/** Every query string of the stack an environment entry becomes, and its monitors. */
function synthOf(environment: unknown): { queries: string[]; monitors: Record<string, any>[] } {
  const [settings] = parseEnvironments({ environments: { prod: environment } }, 'docs/traffic-and-pipeline.md');
  const stack = new constructs.AlgorithmiaStack(Testing.app(), settings.stackName, { integration: { ...settings.integration, catalog } });
  const text = Testing.synth(stack, true);
  const queries = [...text.matchAll(/"(?:query|q)": "((?:[^"\\]|\\.)*)"/g)].map((match) => JSON.parse(`"${match[1]}"`));
  return { queries, monitors: Object.values(JSON.parse(text).resource.datadog_monitor) };
}

describe('docs/traffic-and-pipeline.md', () => {
  it('has a worked example for each traffic and pipeline monitor and both dashboard options', () => {
    const settings = examples.flatMap((example) =>
      Object.entries(example.environment).flatMap(([key, value]) =>
        typeof value === 'object' && value !== null ? Object.keys(value).map((inner) => `${key}.${inner}`) : [],
      ),
    );
    for (const entry of constructs.PIPELINE_MONITORS) expect(settings).toContain(`${entry.group}.${entry.setting}`);
    expect(settings).toEqual(expect.arrayContaining(['dashboard.traffic', 'dashboard.pipeline']));
  });

  it('names every metric the forwarder makes itself', () => {
    for (const metric of [EXECUTIONS_METRIC, ...Object.values(FORWARDER_HEALTH_METRICS)]) {
      // The table shortens `forwarder.messages.invalid` to `.invalid` after its first name in a row.
      expect(page).toContain(metric.suffix.split('.').pop());
    }
  });

  it.each(examples.map((example) => [JSON.stringify(example.environment), example] as const))(
    'the example %s produces the queries shown, without notify_no_data beside on_missing_data',
    (_entry, example) => {
      const { queries, monitors } = synthOf(example.environment);
      for (const query of example.queries) expect(queries).toContain(query);
      for (const monitor of monitors.filter((candidate) => 'on_missing_data' in candidate)) {
        expect(monitor).not.toHaveProperty('notify_no_data');
        expect(monitor).not.toHaveProperty('no_data_timeframe');
      }
    },
  );
});
