import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { loadMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import * as constructs from '../../constructs';
import { parseEnvironments } from '../../config/environments';
import { environmentExamples } from './markdown-blocks';

/** docs/slos.md, as written: each ```json environment entry and the ```text queries after it. */
const ROOT = join(__dirname, '..', '..');
const page = readFileSync(join(ROOT, 'docs', 'slos.md'), 'utf8');
const examples = environmentExamples(page);
const catalog = loadMetricDeclaration(join(ROOT, 'config', 'metrics.json'));

/** The stack an environment entry becomes, as `cdktf synth` writes it. */
function synthOf(environment: unknown): { text: string; resource: Record<string, Record<string, any>> } {
  const [settings] = parseEnvironments({ environments: { prod: environment } }, 'docs/slos.md');
  const stack = new constructs.AlgorithmiaStack(Testing.app(), settings.stackName, { integration: { ...settings.integration, catalog } });
  const text = Testing.synth(stack, true);
  return { text, resource: JSON.parse(text).resource };
}

const queriesOf = (text: string) => [...text.matchAll(/"query": "((?:[^"\\]|\\.)*)"/g)].map((match) => JSON.parse(`"${match[1]}"`));

describe('docs/slos.md', () => {
  it('has a latency and a per-model quality example, with custom alerts and page/ticket handles', () => {
    const entries = examples.map((example) => example.environment);
    expect(entries.map((entry) => Object.keys(entry.slos))).toEqual([['duration_milliseconds'], ['risk_score']]);
    expect(entries[1].slos.risk_score).toHaveProperty('algorithms');
    expect(entries[1].slos.risk_score).toHaveProperty('burnRateAlerts');
    expect(entries[1]).toHaveProperty('sloHandles');
  });

  it.each(examples.map((example) => [Object.keys(example.environment.slos).join(), example] as const))(
    'the %s example produces exactly the SLO and alert queries shown',
    (_key, example) => {
      const { text, resource } = synthOf(example.environment);
      const sloQueries = Object.values(resource.datadog_service_level_objective).map(
        (slo) => slo.sli_specification.time_slice.query.query[0].metric_query.query,
      );
      const alertQueries = Object.values(resource.datadog_monitor)
        .filter((monitor) => monitor.type === 'slo alert')
        .map((monitor) => monitor.query);
      expect([...sloQueries, ...alertQueries].sort()).toEqual([...example.queries].sort());
      for (const query of example.queries) expect(queriesOf(text)).toContain(query);
    },
  );

  it('routes the quality example: page alerts to sloHandles.page, ticket alerts to sloHandles.ticket', () => {
    const { resource } = synthOf(examples[1].environment);
    const alerts = Object.values(resource.datadog_monitor).filter((monitor) => monitor.type === 'slo alert');
    const handlesOf = (severity: string) =>
      alerts.filter((alert) => alert.tags.includes(`severity:${severity}`)).map((alert) => alert.message.split('\n\n').at(-1));
    expect(handlesOf('page')).toEqual(['@pagerduty-ml', '@pagerduty-ml']);
    expect(handlesOf('ticket')).toEqual(['@slack-ml-tickets', '@slack-ml-tickets']);
  });

  it('states the defaults the constructs use', () => {
    for (const alert of constructs.DEFAULT_BURN_RATE_ALERTS) {
      expect(page).toContain(
        `| \`burn_${alert.longWindow}\` | ${alert.burnRate} | ${alert.longWindow} / ${alert.shortWindow} | ${alert.severity} |`,
      );
    }
    expect(page).toContain(`at least ${Math.ceil((1 - 1 / 14.4) * 10000) / 100}%`);
  });
});
