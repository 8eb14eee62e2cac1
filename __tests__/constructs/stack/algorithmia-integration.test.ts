import { MetricCatalog, parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { TerraformStack, Testing } from 'cdktf';
import { AlgorithmiaIntegration, AlgorithmiaIntegrationProps, pipelineMetricMetadata } from '../../../constructs';
import { problemInParent, propsOriginOf } from '../../../constructs/problems';
import { onlyResource, resourcesOfType, synthError, synthesize } from '../../helpers/synth';

const catalog = parseMetricDeclaration({
  inferenceMetrics: [
    { key: 'risk_score', unit: 'fraction', description: 'Credit risk score' },
    { key: 'approved', description: '1 when approved' },
  ],
});

function integration(props: AlgorithmiaIntegrationProps = {}) {
  return synthesize((scope) => new AlgorithmiaIntegration(scope, 'algorithmia', { catalog, ...props }));
}

function monitorsByName(props: AlgorithmiaIntegrationProps = {}): Record<string, Record<string, any>> {
  const monitors = Object.values(resourcesOfType(integration(props), 'datadog_monitor'));
  return Object.fromEntries(monitors.map((monitor) => [monitor.name, monitor]));
}

/** The metadata of what the forwarder makes itself, which the owner of metadata always describes. */
const PIPELINE_METRIC_NAMES = pipelineMetricMetadata('algorithmia').map((entry) => entry.name);

describe('AlgorithmiaIntegration', () => {
  it("with no props is the integration as in the assets (one monitor, the dashboard, duration metadata), and the forwarder's metadata", () => {
    const synthesized = synthesize((scope) => new AlgorithmiaIntegration(scope, 'algorithmia'));
    const monitor = onlyResource(synthesized, 'datadog_monitor');
    expect(monitor.query).toBe('avg(last_5m):avg:algorithmia.duration_milliseconds{*} > 10000');
    expect(monitor.tags).toEqual(['integration:algorithmia']);
    const dashboard = onlyResource(synthesized, 'datadog_dashboard');
    expect(dashboard.title).toBe('Algorithmia');
    expect(dashboard.widget).toHaveLength(4);
    const described = Object.values(resourcesOfType(synthesized, 'datadog_metric_metadata')).map((entry) => entry.metric);
    expect(described.sort()).toEqual(['algorithmia.duration_milliseconds', ...PIPELINE_METRIC_NAMES].sort());
  });

  it('binds the dashboard alert widgets to its duration monitor', () => {
    const synthesized = integration();
    const [monitorName] = Object.keys(resourcesOfType(synthesized, 'datadog_monitor'));
    const widgets = onlyResource(synthesized, 'datadog_dashboard').widget;
    const reference = `\${datadog_monitor.${monitorName}.id}`;
    expect(widgets[1].alert_graph_definition.alert_id).toBe(reference);
    expect(widgets[3].alert_value_definition.alert_id).toBe(reference);
  });

  it('gives each declared inference metric metadata and a dashboard widget', () => {
    const synthesized = integration();
    const metadata = Object.values(resourcesOfType(synthesized, 'datadog_metric_metadata')).map((entry) => entry.metric);
    expect(metadata.sort()).toEqual(
      ['algorithmia.approved', 'algorithmia.duration_milliseconds', 'algorithmia.risk_score', ...PIPELINE_METRIC_NAMES].sort(),
    );
    const queries = onlyResource(synthesized, 'datadog_dashboard')
      .widget.slice(4)
      .map((widget: any) => widget.timeseries_definition.request[0].q);
    expect(queries).toEqual(['avg:algorithmia.risk_score{*}', 'avg:algorithmia.approved{*}']);
  });

  it('creates a monitor only for inference metrics given thresholds', () => {
    const monitors = monitorsByName({
      inferenceMonitors: { approved: { critical: 0.2, warning: 0.3, comparator: '<', window: 'last_1h' } },
    });
    expect(Object.keys(monitors).sort()).toEqual(['[Algorithmia] Excessive Algorithm Runtime', '[Algorithmia] Low approved']);
    expect(monitors['[Algorithmia] Low approved']).toMatchObject({
      query: 'avg(last_1h):avg:algorithmia.approved{*} < 0.2',
      monitor_thresholds: { critical: '0.2', warning: '0.3' },
      message: 'The avg of algorithmia.approved (1 when approved) over last_1h is < 0.2.',
      tags: ['integration:algorithmia'],
    });
  });

  it('applies scope, tags, handles and label to every monitor and the dashboard', () => {
    const synthesized = integration({
      scope: 'env:prod',
      tags: ['env:prod', 'team:ml'],
      notificationHandles: ['@slack-ml-alerts'],
      label: 'prod',
      inferenceMonitors: { risk_score: { critical: 0.9 } },
    });
    const monitors = Object.values(resourcesOfType(synthesized, 'datadog_monitor'));
    expect(monitors.map((monitor) => monitor.name).sort()).toEqual([
      '[Algorithmia] Excessive Algorithm Runtime (prod)',
      '[Algorithmia] High risk_score (prod)',
    ]);
    for (const monitor of monitors) {
      expect(monitor.query).toContain('{env:prod}');
      expect(monitor.tags).toEqual(['integration:algorithmia', 'env:prod', 'team:ml']);
      expect(monitor.message).toMatch(/\n\n@slack-ml-alerts$/);
    }
    const dashboard = onlyResource(synthesized, 'datadog_dashboard');
    expect(dashboard.title).toBe('Algorithmia (prod)');
    expect(dashboard.widget[0].timeseries_definition.request[0].q).toBe('avg:algorithmia.duration_milliseconds{env:prod}');
  });

  it('lets a monitor override the shared scope and handles', () => {
    const monitors = monitorsByName({
      scope: 'env:prod',
      notificationHandles: ['@slack-ml-alerts'],
      durationMonitor: { critical: 30000, warning: 20000, scope: 'env:prod,tier:batch', notificationHandles: ['@pagerduty-ml'] },
    });
    const duration = monitors['[Algorithmia] Excessive Algorithm Runtime'];
    expect(duration.query).toBe('avg(last_5m):avg:algorithmia.duration_milliseconds{env:prod,tier:batch} > 30000');
    expect(duration.message).toMatch(/more than 30 seconds[\s\S]*\n\n@pagerduty-ml$/);
  });

  describe('metric metadata switch (Datadog answers 404 before a metric has data)', () => {
    it('leaves all metric metadata out when metricMetadata is false, and keeps everything else', () => {
      const synthesized = integration({ metricMetadata: false, inferenceMonitors: { risk_score: { critical: 0.9 } } });
      expect(synthesized.resource?.datadog_metric_metadata).toBeUndefined();
      expect(Object.keys(resourcesOfType(synthesized, 'datadog_monitor'))).toHaveLength(2);
      expect(onlyResource(synthesized, 'datadog_dashboard').widget).toHaveLength(6);
    });

    it('manages metadata when metricMetadata is true', () => {
      expect(Object.keys(resourcesOfType(integration({ metricMetadata: true }), 'datadog_metric_metadata'))).toHaveLength(
        3 + PIPELINE_METRIC_NAMES.length,
      );
    });
  });

  describe('validation', () => {
    it('rejects a monitor for a metric that is not declared, listing the declared keys', () => {
      const message = synthError(
        (scope) => new AlgorithmiaIntegration(scope, 'algorithmia', { catalog, inferenceMonitors: { risk: { critical: 1 } } }),
      );
      expect(message).toContain('inferenceMonitors.risk: no inference metric with key "risk" is declared (declared: risk_score, approved)');
    });

    it('rejects a duplicate metric in a catalog built by hand, once', () => {
      const duplicated = new MetricCatalog('algorithmia', false, [...catalog.metrics, catalog.metrics[1]]);
      const message = synthError((scope) => new AlgorithmiaIntegration(scope, 'algorithmia', { catalog: duplicated }));
      expect(message).toContain('catalog.metrics: metric "algorithmia.risk_score" appears twice (at 1 and 3); remove one of them.');
      expect(message.match(/appears twice/g)).toHaveLength(1);
    });

    it('reports a warning not below critical on the duration monitor', () => {
      const message = synthError(
        (scope) => new AlgorithmiaIntegration(scope, 'algorithmia', { durationMonitor: { critical: 5000, warning: 6000 } }),
      );
      expect(message).toContain('[test/algorithmia/duration_monitor] warning (6000) is not below critical (5000)');
    });

    it('reports an empty shared notification handle on each monitor', () => {
      const message = synthError((scope) => new AlgorithmiaIntegration(scope, 'algorithmia', { notificationHandles: [''] }));
      expect(message).toContain('[test/algorithmia/duration_monitor] notificationHandles[0] is empty');
    });
  });
});

describe('AlgorithmiaIntegration model monitoring (opt-in)', () => {
  const withDistribution = parseMetricDeclaration({
    inferenceMetrics: [
      { key: 'risk_score', unit: 'fraction', description: 'Credit risk score' },
      { key: 'latency_ms', kind: 'distribution', unit: 'millisecond', percentiles: true },
    ],
  });

  function build(props: AlgorithmiaIntegrationProps) {
    return synthesize(
      (scope) =>
        new AlgorithmiaIntegration(scope, 'algorithmia', {
          catalog: withDistribution,
          scope: 'env:staging',
          label: 'staging',
          tags: ['env:staging'],
          notificationHandles: ['@slack-ml'],
          ...props,
        }),
    );
  }

  it('alerts per algorithm on the duration, naming the algorithm in the integration message', () => {
    const monitors = Object.values(resourcesOfType(build({ durationMonitor: { groupBy: ['algorithm_name'] } }), 'datadog_monitor'));
    expect(monitors).toHaveLength(1);
    expect(monitors[0].query).toBe('avg(last_5m):avg:algorithmia.duration_milliseconds{env:staging} by {algorithm_name} > 10000');
    expect(monitors[0].message).toMatch(
      /^algorithm_name:\{\{algorithm_name\.name\}\}\n\nSome algorithms queries are running for more than 10 seconds\./,
    );
    expect(monitors[0].message).toMatch(/\n\n@slack-ml$/);
  });

  it('creates each kind from settings keyed by metric key, with the environment scope, tags, handles and label', () => {
    const synthesized = build({
      inferenceMonitors: { risk_score: { critical: 0.95, groupBy: ['algorithm_name', 'algorithm_version'] } },
      changeMonitors: { risk_score: { critical: 20, groupBy: ['algorithm_name'] } },
      anomalyMonitors: {
        duration_milliseconds: { groupBy: ['algorithm_name'], deviations: 3, direction: 'above', alertWindow: 'last_30m' },
      },
      outlierMonitors: { risk_score: {} },
      percentileMonitors: { latency_ms: { critical: 8000, groupBy: ['algorithm_name'] } },
    });
    // Addresses without cdktf's hash suffix (AlgorithmiaStack drops it; this test stack does not).
    const monitors = Object.fromEntries(
      Object.entries(resourcesOfType(synthesized, 'datadog_monitor')).map(([address, monitor]) => [
        address.replace(/_[0-9A-F]{8}$/, ''),
        monitor,
      ]),
    );
    const byAddress = Object.fromEntries(Object.entries(monitors).map(([address, monitor]) => [address, monitor.query]));
    expect(byAddress).toEqual({
      algorithmia_duration_monitor: 'avg(last_5m):avg:algorithmia.duration_milliseconds{env:staging} > 10000',
      algorithmia_monitor_risk_score: 'avg(last_5m):avg:algorithmia.risk_score{env:staging} by {algorithm_name,algorithm_version} > 0.95',
      algorithmia_change_monitor_risk_score:
        'pct_change(avg(last_1h),last_1d):avg:algorithmia.risk_score{env:staging} by {algorithm_name} > 20',
      algorithmia_anomaly_monitor_duration_milliseconds:
        "avg(last_4h):anomalies(avg:algorithmia.duration_milliseconds{env:staging} by {algorithm_name}, 'agile', 3, direction='above', alert_window='last_30m', interval=60, seasonality='daily') >= 1",
      algorithmia_outlier_monitor_risk_score:
        "avg(last_30m):outliers(avg:algorithmia.risk_score{env:staging} by {algorithm_version}, 'dbscan', 3) > 0",
      algorithmia_percentile_monitor_latency_ms: 'avg(last_5m):p95:algorithmia.latency_ms{env:staging} by {algorithm_name} > 8000',
    });
    for (const monitor of Object.values(monitors)) {
      expect(monitor.tags).toEqual(['integration:algorithmia', 'env:staging']);
      expect(monitor.message).toMatch(/\n\n@slack-ml$/);
      expect(monitor.name).toMatch(/ \(staging\)$/);
    }
    expect(monitors.algorithmia_change_monitor_risk_score).toMatchObject({
      name: '[Algorithmia] Drift in risk_score (staging)',
      message:
        'algorithm_name:{{algorithm_name.name}}\n\nThe avg of algorithmia.risk_score (Credit risk score) over last_1h changed by > 20 % compared with the same window last_1d earlier (pct_change).\n\n@slack-ml',
      monitor_thresholds: { critical: '20' },
    });
    expect(monitors.algorithmia_anomaly_monitor_duration_milliseconds).toMatchObject({
      name: '[Algorithmia] Anomalous duration_milliseconds (staging)',
      monitor_thresholds: { critical: '1' },
      monitor_threshold_windows: { trigger_window: 'last_30m', recovery_window: 'last_30m' },
    });
    expect(monitors.algorithmia_outlier_monitor_risk_score).toMatchObject({
      name: '[Algorithmia] Outlier algorithm_version in risk_score (staging)',
      message:
        'algorithmia.risk_score (Credit risk score) of algorithm_version {{algorithm_version.name}} behaves unlike the others over last_30m (outliers, dbscan, tolerance 3).\n\n@slack-ml',
    });
    expect(monitors.algorithmia_percentile_monitor_latency_ms).toMatchObject({
      name: '[Algorithmia] p95 latency_ms (staging)',
      message: 'algorithm_name:{{algorithm_name.name}}\n\nThe p95 of algorithmia.latency_ms over last_5m is > 8000.\n\n@slack-ml',
      monitor_thresholds: { critical: '8000' },
    });
  });

  it('names the environment setting when a kind names an undeclared metric or a percentile of a gauge', () => {
    const error = synthError(
      (scope) =>
        new AlgorithmiaIntegration(scope, 'algorithmia', {
          catalog: withDistribution,
          anomalyMonitors: { churn: {} },
          percentileMonitors: { risk_score: { critical: 0.9 } },
        }),
    );
    expect(error).toContain(
      'anomalyMonitors.churn: no metric with key "churn" is declared (declared: duration_milliseconds, risk_score, latency_ms)',
    );
    expect(error).toContain(
      '[test/algorithmia/percentile_monitor_risk_score] percentile p95 needs a distribution metric, but algorithmia.risk_score is a gauge',
    );
  });

  it('passes the dashboard options through', () => {
    const dashboard = onlyResource(
      build({ dashboard: { templateVariables: true, perAlgorithmTable: true, distributionPercentiles: true } }),
      'datadog_dashboard',
    );
    expect(dashboard.template_variable.map((variable: any) => variable.name)).toEqual([
      'env',
      'algorithm_name',
      'algorithm_version',
      'algorithm_owner',
    ]);
    expect(dashboard.widget.map((widget: any) => Object.keys(widget)[0])).toEqual([
      'timeseries_definition',
      'alert_graph_definition',
      'query_value_definition',
      'alert_value_definition',
      'timeseries_definition',
      'timeseries_definition',
      'query_table_definition',
    ]);
    expect(dashboard.widget[5].timeseries_definition.request[1].q).toBe(
      'p95:algorithmia.latency_ms{$env,$algorithm_name,$algorithm_version,$algorithm_owner}',
    );
  });
});

describe("props origins: where each monitor's props came from, for problems at config keys", () => {
  it('records the settings each monitor was made from, and the integration props it inherits', () => {
    const stack = new TerraformStack(Testing.app(), 'settings');
    const integration = new AlgorithmiaIntegration(stack, 'algorithmia', {
      catalog,
      tags: ['env:prod'],
      inferenceMonitors: { risk_score: { critical: 0.9, tags: ['team:ml'] } },
      changeMonitors: { risk_score: { critical: 20 } },
      anomalyMonitors: { duration_milliseconds: {} },
    });
    const monitors = [
      integration.durationMonitor,
      ...integration.inferenceMonitors.values(),
      ...integration.modelMonitors.changeMonitors.values(),
      ...integration.modelMonitors.anomalyMonitors.values(),
    ];
    expect(monitors.map((monitor) => propsOriginOf(monitor)?.settings)).toEqual([
      ['durationMonitor'],
      ['inferenceMonitors', 'risk_score'],
      ['changeMonitors', 'risk_score'],
      ['anomalyMonitors', 'duration_milliseconds'],
    ]);
    // The inference monitor's tags: integration:algorithmia, env:prod (the integration's), team:ml (its own).
    const origin = propsOriginOf(monitors[1])!;
    expect(problemInParent(origin, { path: ['tags', 1], message: '' }).path).toEqual(['tags', 0]);
    expect(problemInParent(origin, { path: ['tags', 2], message: '' }).path).toEqual(['inferenceMonitors', 'risk_score', 'tags', 0]);
    expect(problemInParent(origin, { path: ['scope'], message: '' }).path).toEqual(['scope']);
    expect(propsOriginOf(integration)).toBeUndefined(); // made by the test, not by a stack from its props
  });
});

describe("AlgorithmiaIntegration adopt: taking over the objects of Datadog's Algorithmia tile", () => {
  it('imports the existing dashboard and monitor into the resources the integration declares', () => {
    const synthesized = synthesize(
      (scope) => new AlgorithmiaIntegration(scope, 'algorithmia', { adopt: { dashboardId: 'abc-def-ghi', durationMonitorId: 1234567 } }),
    );
    const dashboards = Object.keys(resourcesOfType(synthesized, 'datadog_dashboard'));
    const monitors = Object.keys(resourcesOfType(synthesized, 'datadog_monitor'));
    expect(synthesized.import).toEqual(
      expect.arrayContaining([
        { to: `datadog_dashboard.${dashboards[0]}`, id: 'abc-def-ghi' },
        { to: `datadog_monitor.${monitors[0]}`, id: '1234567' },
      ]),
    );
    expect(synthesized.import).toHaveLength(2);
  });

  it('imports nothing by default', () => {
    expect(synthesize((scope) => new AlgorithmiaIntegration(scope, 'algorithmia')).import).toBeUndefined();
  });

  it('refuses ids that cannot be Datadog ids', () => {
    expect(
      synthError(
        (scope) =>
          new AlgorithmiaIntegration(scope, 'algorithmia', { adopt: { dashboardId: 'https://x/dashboard/abc', durationMonitorId: 'abc' } }),
      ),
    ).toMatch(
      /adopt\.dashboardId "https:\/\/x\/dashboard\/abc" is not a dashboard id.*\n.*adopt\.durationMonitorId "abc" is not a monitor id/,
    );
  });
});
