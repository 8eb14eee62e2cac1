import { Testing } from 'cdktf';
import { parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { AlgorithmiaIntegration, AlgorithmiaStack, AlgorithmiaStackProps, MetricPercentiles } from '../../../constructs';
import { onlyResource, synthError, synthesize } from '../../helpers/synth';

function stackJson(props: AlgorithmiaStackProps): any {
  return JSON.parse(Testing.synth(new AlgorithmiaStack(Testing.app(), 'algorithmia-prod', props), true));
}

describe('MetricPercentiles', () => {
  it('enables the percentiles of each distribution that asks, keeping every tag queryable but the per-request ones', () => {
    const synthesized = synthesize(
      (scope) =>
        new MetricPercentiles(scope, 'percentiles', {
          metrics: [
            { name: 'algorithmia.latency', kind: 'distribution', percentiles: true },
            { name: 'algorithmia.score', kind: 'distribution', percentiles: false },
            { name: 'algorithmia.risk', kind: 'gauge', percentiles: false },
          ],
        }),
    );
    expect(onlyResource(synthesized, 'datadog_metric_tag_configuration')).toEqual({
      metric_name: 'algorithmia.latency',
      metric_type: 'distribution',
      include_percentiles: true,
      exclude_tags_mode: true,
      tags: ['request_id', 'session_id'],
    });
  });

  it('refuses percentiles on a gauge, a bad tag key and an empty exclude list, naming the fix', () => {
    const message = synthError(
      (scope) =>
        new MetricPercentiles(scope, 'percentiles', {
          metrics: [{ name: 'algorithmia.risk', kind: 'gauge', percentiles: true }],
          excludedTagKeys: ['9lives'],
        }),
    );
    expect(message).toContain('algorithmia.risk is a gauge: Datadog computes percentiles only for distributions.');
    expect(message).toContain('excludedTagKeys[0] "9lives" is not a tag key');
    expect(synthError((scope) => new MetricPercentiles(scope, 'p', { metrics: [], excludedTagKeys: [] }))).toContain(
      'excludedTagKeys is empty: Datadog needs at least one tag key in exclude mode',
    );
  });
});

describe('percentiles in the integration: enabled by the stack that owns the organisation-wide objects', () => {
  const catalog = parseMetricDeclaration({
    inferenceMetrics: [
      { key: 'latency', kind: 'distribution', percentiles: true },
      { key: 'score', kind: 'distribution' },
    ],
  });

  it('the metadata owner creates the tag configuration; another stack of the organisation relies on it', () => {
    const owner = stackJson({ integration: { catalog, percentileMonitors: { latency: { critical: 8000 } } } });
    expect(Object.keys(owner.resource.datadog_metric_tag_configuration)).toEqual(['algorithmia_metric_percentiles_algorithmia_latency']);
    const other = stackJson({
      integration: {
        catalog,
        metricMetadata: false,
        organizationOwner: 'algorithmia-prod',
        percentileMonitors: { latency: { critical: 8000 } },
      },
    });
    expect(other.resource.datadog_metric_tag_configuration).toBeUndefined();
    expect(Object.values(other.resource.datadog_monitor).map((monitor: any) => monitor.query)).toContain(
      'avg(last_5m):p95:algorithmia.latency{*} > 8000',
    );
  });

  it('refuses a percentile monitor that no stack of the organisation would give data', () => {
    const message = synthError(
      (scope) =>
        new AlgorithmiaIntegration(scope, 'algorithmia', {
          catalog,
          metricMetadata: false,
          percentileMonitors: { latency: { critical: 1 } },
        }),
    );
    expect(message).toContain(
      'percentileMonitors.latency: no stack of this Datadog organisation enables the percentiles of algorithmia.latency, ' +
        'so its p95 monitor would get no data and never fire.',
    );
  });

  it('refuses a percentile monitor on a distribution whose percentiles are not declared', () => {
    const message = synthError(
      (scope) =>
        new AlgorithmiaIntegration(scope, 'algorithmia', { catalog, percentileMonitors: { score: { critical: 1, percentile: 'p99' } } }),
    );
    expect(message).toContain(
      'percentileMonitors.score: the percentiles of algorithmia.score are not enabled, so its p99 monitor would get no data and never fire: ' +
        'add "percentiles": true to its entry in config/metrics.json (this stack then enables them for the organisation).',
    );
  });

  it('draws percentile lines only for distributions with percentiles, and refuses the option when none has them', () => {
    const dashboard = onlyResource(
      synthesize((scope) => new AlgorithmiaIntegration(scope, 'algorithmia', { catalog, dashboard: { distributionPercentiles: true } })),
      'datadog_dashboard',
    );
    const queries = dashboard.widget.slice(4).map((widget: any) => widget.timeseries_definition.request.map((request: any) => request.q));
    expect(queries).toEqual([
      ['p50:algorithmia.latency{*}', 'p95:algorithmia.latency{*}', 'p99:algorithmia.latency{*}'],
      ['avg:algorithmia.score{*}'],
    ]);
    const none = parseMetricDeclaration({ inferenceMetrics: [{ key: 'score', kind: 'distribution' }] });
    expect(
      synthError(
        (scope) => new AlgorithmiaIntegration(scope, 'algorithmia', { catalog: none, dashboard: { distributionPercentiles: true } }),
      ),
    ).toContain('dashboard.distributionPercentiles is true, but no declared distribution has "percentiles": true in config/metrics.json');
    expect(
      synthError(
        (scope) =>
          new AlgorithmiaIntegration(scope, 'algorithmia', {
            catalog,
            metricMetadata: false,
            dashboard: { distributionPercentiles: true },
          }),
      ),
    ).toContain('dashboard.distributionPercentiles: no stack of this Datadog organisation enables the percentiles of algorithmia.latency');
  });

  it('on "release", forgets the tag configurations without destroying them (that would turn percentiles off for everyone)', () => {
    const before = stackJson({ integration: { catalog } });
    const after = stackJson({ integration: { catalog, metricMetadata: 'release' } });
    expect(after.resource.datadog_metric_tag_configuration).toBeUndefined();
    expect(after.removed).toContainEqual({
      from: `datadog_metric_tag_configuration.${Object.keys(before.resource.datadog_metric_tag_configuration)[0]}`,
      lifecycle: { destroy: false },
    });
  });
});
