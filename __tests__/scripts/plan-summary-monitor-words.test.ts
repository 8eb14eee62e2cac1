import { comparePlans, renderMarkdown } from '../../scripts/plan-summary';
import { change } from '../../scripts/plan-summary/markdown';
import { describerFor, otherChanges } from '../../scripts/plan-summary/resources';
import { widgetChanges } from '../../scripts/plan-summary/resources/dashboard-widgets';
import { missingDataWords, monitorWords } from '../../scripts/plan-summary/resources/monitor-words';
import type { Json, JsonObject } from '../../scripts/plan-summary/synth-output';

/** The Markdown plan-summary prints for one stack `prod` going from `base` to `head` resources. */
function summary(base: JsonObject, head: JsonObject): string[] {
  const plans = comparePlans(new Map([['prod', { resource: base }]]), new Map([['prod', { resource: head }]]));
  return renderMarkdown(plans).split('\n');
}

/** The detail lines printed under the resource whose heading line ends with `(\`address\`)`. */
function detailsOf(lines: readonly string[], address: string): string[] {
  const start = lines.findIndex((line) => line.startsWith('- ') && line.endsWith(`(\`${address}\`)`));
  expect(start).toBeGreaterThanOrEqual(0);
  const details: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  - ')) break;
    details.push(line.slice(4));
  }
  return details;
}

describe('plan-summary: the words for a traffic or pipeline monitor query', () => {
  it.each([
    [
      'silent model, per group',
      'sum(last_30m):sum:algorithmia.executions{env:prod} by {algorithm_name,algorithm_version}.as_count() < 1',
      'no executions per `algorithm_name` and `algorithm_version` for 30 minutes',
    ],
    ['silent model, no prefix and no groups', 'sum(last_45m):sum:executions{*}.as_count() < 1', 'no executions for 45 minutes'],
    [
      'traffic drop against the week before',
      'pct_change(sum(last_1h),last_1w):sum:algorithmia.executions{env:prod} by {algorithm_name}.as_count() < -50',
      'executions over 1 hour per `algorithm_name` down more than 50 % against 1 week before',
    ],
    [
      'traffic drop over days',
      'pct_change(sum(last_2d),last_1d):sum:acme.ml.executions{env:prod}.as_count() < -12.5',
      'executions over 2 days down more than 12.5 % against 1 day before',
    ],
    [
      'forwarder heartbeat',
      'sum(last_10m):sum:algorithmia.forwarder.heartbeat{env:prod}.as_count() < 1',
      'no forwarder heartbeat for 10 minutes',
    ],
    [
      'consumer lag',
      'max(last_15m):max:algorithmia.forwarder.consumer_lag_seconds{env:prod} by {topic} > 300',
      'forwarder more than 300 s behind Kafka per `topic` over 15 minutes',
    ],
    [
      'consumer lag over one hour, ungrouped',
      'max(last_1h):max:forwarder.consumer_lag_seconds{*} > 60',
      'forwarder more than 60 s behind Kafka over 1 hour',
    ],
    [
      'dead-lettered records',
      'sum(last_5m):sum:algorithmia.forwarder.messages.dead_lettered{env:prod}.as_count() > 0',
      'any record dead-lettered in 5 minutes',
    ],
    [
      'points rejected by Datadog',
      'sum(last_1d):sum:algorithmia.forwarder.points.rejected{env:prod} by {endpoint,status}.as_count() > 0',
      'any point rejected by Datadog per `endpoint` and `status` in 1 day',
    ],
  ])('%s', (_what, query, words) => {
    expect(monitorWords(query)).toBe(words);
  });

  it('has no words for other monitors, nor for a query that is not text', () => {
    expect(monitorWords('avg(last_5m):avg:algorithmia.risk_score{env:prod} by {algorithm_name} > 0.9')).toBeUndefined();
    // The same shape on another metric, and a silence with another threshold, are not what the words say.
    expect(monitorWords('sum(last_30m):sum:algorithmia.approved{env:prod}.as_count() < 1')).toBeUndefined();
    expect(monitorWords('sum(last_30m):sum:algorithmia.executions{env:prod}.as_count() < 5')).toBeUndefined();
    expect(monitorWords(undefined)).toBeUndefined();
    expect(monitorWords(42)).toBeUndefined();
  });

  it('says what on_missing_data makes of an evaluation without points, and passes an unknown value through', () => {
    expect(missingDataWords('default')).toBe('a sum or count is 0, other aggregations keep their last status');
    expect(missingDataWords('resolve')).toBe('OK');
    expect(missingDataWords('show_no_data')).toBe('shows NO DATA');
    expect(missingDataWords('show_and_notify_no_data')).toBe('shows NO DATA and notifies');
    expect(missingDataWords('something_new')).toBe('something_new');
    expect(missingDataWords(undefined)).toBeUndefined();
  });

  it('prints what an added consumer-lag monitor watches, and what a removed traffic-drop monitor watched', () => {
    const drop = 'pct_change(sum(last_1h),last_1w):sum:algorithmia.executions{env:prod} by {algorithm_name}.as_count() < -50';
    const lag = 'max(last_15m):max:algorithmia.forwarder.consumer_lag_seconds{env:prod} by {topic} > 300';
    const lines = summary(
      { datadog_monitor: { drop: { name: 'Traffic drop', query: drop, on_missing_data: 'default' } } },
      { datadog_monitor: { lag: { name: 'Forwarder behind', query: lag, on_missing_data: 'show_and_notify_no_data' } } },
    );
    expect(lines).toContain('- ➕ Monitor **Forwarder behind** (`datadog_monitor.lag`)');
    expect(detailsOf(lines, 'datadog_monitor.lag')).toEqual([
      'watches: forwarder more than 300 s behind Kafka per `topic` over 15 minutes',
      `query: \`${lag}\``,
      'missing data: shows NO DATA and notifies',
    ]);
    expect(lines).toContain('- ➖ Monitor **Traffic drop** (`datadog_monitor.drop`)');
    expect(detailsOf(lines, 'datadog_monitor.drop')).toEqual([
      'watched: executions over 1 hour per `algorithm_name` down more than 50 % against 1 week before',
      `query: \`${drop}\``,
    ]);
  });
});

describe('plan-summary: queries of a changed widget, in process', () => {
  const query = (name: string, text: string) => ({ metric_query: { name, query: text, data_source: 'metrics' } });
  const timeseries = (queries: Json[], formulas: Json[]) => ({
    widget: [{ timeseries_definition: { title: 'Traffic', request: [{ query: queries, formula: formulas }] } }],
  });

  it('tells an alias changed on the same query, a query replaced, and a query removed with its alias', () => {
    const before = timeseries(
      [query('query1', 'sum:a.executions{*}'), query('query2', 'sum:a.other{*}'), query('query3', 'sum:a.gone{*}')],
      [
        { formula_expression: 'query1', alias: 'Executions' },
        { formula_expression: 'query2', alias: 'Other' },
        { formula_expression: 'query3', alias: 'Gone' },
      ],
    );
    const after = timeseries(
      [query('query1', 'sum:a.executions{*}'), query('query2', 'sum:a.renamed{*}')],
      [
        { formula_expression: 'query1', alias: 'Runs' },
        { formula_expression: 'query2', alias: 'Other' },
      ],
    );
    expect(widgetChanges(before, after)).toEqual([
      'widget changed: timeseries “Traffic”: alias `Executions` → `Runs`; query `sum:a.other{*}` → `sum:a.renamed{*}`; ' +
        'query removed `sum:a.gone{*}` (as “Gone”)',
    ]);
  });

  it('tells a query added with its alias, and says when the same queries are only reordered', () => {
    const one = timeseries([query('query1', 'sum:a{*}')], [{ formula_expression: 'query1' }]);
    const two = timeseries(
      [query('query1', 'sum:a{*}'), query('query2', 'sum:b{*}')],
      [{ formula_expression: 'query1' }, { formula_expression: 'query2', alias: 'B' }],
    );
    expect(widgetChanges(one, two)).toEqual(['widget changed: timeseries “Traffic”: query added `sum:b{*}` (as “B”)']);
    expect(widgetChanges(two, one)).toEqual(['widget changed: timeseries “Traffic”: query removed `sum:b{*}` (as “B”)']);

    const swapped = timeseries(
      [query('query2', 'sum:b{*}'), query('query1', 'sum:a{*}')],
      [{ formula_expression: 'query2', alias: 'B' }, { formula_expression: 'query1' }],
    );
    expect(widgetChanges(two, swapped)[0]).toMatch(/^widget changed: timeseries “Traffic”: queries reordered; /);
  });
});

describe('plan-summary: metric metadata, other resource types and long values, in process', () => {
  it("gives a changed metric metadata's type and new count interval", () => {
    const metric = 'algorithmia.forwarder.consumer_lag';
    const lines = summary(
      { datadog_metric_metadata: { lag: { metric, type: 'gauge', unit: 'message' } } },
      { datadog_metric_metadata: { lag: { metric, type: 'count', unit: 'message', statsd_interval: 10, description: 'Records behind' } } },
    );
    expect(detailsOf(lines, 'datadog_metric_metadata.lag')).toEqual([
      'type: `gauge` → `count`',
      'description: _none_ → `Records behind`',
      'interval: _none_ → `10`',
    ]);
  });

  it('lists a type without a describer by its name, with every changed setting, and nothing more when removed', () => {
    const lines = summary(
      { datadog_synthetics_test: { ping: { name: 'Ping', locations: ['aws:eu-central-1'] }, old: { name: 'Old ping' } } },
      { datadog_synthetics_test: { ping: { name: 'Ping', locations: ['aws:eu-west-1'] } } },
    );
    expect(lines).toContain('- ✏️ datadog_synthetics_test **Ping** (`datadog_synthetics_test.ping`)');
    expect(detailsOf(lines, 'datadog_synthetics_test.ping')).toEqual(['`locations[0]`: `aws:eu-central-1` → `aws:eu-west-1`']);
    expect(lines).toContain('- ➖ datadog_synthetics_test **Old ping** (`datadog_synthetics_test.old`)');
    expect(detailsOf(lines, 'datadog_synthetics_test.old')).toEqual([]);
    expect(describerFor('datadog_synthetics_test').added({ name: 'Ping' })).toEqual([]);
  });

  it('names a removed forwarder Deployment and ConfigMap by namespace and name, with no details (not imported)', () => {
    const lines = summary(
      {
        kubernetes_deployment_v1: { forwarder: { metadata: [{ name: 'forwarder', namespace: 'monitoring' }] } },
        kubernetes_config_map_v1: { metrics: { metadata: [{ name: 'metrics', namespace: 'monitoring' }], data: { 'metrics.json': '{}' } } },
      },
      {},
    );
    expect(lines).toContain('- ➖ Kubernetes Deployment **monitoring/forwarder** (`kubernetes_deployment_v1.forwarder`)');
    expect(detailsOf(lines, 'kubernetes_deployment_v1.forwarder')).toEqual([]);
    expect(lines).toContain('- ➖ Kubernetes ConfigMap **monitoring/metrics** (`kubernetes_config_map_v1.metrics`)');
    expect(detailsOf(lines, 'kubernetes_config_map_v1.metrics')).toEqual([]);
  });

  it('shows two long values around where they differ, not their common start', () => {
    const [before, after] = ['OLD', 'NEW'].map((middle) => `${'x'.repeat(100)}${middle}${'y'.repeat(100)}`);
    expect(change(before, after)).toBe(`\`…${'x'.repeat(30)}OLD${'y'.repeat(30)}…\` → \`…${'x'.repeat(30)}NEW${'y'.repeat(30)}…\``);
    expect(change('short', 'other')).toBe('`short` → `other`');
  });

  it('reports an empty list or object that gains entries by its entries alone', () => {
    expect(otherChanges({ tags: [], options: {} }, { tags: ['team:ml'], options: { renotify_interval: 60 } })).toEqual([
      '`tags[0]`: _none_ → `team:ml`',
      '`options.renotify_interval`: _none_ → `60`',
    ]);
    expect(otherChanges({ tags: ['team:ml'] }, { tags: [] })).toEqual(['`tags[0]`: `team:ml` → _none_']);
  });
});
