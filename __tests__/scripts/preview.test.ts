import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSynthOutput } from '../../scripts/plan-summary/synth-output';
import { compareDashboards } from '../../scripts/preview/changes';
import { dashboardsOf, metricUnits, type DashboardModel } from '../../scripts/preview/model';
import { renderPage } from '../../scripts/preview/page';
import { PointsRecorder, readPointsFile } from '../../scripts/preview/points-file';
import { applyTemplateVariables, parseMetricQuery, parseMonitorQuery } from '../../scripts/preview/query';
import { levelHint } from '../../scripts/preview/render';
import { recordedSource, reduce, sampleSource } from '../../scripts/preview/series';
import { dashboardView } from '../../scripts/preview/widget-view';
import { modelMonitoringFixture, removeTempFolders, synthConfig, synthExampleConfig, tempFolder } from './preview-synth';

afterAll(removeTempFolders);

function dashboardOf(cdktfOut: string, stack: string): DashboardModel {
  return dashboardsOf(stack, readSynthOutput(cdktfOut).get(stack)!)[0];
}

describe('preview: queries', () => {
  it('reads the metric, space aggregation, scope and groups of a metric query', () => {
    expect(parseMetricQuery('p95:algorithmia.duration_milliseconds{env:prod,!host:a} by {algorithm_name}')).toEqual({
      text: 'p95:algorithmia.duration_milliseconds{env:prod,!host:a} by {algorithm_name}',
      aggregator: 'p95',
      metric: 'algorithmia.duration_milliseconds',
      scope: ['env:prod', '!host:a'],
      groupBy: ['algorithm_name'],
    });
    expect(parseMetricQuery('algorithmia.risk_score{*}')).toMatchObject({ aggregator: 'avg', scope: [], groupBy: [] });
    expect(parseMetricQuery("anomalies(avg:algorithmia.risk_score{*}, 'basic', 2)")).toMatchObject({
      metric: 'algorithmia.risk_score',
      wrappedIn: 'anomalies',
    });
    expect(parseMetricQuery('query1 / query2')).toBeUndefined();
  });

  it('reads a monitor query: time aggregation, window, comparator and threshold', () => {
    expect(parseMonitorQuery('avg(last_1h):avg:algorithmia.approved{env:prod} < 0.2')).toMatchObject({
      timeAggregation: 'avg',
      window: 'last_1h',
      comparator: '<',
      threshold: 0.2,
      metricQuery: { metric: 'algorithmia.approved', scope: ['env:prod'] },
    });
  });

  it('opens template variables at their defaults; `*` drops out of the scope', () => {
    const defaults = new Map([
      ['scope', 'env:prod'],
      ['algorithm', '*'],
    ]);
    expect(applyTemplateVariables('avg:m{$scope,$algorithm} by {algorithm_name}', defaults)).toBe('avg:m{env:prod} by {algorithm_name}');
    expect(applyTemplateVariables('avg:m{$algorithm}', defaults)).toBe('avg:m{*}');
  });
});

describe('preview: what a synthesized dashboard declares', () => {
  const cdktfOut = synthExampleConfig();

  it('lists the widgets in order with kind, title and queries, the alert widgets bound to their monitor', () => {
    const prod = dashboardOf(cdktfOut, 'algorithmia-prod');
    expect(prod.title).toBe('Algorithmia');
    expect(prod.widgets.map((widget) => [widget.kind, widget.title])).toEqual([
      ['timeseries', 'Avg of algorithmia.duration_milliseconds over env:prod'],
      ['alert_graph', 'Alert: Excessive algorithm runtime'],
      ['query_value', 'Avg of algorithmia.duration_milliseconds over env:prod'],
      ['alert_value', 'Excessive algorithm runtime'],
      ['timeseries', 'Avg of algorithmia.risk_score over env:prod'],
      ['timeseries', 'Avg of algorithmia.approved over env:prod'],
      ['timeseries', 'Avg of algorithmia.churn_probability over env:prod'],
    ]);
    expect(prod.widgets[0].queries.map((query) => query.text)).toEqual(['avg:algorithmia.duration_milliseconds{env:prod}']);
    const alert = prod.widgets[1];
    expect(alert.monitor).toMatchObject({
      resource: 'algorithmia_duration_monitor',
      query: 'avg(last_5m):avg:algorithmia.duration_milliseconds{env:prod} > 10000',
    });
    expect(alert.monitor!.thresholds).toEqual([
      { name: 'critical', value: 10000 },
      { name: 'warning', value: 5000 },
    ]);
    // staging declares its own thresholds (config/environments.json): the picture follows them.
    const staging = dashboardOf(cdktfOut, 'algorithmia-staging');
    expect(staging.widgets[1].monitor!.thresholds.map((threshold) => threshold.value)).toEqual([20000, 10000]);
  });

  it('reads template variables, formula aliases, per-algorithm tables, groups and anomaly monitors (Datadog widget JSON)', () => {
    const stack = modelMonitoringFixture() as never;
    const [dashboard] = dashboardsOf('fixture', stack);
    expect(dashboard.templateVariables).toEqual([
      { name: 'scope', prefix: 'env', defaults: ['prod'] },
      { name: 'algorithm', prefix: 'algorithm_name', defaults: ['*'] },
    ]);
    const percentiles = dashboard.widgets.find((widget) => widget.title === 'Duration percentiles')!;
    expect(percentiles.queries.map((query) => [query.label, query.metricQuery?.aggregator, query.metricQuery?.scope])).toEqual([
      ['p50', 'p50', ['env:prod']],
      ['p95', 'p95', ['env:prod']],
      ['p99', 'p99', ['env:prod']],
    ]);
    const group = dashboard.widgets.find((widget) => widget.kind === 'group')!;
    expect(group.children!.map((child) => child.key)).toEqual(['5.1', '5.2', '5.3']);
    expect(group.children![0].monitor!.thresholds).toEqual([
      { name: 'critical', value: 2000 },
      { name: 'critical_recovery', value: 1800 },
      { name: 'warning', value: 1500 },
    ]);
    // An anomaly monitor's threshold is a score, not a metric value: no line on the metric.
    expect(group.children![2].monitor!.thresholds).toEqual([]);
    expect(group.children![2].queries[0].metricQuery).toMatchObject({
      metric: 'algorithmia.risk_score',
      groupBy: ['algorithm_name'],
      wrappedIn: 'anomalies',
    });
  });
});

describe('preview: series', () => {
  const query = parseMetricQuery('avg:algorithmia.duration_milliseconds{env:prod}')!;

  it('generates the same sample series on every run, labelled as sample data', () => {
    const first = sampleSource().series(query);
    expect(sampleSource().series(query)).toEqual(first);
    expect(first.series[0].values).toHaveLength(60);
    expect(sampleSource().description).toMatch(/^sample data/);
  });

  it('orders generated percentiles p50 < p95 < p99 and draws three groups for by {…}', () => {
    const mean = (text: string) => {
      const values = sampleSource().series(parseMetricQuery(text)!).series[0].values as number[];
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    expect(mean('p50:m{*}')).toBeLessThan(mean('p95:m{*}'));
    expect(mean('p95:m{*}')).toBeLessThan(mean('p99:m{*}'));
    expect(sampleSource().series(parseMetricQuery('avg:m{*} by {algorithm_name}')!).series).toHaveLength(3);
  });

  it('keeps generated values within the range of the unit: a fraction in 0..1, percentiles still ordered', () => {
    const unitOf = (metric: string) => (metric === 'algorithmia.risk_score' ? 'fraction' : undefined);
    const values = (text: string) =>
      sampleSource(undefined, unitOf)
        .series(parseMetricQuery(text)!)
        .series.flatMap((item) => item.values as number[]);
    const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
    for (const aggregator of ['avg', 'max', 'p50', 'p95', 'p99'])
      for (const value of values(`${aggregator}:algorithmia.risk_score{*} by {algorithm_name}`)) expect(value).toBeLessThanOrEqual(1);
    expect(mean(values('p50:algorithmia.risk_score{*}'))).toBeLessThan(mean(values('p95:algorithmia.risk_score{*}')));
    expect(mean(values('p95:algorithmia.risk_score{*}'))).toBeLessThan(mean(values('p99:algorithmia.risk_score{*}')));
    // A sum of fractions is not a fraction.
    expect(Math.max(...values('sum:algorithmia.risk_score{*}'))).toBeGreaterThan(1);
    expect(Math.max(...values('p99:algorithmia.unbounded{*}'))).toBeGreaterThan(1);
  });

  it('reads units from the metric metadata of every stack (one stack of an organisation manages it)', () => {
    const units = metricUnits(readSynthOutput(synthExampleConfig()).values());
    expect(units.get('algorithmia.risk_score')).toBe('fraction');
    expect(units.get('algorithmia.churn_probability')).toBe('fraction');
    expect(units.get('algorithmia.duration_milliseconds')).toBe('millisecond');
  });

  it('reduces like Datadog: avg, sum, min, max, count, last, percentiles', () => {
    expect(reduce([1, 2, 3, 10], 'avg')).toBe(4);
    expect(reduce([1, 2, 3, 10], 'sum')).toBe(16);
    expect(reduce([1, 2, 3, 10], 'max')).toBe(10);
    expect(reduce([1, 2, 3, 10], 'count')).toBe(4);
    expect(reduce([1, 2, 3, 10], 'last')).toBe(10);
    expect(reduce([1, 2, 3, 4, 5], 'p50')).toBe(3);
    expect(reduce([], 'avg')).toBeNull();
  });

  it('draws recorded points by bucket, scope, group and aggregator', () => {
    const points = [
      { metric: 'algorithmia.duration_milliseconds', timestamp: 1000, value: 10, tags: ['env:prod', 'algorithm_name:a'] },
      { metric: 'algorithmia.duration_milliseconds', timestamp: 1000, value: 30, tags: ['env:prod', 'algorithm_name:b'] },
      { metric: 'algorithmia.duration_milliseconds', timestamp: 1001, value: 50, tags: ['env:prod', 'algorithm_name:a'] },
      { metric: 'algorithmia.duration_milliseconds', timestamp: 1001, value: 999, tags: ['env:dev', 'algorithm_name:a'] },
      { metric: 'algorithmia.latency', timestamp: 1001, values: [1, 2, 3, 4, 100], tags: ['env:prod'] },
    ];
    const source = recordedSource(points, 'points.jsonl');
    expect(source.sample).toBe(false);
    expect(source.timeline.starts).toEqual([1000, 1001]);
    expect(source.series(query).series).toEqual([{ label: 'algorithmia.duration_milliseconds', values: [20, 50] }]);
    expect(source.series(parseMetricQuery('max:algorithmia.duration_milliseconds{env:prod} by {algorithm_name}')!).series).toEqual([
      { label: 'algorithm_name:a', group: ['algorithm_name:a'], values: [10, 50] },
      { label: 'algorithm_name:b', group: ['algorithm_name:b'], values: [30, null] },
    ]);
    expect(source.series(parseMetricQuery('p50:algorithmia.latency{*}')!).series[0].values).toEqual([null, 3]);
    // The demo tags its points for one environment: a scope the recording lacks is said, and the points are drawn anyway.
    const other = source.series(parseMetricQuery('avg:algorithmia.duration_milliseconds{env:staging}')!);
    expect(other.notes).toEqual(['scope {env:staging} not in the recording: drawn over all of its points']);
    expect(other.series[0].values).toEqual([20, (50 + 999) / 2]);
  });
});

describe('preview: points file', () => {
  it('keeps what the double accepted, value or values, and reads it back', () => {
    const file = join(tempFolder('preview-points-'), 'points.jsonl');
    const recorder = new PointsRecorder(file);
    recorder.record([{ metric: 'm', timestamp: 1, value: 2, tags: ['a:b'] }]);
    recorder.record([{ metric: 'd', timestamp: 2, values: [1, 2], tags: [] }]);
    expect(recorder.count).toBe(2);
    expect(readPointsFile(file)).toEqual([
      { metric: 'm', timestamp: 1, value: 2, tags: ['a:b'] },
      { metric: 'd', timestamp: 2, values: [1, 2], tags: [] },
    ]);
  });

  it('names the file and line of anything else', () => {
    const file = join(tempFolder('preview-points-'), 'points.jsonl');
    require('node:fs').writeFileSync(file, '{"metric":"m","timestamp":1,"value":2,"tags":[]}\n{"metric":"m"}\n');
    expect(() => readPointsFile(file)).toThrow(`${file} line 2 is not a point`);
    expect(() => readPointsFile(`${file}.missing`)).toThrow(/does not exist: give a points file written by `DEMO_RECORD_FILE=/);
  });
});

describe('preview: before and after', () => {
  const riskOnly = JSON.stringify({ prefix: 'algorithmia', inferenceMetrics: [{ key: 'risk_score', unit: 'fraction' }] });
  const base = synthConfig(
    { environments: { prod: { scope: 'env:prod', durationMonitor: { critical: 10000, warning: 5000 } } } },
    riskOnly,
  );
  // config/metrics.json declares risk_score, approved and churn_probability: the head gains their widgets.
  const head = synthConfig({ environments: { prod: { scope: 'env:prod', durationMonitor: { critical: 15000, warning: 7500 } } } });

  it('marks the alert widgets of a monitor whose thresholds changed, and the widget a new metric adds', () => {
    const changes = compareDashboards(dashboardOf(base, 'algorithmia-prod'), dashboardOf(head, 'algorithmia-prod'));
    expect(Object.fromEntries(changes.head)).toEqual({ '2': 'changed', '4': 'changed', '6': 'added', '7': 'added' });
    expect(Object.fromEntries(changes.base)).toEqual({ '2': 'changed', '4': 'changed' });
    expect(changes.counts).toEqual({ added: 2, changed: 2, removed: 0 });
  });

  it('marks removed widgets on the base, every widget of a new dashboard as added, nothing when equal', () => {
    const reverse = compareDashboards(dashboardOf(head, 'algorithmia-prod'), dashboardOf(base, 'algorithmia-prod'));
    expect(Object.fromEntries(reverse.base)).toEqual({ '2': 'changed', '4': 'changed', '6': 'removed', '7': 'removed' });
    expect(compareDashboards(undefined, dashboardOf(head, 'algorithmia-prod')).counts).toEqual({ added: 7, changed: 0, removed: 0 });
    expect(compareDashboards(dashboardOf(base, 'algorithmia-prod'), dashboardOf(base, 'algorithmia-prod')).counts).toEqual({
      added: 0,
      changed: 0,
      removed: 0,
    });
  });
});

describe('preview: widget views', () => {
  it('says when an alert widget shows a monitor that is not in the stack, and draws nothing for it', () => {
    const stack = {
      resource: {
        datadog_dashboard: {
          board: {
            title: 'Hand-made',
            layout_type: 'free',
            widget: [
              { alert_graph_definition: { title: 'Imported', alert_id: '123456' }, widget_layout: { x: 0, y: 0, width: 6, height: 3 } },
            ],
          },
        },
      },
    };
    const [dashboard] = dashboardsOf('s', stack);
    const [widget] = dashboardView(dashboard, sampleSource()).widgets;
    expect(widget).toMatchObject({
      kind: 'alert_graph',
      title: 'Imported',
      series: [],
      thresholds: [],
      layout: { x: 0, y: 0, width: 6, height: 3 },
    });
    expect(widget.notes).toEqual(['monitor 123456 is not declared in this stack: no thresholds or series']);
  });

  it('gives an alert value the monitor’s verdict over its window', () => {
    const cdktfOut = synthConfig({ environments: { prod: { durationMonitor: { critical: 1000, warning: 500 } } } });
    const view = dashboardView(
      dashboardOf(cdktfOut, 'algorithmia-prod'),
      sampleSource(() => ({ level: 2000, alertsLie: 'up' })),
    );
    expect(view.widgets.find((widget) => widget.kind === 'alert_value')).toMatchObject({ status: 'ALERT', value: expect.any(Number) });
    const calm = dashboardView(
      dashboardOf(cdktfOut, 'algorithmia-prod'),
      sampleSource(() => ({ level: 100, alertsLie: 'up' })),
    );
    expect(calm.widgets.find((widget) => widget.kind === 'alert_value')).toMatchObject({ status: 'OK' });
  });
});

describe('preview: multi-alert monitors and tables, from recorded points', () => {
  const cdktfOut = synthConfig({
    environments: {
      prod: {
        scope: 'env:prod',
        durationMonitor: { critical: 1000, warning: 500, groupBy: ['algorithm_name'] },
        dashboard: { perAlgorithmTable: true },
      },
    },
  });
  const point = (metric: string, algorithm: string, value: number | number[]) => ({
    metric,
    timestamp: 1000,
    ...(Array.isArray(value) ? { values: value } : { value }),
    tags: ['env:prod', `algorithm_name:${algorithm}`, 'algorithm_version:1'],
  });

  it('gives an alert value the worst group, not the first', () => {
    const points = [
      point('algorithmia.duration_milliseconds', 'a_fast', 100),
      point('algorithmia.duration_milliseconds', 'b_slow', 700),
      point('algorithmia.duration_milliseconds', 'c_slowest', 900),
    ];
    const view = dashboardView(dashboardOf(cdktfOut, 'algorithmia-prod'), recordedSource(points, 'points.jsonl'));
    expect(view.widgets.find((widget) => widget.kind === 'alert_value')).toMatchObject({
      status: 'WARN',
      value: 900,
      group: 'algorithm_name:c_slowest',
    });
    const alert = [...points, point('algorithmia.duration_milliseconds', 'd_stuck', 5000)];
    const alerting = dashboardView(dashboardOf(cdktfOut, 'algorithmia-prod'), recordedSource(alert, 'points.jsonl'));
    expect(alerting.widgets.find((widget) => widget.kind === 'alert_value')).toMatchObject({
      status: 'ALERT',
      group: 'algorithm_name:d_stuck',
    });
  });

  it('keeps a query with one group in that group’s row, with a column per group-by tag', () => {
    const points = [
      point('algorithmia.duration_milliseconds', 'a', 100),
      point('algorithmia.duration_milliseconds', 'b', 200),
      point('algorithmia.churn_probability', 'b', [0.2, 0.4]),
    ];
    const view = dashboardView(dashboardOf(cdktfOut, 'algorithmia-prod'), recordedSource(points, 'points.jsonl'));
    const table = view.widgets.find((widget) => widget.kind === 'query_table')!;
    expect(table.groupColumns).toEqual(['algorithm_name', 'algorithm_version']);
    const churn = table.columns!.indexOf('algorithmia.churn_probability');
    expect(table.rows!.map((row) => [...row.tags, row.cells[churn] === null ? null : Number(row.cells[churn].toFixed(3))])).toEqual([
      ['a', '1', null],
      ['b', '1', 0.3],
    ]);
  });
});

describe('preview: page', () => {
  it('is self-contained: Chart.js and the drawing script inline, nothing fetched', () => {
    const cdktfOut = synthExampleConfig();
    const view = dashboardView(dashboardOf(cdktfOut, 'algorithmia-prod'), sampleSource());
    const html = renderPage({ title: 'Algorithmia', panels: [{ view }] });
    expect(html).toContain(readFileSync(join(require.resolve('chart.js'), '..', 'chart.umd.min.js'), 'utf8').slice(0, 200));
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\/(?!algorithmia\.com|www\.chartjs\.org|github\.com)/);
  });
});

describe('preview: traffic and pipeline', () => {
  const staging = readSynthOutput(synthExampleConfig()).get('algorithmia-staging')!;

  it("draws staging's executions widget and the Pipeline group, each query read with its metric and groups", () => {
    const [dashboard] = dashboardsOf('algorithmia-staging', staging);
    const traffic = dashboard.widgets.find((widget) => widget.title === 'Executions per algorithm')!;
    expect(traffic.queries[0].metricQuery).toMatchObject({
      aggregator: 'sum',
      metric: 'algorithmia.executions',
      groupBy: ['algorithm_name'],
    });
    const group = dashboard.widgets.find((widget) => widget.kind === 'group' && widget.title === 'Pipeline')!;
    expect(group.children).toHaveLength(7);
    const metrics = group.children!.flatMap((child) => child.queries.map((query) => query.metricQuery?.metric));
    expect(metrics).toContain('algorithmia.forwarder.heartbeat');
    expect(metrics).toContain('algorithmia.forwarder.points.rejected');
    expect(metrics).not.toContain(undefined);
  });

  it('draws sample traffic above the silent-model level, and counts that must stay 0 at 0 with one burst', () => {
    const hint = levelHint(staging);
    // silentModel alerts below 1: the sample lies above, its excursion downwards.
    expect(hint('algorithmia.executions')).toEqual({ level: 2.5, alertsLie: 'down' });
    expect(hint('algorithmia.forwarder.messages.dead_lettered')).toEqual({ level: 0, alertsLie: 'up' });
    const values = sampleSource(hint).series(parseMetricQuery('sum:algorithmia.forwarder.messages.dead_lettered{env:staging}.as_count()')!)
      .series[0].values as number[];
    expect(values.filter((value) => value === 0).length).toBeGreaterThan(50);
    expect(Math.max(...values)).toBeGreaterThan(0);
    // The lag monitor (> 300, warning 120) puts lag samples under the warning.
    expect(hint('algorithmia.forwarder.consumer_lag_seconds')).toEqual({ level: 72, alertsLie: 'up' });
  });
});
