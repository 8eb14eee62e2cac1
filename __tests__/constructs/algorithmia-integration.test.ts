import { MetricCatalog, parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { AlgorithmiaIntegration, AlgorithmiaIntegrationProps } from '../../constructs';
import { onlyResource, resourcesOfType, synthError, synthesize } from '../helpers/synth';

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

describe('AlgorithmiaIntegration', () => {
  it('with no props is the integration as in the assets: one monitor, the dashboard, duration metadata', () => {
    const synthesized = synthesize((scope) => new AlgorithmiaIntegration(scope, 'algorithmia'));
    const monitor = onlyResource(synthesized, 'datadog_monitor');
    expect(monitor.query).toBe('avg(last_5m):avg:algorithmia.duration_milliseconds{*} > 10000');
    expect(monitor.tags).toEqual(['integration:algorithmia']);
    const dashboard = onlyResource(synthesized, 'datadog_dashboard');
    expect(dashboard.title).toBe('Algorithmia');
    expect(dashboard.widget).toHaveLength(4);
    expect(onlyResource(synthesized, 'datadog_metric_metadata').metric).toBe('algorithmia.duration_milliseconds');
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
    expect(metadata.sort()).toEqual(['algorithmia.approved', 'algorithmia.duration_milliseconds', 'algorithmia.risk_score']);
    const queries = onlyResource(synthesized, 'datadog_dashboard').widget.slice(4).map((widget: any) => widget.timeseries_definition.request[0].q);
    expect(queries).toEqual(['avg:algorithmia.risk_score{*}', 'avg:algorithmia.approved{*}']);
  });

  it('creates a monitor only for inference metrics given thresholds', () => {
    const monitors = monitorsByName({ inferenceMonitors: { approved: { critical: 0.2, warning: 0.3, comparator: '<', window: 'last_1h' } } });
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
      expect(Object.keys(resourcesOfType(integration({ metricMetadata: true }), 'datadog_metric_metadata'))).toHaveLength(3);
    });
  });

  describe('validation', () => {
    it('rejects a monitor for a metric that is not declared, listing the declared keys', () => {
      const message = synthError((scope) => new AlgorithmiaIntegration(scope, 'algorithmia', { catalog, inferenceMonitors: { risk: { critical: 1 } } }));
      expect(message).toContain('inferenceMonitors.risk: no inference metric with key "risk" is declared (declared: risk_score, approved)');
    });

    it('rejects a duplicate metric in a catalog built by hand, once', () => {
      const duplicated = new MetricCatalog('algorithmia', false, [...catalog.metrics, catalog.metrics[1]]);
      const message = synthError((scope) => new AlgorithmiaIntegration(scope, 'algorithmia', { catalog: duplicated }));
      expect(message).toContain('catalog.metrics: metric "algorithmia.risk_score" appears twice (at 1 and 3); remove one of them.');
      expect(message.match(/appears twice/g)).toHaveLength(1);
    });

    it('reports a warning not below critical on the duration monitor', () => {
      const message = synthError((scope) => new AlgorithmiaIntegration(scope, 'algorithmia', { durationMonitor: { critical: 5000, warning: 6000 } }));
      expect(message).toContain('[test/algorithmia/duration_monitor] warning (6000) is not below critical (5000)');
    });

    it('reports an empty shared notification handle on each monitor', () => {
      const message = synthError((scope) => new AlgorithmiaIntegration(scope, 'algorithmia', { notificationHandles: [''] }));
      expect(message).toContain('[test/algorithmia/duration_monitor] notificationHandles[0] is empty');
    });
  });
});

describe('AlgorithmiaIntegration adopt: taking over the objects of Datadog\'s Algorithmia tile', () => {
  it('imports the existing dashboard and monitor into the resources the integration declares', () => {
    const synthesized = synthesize((scope) => new AlgorithmiaIntegration(scope, 'algorithmia', { adopt: { dashboardId: 'abc-def-ghi', durationMonitorId: 1234567 } }));
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
    expect(synthError((scope) => new AlgorithmiaIntegration(scope, 'algorithmia', { adopt: { dashboardId: 'https://x/dashboard/abc', durationMonitorId: 'abc' } }))).toMatch(
      /adopt\.dashboardId "https:\/\/x\/dashboard\/abc" is not a dashboard id.*\n.*adopt\.durationMonitorId "abc" is not a monitor id/,
    );
  });
});
