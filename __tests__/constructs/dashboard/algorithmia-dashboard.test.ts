import { AlgorithmiaDashboard, DurationMonitor } from '../../../constructs';
import { onlyResource, resourcesOfType, synthError, synthesize, SynthesizedStack } from '../../helpers/synth';

function dashboardStack(props: Partial<ConstructorParameters<typeof AlgorithmiaDashboard>[2]> = {}): SynthesizedStack {
  return synthesize((scope) => {
    const monitor = new DurationMonitor(scope, 'duration');
    new AlgorithmiaDashboard(scope, 'dashboard', { durationMonitorId: monitor.monitorId, ...props });
  });
}

function monitorReference(synthesized: SynthesizedStack): string {
  const [name] = Object.keys(resourcesOfType(synthesized, 'datadog_monitor'));
  return `\${datadog_monitor.${name}.id}`;
}

describe('AlgorithmiaDashboard', () => {
  const synthesized = dashboardStack();
  const dashboard = onlyResource(synthesized, 'datadog_dashboard');
  const widgets: Record<string, any>[] = dashboard.widget;

  it('has the asset title, description and ordered layout', () => {
    expect(dashboard).toMatchObject({
      title: 'Algorithmia',
      description: 'Monitor metrics for machine learning models in production',
      layout_type: 'ordered',
    });
  });

  it('has the asset four widgets in order', () => {
    expect(widgets.map((widget) => Object.keys(widget))).toEqual([
      ['timeseries_definition'],
      ['alert_graph_definition'],
      ['query_value_definition'],
      ['alert_value_definition'],
    ]);
  });

  it('graphs the duration as a classic solid line without legend, y axis linear from zero', () => {
    expect(widgets[0].timeseries_definition).toEqual({
      title: 'Avg of algorithmia.duration_milliseconds over *',
      request: [
        {
          q: 'avg:algorithmia.duration_milliseconds{*}',
          display_type: 'line',
          style: { palette: 'dog_classic', line_type: 'solid', line_width: 'normal' },
        },
      ],
      yaxis: { scale: 'linear', min: 'auto', max: 'auto', include_zero: true },
      show_legend: false,
      legend_size: '0',
    });
  });

  it('binds the alert graph to the monitor this app creates', () => {
    expect(widgets[1].alert_graph_definition).toEqual({
      title: 'Alert: Excessive algorithm runtime',
      alert_id: monitorReference(synthesized),
      viz_type: 'timeseries',
    });
  });

  it('shows the average duration as a query value with two decimals', () => {
    expect(widgets[2].query_value_definition).toEqual({
      title: 'Avg of algorithmia.duration_milliseconds over *',
      request: [{ q: 'avg:algorithmia.duration_milliseconds{*}', aggregator: 'avg' }],
      autoscale: true,
      precision: 2,
    });
  });

  it('binds the alert value to the monitor this app creates', () => {
    expect(widgets[3].alert_value_definition).toEqual({
      title: 'Excessive algorithm runtime',
      alert_id: monitorReference(synthesized),
      precision: 0,
      unit: 'auto',
      text_align: 'center',
    });
  });

  it("never uses the asset's hard-coded monitor id", () => {
    expect(JSON.stringify(synthesized)).not.toContain('24564256');
  });

  it('adds one timeseries per inference metric after the four, in the same style', () => {
    const scoped = onlyResource(
      dashboardStack({ scope: 'env:prod', inferenceMetrics: [{ name: 'algorithmia.risk_score' }, { name: 'algorithmia.approved' }] }),
      'datadog_dashboard',
    );
    expect(scoped.widget).toHaveLength(6);
    expect(scoped.widget[4].timeseries_definition).toEqual({
      ...widgets[0].timeseries_definition,
      title: 'Avg of algorithmia.risk_score over env:prod',
      request: [{ ...widgets[0].timeseries_definition.request[0], q: 'avg:algorithmia.risk_score{env:prod}' }],
    });
    expect(scoped.widget[5].timeseries_definition.request[0].q).toBe('avg:algorithmia.approved{env:prod}');
    expect(scoped.widget[2].query_value_definition.request[0].q).toBe('avg:algorithmia.duration_milliseconds{env:prod}');
  });

  describe('validation', () => {
    function errorWith(props: Partial<ConstructorParameters<typeof AlgorithmiaDashboard>[2]>): string {
      return synthError((scope) => new AlgorithmiaDashboard(scope, 'dashboard', { durationMonitorId: '1', ...props }));
    }

    it('rejects an inference metric name Datadog would refuse', () => {
      expect(errorWith({ inferenceMetrics: [{ name: 'algorithmia.risk-score' }] })).toContain(
        'inferenceMetrics[0].name "algorithmia.risk-score" would be rejected by Datadog',
      );
    });

    it('rejects a metric graphed twice', () => {
      expect(errorWith({ inferenceMetrics: [{ name: 'algorithmia.score' }, { name: 'algorithmia.score' }] })).toContain(
        'metric "algorithmia.score" appears twice (at 1 and 2); remove one of them',
      );
    });
  });
});

describe('AlgorithmiaDashboard for many models (opt-in)', () => {
  const metrics = [
    { name: 'algorithmia.risk_score' },
    { name: 'algorithmia.latency_ms', kind: 'distribution' as const, percentiles: true },
  ];

  it('adds no template variable, table or percentile widget unless asked', () => {
    const dashboard = onlyResource(dashboardStack({ scope: 'env:prod', inferenceMetrics: metrics }), 'datadog_dashboard');
    expect(dashboard.template_variable).toBeUndefined();
    expect(dashboard.widget).toHaveLength(6);
    expect(dashboard.widget[5].timeseries_definition.request).toHaveLength(1);
  });

  it('has template variables for the scope tag and the algorithm tags, used by every widget query', () => {
    const dashboard = onlyResource(
      dashboardStack({
        scope: 'env:prod',
        inferenceMetrics: metrics,
        templateVariables: true,
        perAlgorithmTable: true,
        distributionPercentiles: true,
      }),
      'datadog_dashboard',
    );
    expect(dashboard.template_variable).toEqual([
      { name: 'env', prefix: 'env', defaults: ['prod'] },
      { name: 'algorithm_name', prefix: 'algorithm_name', defaults: ['*'] },
      { name: 'algorithm_version', prefix: 'algorithm_version', defaults: ['*'] },
      { name: 'algorithm_owner', prefix: 'algorithm_owner', defaults: ['*'] },
    ]);
    const filter = '{$env,$algorithm_name,$algorithm_version,$algorithm_owner}';
    const text = JSON.stringify(dashboard.widget);
    const queries = [...text.matchAll(/"(?:q|query)":"([^"]+)"/g)].map((match) => match[1]);
    expect(queries.length).toBeGreaterThan(6);
    for (const query of queries) expect(query).toContain(filter);
    expect(text).not.toContain('env:prod');
    expect(dashboard.widget[0].timeseries_definition.request[0].q).toBe(`avg:algorithmia.duration_milliseconds${filter}`);
  });

  it('graphs p50/p95/p99 of a distribution instead of its average', () => {
    const dashboard = onlyResource(
      dashboardStack({ scope: 'env:prod', inferenceMetrics: metrics, distributionPercentiles: true }),
      'datadog_dashboard',
    );
    expect(dashboard.widget[4].timeseries_definition.request.map((request: any) => request.q)).toEqual([
      'avg:algorithmia.risk_score{env:prod}',
    ]);
    const percentiles = dashboard.widget[5].timeseries_definition;
    expect(percentiles.title).toBe('p50 / p95 / p99 of algorithmia.latency_ms over env:prod');
    expect(percentiles.request.map((request: any) => request.q)).toEqual([
      'p50:algorithmia.latency_ms{env:prod}',
      'p95:algorithmia.latency_ms{env:prod}',
      'p99:algorithmia.latency_ms{env:prod}',
    ]);
    expect(percentiles).toMatchObject({ show_legend: true, legend_size: 'auto' });
  });

  it('adds a table of duration and each inference metric by algorithm and version', () => {
    const dashboard = onlyResource(dashboardStack({ inferenceMetrics: metrics, perAlgorithmTable: true }), 'datadog_dashboard');
    expect(dashboard.widget).toHaveLength(7);
    expect(dashboard.widget[6].query_table_definition).toEqual({
      title: 'Per algorithm and version',
      has_search_bar: 'auto',
      request: [
        {
          query: [
            {
              metric_query: {
                data_source: 'metrics',
                name: 'm0',
                query: 'avg:algorithmia.duration_milliseconds{*} by {algorithm_name,algorithm_version}',
                aggregator: 'avg',
              },
            },
            {
              metric_query: {
                data_source: 'metrics',
                name: 'm1',
                query: 'avg:algorithmia.risk_score{*} by {algorithm_name,algorithm_version}',
                aggregator: 'avg',
              },
            },
            {
              metric_query: {
                data_source: 'metrics',
                name: 'm2',
                query: 'avg:algorithmia.latency_ms{*} by {algorithm_name,algorithm_version}',
                aggregator: 'avg',
              },
            },
          ],
          formula: [
            { formula_expression: 'm0', alias: 'algorithmia.duration_milliseconds' },
            { formula_expression: 'm1', alias: 'algorithmia.risk_score' },
            { formula_expression: 'm2', alias: 'algorithmia.latency_ms' },
          ],
        },
      ],
    });
  });

  it('keeps scope terms that are not key:value in the filter, and "*" becomes the variables alone', () => {
    const scoped = onlyResource(dashboardStack({ scope: 'env:prod,!team:legacy', templateVariables: true }), 'datadog_dashboard');
    expect(scoped.widget[0].timeseries_definition.request[0].q).toBe(
      'avg:algorithmia.duration_milliseconds{!team:legacy,$env,$algorithm_name,$algorithm_version,$algorithm_owner}',
    );
    const everything = onlyResource(dashboardStack({ templateVariables: true }), 'datadog_dashboard');
    expect(everything.template_variable.map((variable: any) => variable.name)).toEqual([
      'algorithm_name',
      'algorithm_version',
      'algorithm_owner',
    ]);
    expect(everything.widget[2].query_value_definition.request[0].q).toBe(
      'avg:algorithmia.duration_milliseconds{$algorithm_name,$algorithm_version,$algorithm_owner}',
    );
  });
});

describe('AlgorithmiaDashboard: traffic and pipeline widgets', () => {
  it('reads the executions and forwarder metrics under the metric prefix', () => {
    const widgets = onlyResource(
      dashboardStack({ metricPrefix: 'acme', traffic: true, pipeline: true, scope: 'env:prod' }),
      'datadog_dashboard',
    ).widget as Record<string, any>[];
    expect(widgets).toHaveLength(6);
    expect(widgets[4].timeseries_definition.request[0]).toMatchObject({
      q: 'sum:acme.executions{env:prod} by {algorithm_name}.as_count()',
      display_type: 'bars',
    });
    const group = widgets[5].group_definition;
    expect(group).toMatchObject({ title: 'Pipeline', layout_type: 'ordered', show_title: true });
    expect(group.widget[1].timeseries_definition.request[0]).toMatchObject({
      q: 'max:acme.forwarder.consumer_lag_seconds{env:prod} by {forwarder_instance}',
      display_type: 'line',
    });
  });

  it('adds neither by default, and refuses a prefix that is not a metric name', () => {
    expect(JSON.stringify(onlyResource(dashboardStack(), 'datadog_dashboard'))).not.toMatch(/executions|forwarder/);
    expect(synthError((scope) => new AlgorithmiaDashboard(scope, 'd', { durationMonitorId: '1', metricPrefix: '9bad' }))).toContain(
      'metricPrefix "9bad" is not a valid metric prefix',
    );
  });
});
