import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORWARDER_HEALTH_METRICS, pipelineMetricName, type PipelineMetric } from '@algorithmia-datadog/metric-declaration';

const REPO = join(__dirname, '..', '..', '..', '..');
const read = (file: string) => readFileSync(join(REPO, file), 'utf8');
/** The shipped prefix, which the tables name the metrics with. */
const PREFIX = (JSON.parse(read('config/metrics.json')) as { prefix: string }).prefix;

/** The cells of each row of the first table after `heading` in `file`, header and rule left out. */
function tableAfter(file: string, heading: string): string[][] {
  const text = read(file);
  const start = text.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const lines = text.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const table = lines.slice(
    first,
    lines.findIndex((line, i) => i > first && !line.startsWith('|')),
  );
  return table.slice(2).map((line) =>
    line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim()),
  );
}

const declared = Object.values<PipelineMetric>(FORWARDER_HEALTH_METRICS);
const code = (text: string) => `\`${text}\``;
const tags = (metric: PipelineMetric) => metric.tagKeys.map(code).join(', ');

describe("the tables of the forwarder's own metrics", () => {
  it('docs/running.md lists every one with its kind, unit, tags and meaning, as the forwarder sends them', () => {
    expect(tableAfter('docs/running.md', "## The forwarder's own metrics in Datadog")).toEqual(
      declared.map((m) => [code(pipelineMetricName(PREFIX, m)), m.kind, m.unit ?? '', tags(m), m.description]),
    );
  });

  it("the README's lists every one with its kind and tags", () => {
    expect(tableAfter('README.md', 'The forwarder also sends its own metrics to Datadog')).toEqual(
      declared.map((m) => [code(pipelineMetricName(PREFIX, m)), m.kind, tags(m)]),
    );
  });
});
