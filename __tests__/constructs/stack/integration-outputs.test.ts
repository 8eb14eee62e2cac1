import { Testing } from 'cdktf';
import { appBaseUrlForSite, parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { AlgorithmiaStack, AlgorithmiaStackProps, pipelineMetricMetadata } from '../../../constructs';
import '../../helpers/synth';

function synthOf(props: AlgorithmiaStackProps = {}): any {
  return JSON.parse(Testing.synth(new AlgorithmiaStack(Testing.app(), 'algorithmia-prod', props), true));
}

function outputsOf(props: AlgorithmiaStackProps = {}): Record<string, { value: any; description: string }> {
  return synthOf(props).output;
}

describe('integration outputs', () => {
  it('gives the dashboard id and URL, every monitor id and URL (model monitors too), and the managed metrics', () => {
    const catalog = parseMetricDeclaration({
      inferenceMetrics: [{ key: 'risk_score' }, { key: 'latency', kind: 'distribution', percentiles: true }],
    });
    const outputs = outputsOf({
      integration: {
        catalog,
        inferenceMonitors: { risk_score: { critical: 0.9 } },
        changeMonitors: { risk_score: { critical: 20 } },
        percentileMonitors: { latency: { critical: 800 } },
      },
    });
    expect(Object.keys(outputs).sort()).toEqual([
      'dashboard_id',
      'dashboard_url',
      'managed_metrics',
      'monitors',
      'percentile_metrics',
      'slos',
    ]);
    expect(outputs.dashboard_id.value).toBe('${datadog_dashboard.algorithmia_dashboard.id}');
    expect(outputs.dashboard_url.value).toBe('https://app.datadoghq.com/dashboard/${datadog_dashboard.algorithmia_dashboard.id}');
    expect(outputs.monitors.value).toEqual({
      duration: {
        id: '${datadog_monitor.algorithmia_duration_monitor.id}',
        url: 'https://app.datadoghq.com/monitors/${datadog_monitor.algorithmia_duration_monitor.id}',
      },
      risk_score: {
        id: '${datadog_monitor.algorithmia_monitor_risk_score.id}',
        url: 'https://app.datadoghq.com/monitors/${datadog_monitor.algorithmia_monitor_risk_score.id}',
      },
      change_monitor_risk_score: {
        id: '${datadog_monitor.algorithmia_change_monitor_risk_score.id}',
        url: 'https://app.datadoghq.com/monitors/${datadog_monitor.algorithmia_change_monitor_risk_score.id}',
      },
      percentile_monitor_latency: {
        id: '${datadog_monitor.algorithmia_percentile_monitor_latency.id}',
        url: 'https://app.datadoghq.com/monitors/${datadog_monitor.algorithmia_percentile_monitor_latency.id}',
      },
    });
    expect(outputs.managed_metrics.value).toEqual([
      'algorithmia.duration_milliseconds',
      'algorithmia.risk_score',
      'algorithmia.latency',
      ...pipelineMetricMetadata('algorithmia').map((entry) => entry.name),
    ]);
    expect(outputs.percentile_metrics.value).toEqual(['algorithmia.latency']);
  });

  it('names a monitor resource of the stack for every monitor of every kind', () => {
    const catalog = parseMetricDeclaration({
      inferenceMetrics: [{ key: 'risk_score' }, { key: 'latency', kind: 'distribution', percentiles: true }],
    });
    const stack = synthOf({
      integration: {
        catalog,
        changeMonitors: { risk_score: { critical: 20 } },
        anomalyMonitors: { latency: {} },
        outlierMonitors: { risk_score: {} },
        percentileMonitors: { latency: { critical: 800 } },
        slos: { risk_score: { threshold: 0.9, objectives: [{ target: 99 }], algorithms: ['a', 'b'] } },
      },
    });
    const referenced = Object.values(stack.output.monitors.value as Record<string, { id: string }>).map(({ id }) =>
      id.replace(/^\$\{datadog_monitor\.(.+)\.id\}$/, '$1'),
    );
    expect(referenced.sort()).toEqual(Object.keys(stack.resource.datadog_monitor).sort());
  });

  it('gives each SLO its id, URL and the keys of its burn-rate alerts in monitors', () => {
    const catalog = parseMetricDeclaration({ inferenceMetrics: [{ key: 'risk_score' }] });
    const outputs = outputsOf({
      site: 'datadoghq.eu',
      integration: {
        catalog,
        slos: {
          duration_milliseconds: {
            threshold: 5000,
            objectives: [{ target: 99.5 }],
            burnRateAlerts: [{ burnRate: 10, longWindow: '2h', shortWindow: '10m' }],
          },
        },
      },
    });
    expect(outputs.slos.value).toEqual({
      slo_duration_milliseconds: {
        id: '${datadog_service_level_objective.algorithmia_slo_duration_milliseconds.id}',
        url: 'https://app.datadoghq.eu/slo?slo_id=${datadog_service_level_objective.algorithmia_slo_duration_milliseconds.id}',
        burn_rate_alerts: ['slo_duration_milliseconds_burn_2h'],
      },
    });
    expect(outputs.monitors.value.slo_duration_milliseconds_burn_2h.id).toBe(
      '${datadog_monitor.algorithmia_slo_duration_milliseconds_burn_2h.id}',
    );
  });

  it('links to the web app of the configured site', () => {
    expect(outputsOf({ site: 'datadoghq.eu' }).dashboard_url.value).toMatch(/^https:\/\/app\.datadoghq\.eu\/dashboard\//);
    expect(outputsOf({ site: 'us3.datadoghq.com' }).monitors.value.duration.url).toMatch(/^https:\/\/us3\.datadoghq\.com\/monitors\//);
    expect(outputsOf({ site: 'ddog-gov.com' }).dashboard_url.value).toMatch(/^https:\/\/app\.ddog-gov\.com\/dashboard\//);
  });

  it('lists no managed metric when the stack does not manage metadata', () => {
    expect(outputsOf({ integration: { metricMetadata: false } }).managed_metrics.value).toEqual([]);
    expect(outputsOf({ integration: { metricMetadata: 'release' } }).managed_metrics.value).toEqual([]);
    expect(outputsOf({ integration: { metricMetadata: false } }).percentile_metrics.value).toEqual([]);
  });
});

describe('appBaseUrlForSite', () => {
  it.each([
    ['datadoghq.com', 'https://app.datadoghq.com'],
    ['datadoghq.eu', 'https://app.datadoghq.eu'],
    ['us3.datadoghq.com', 'https://us3.datadoghq.com'],
    ['us5.datadoghq.com', 'https://us5.datadoghq.com'],
    ['ap1.datadoghq.com', 'https://ap1.datadoghq.com'],
    ['ddog-gov.com', 'https://app.ddog-gov.com'],
  ] as const)('%s → %s', (site, url) => {
    expect(appBaseUrlForSite(site)).toBe(url);
  });
});
