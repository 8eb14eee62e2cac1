import { parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { MetricMetadataSet } from '../../../constructs';
import { onlyResource, resourcesOfType, synthError, synthesize } from '../../helpers/synth';

describe('MetricMetadataSet', () => {
  it('describes algorithmia.duration_milliseconds as metadata.csv does, with no props', () => {
    const metadata = onlyResource(
      synthesize((scope) => new MetricMetadataSet(scope, 'metadata')),
      'datadog_metric_metadata',
    );
    expect(metadata).toEqual({
      metric: 'algorithmia.duration_milliseconds',
      type: 'gauge',
      unit: 'millisecond',
      description: 'Duration of algorithm run',
    });
  });

  it('adds one entry per declared inference metric, gauge by default', () => {
    const catalog = parseMetricDeclaration({
      inferenceMetrics: [
        { key: 'risk_score', unit: 'fraction', description: 'Credit risk score' },
        { key: 'approved' },
        { key: 'latency_ms', kind: 'distribution', unit: 'millisecond' },
      ],
    });
    const entries = Object.values(
      resourcesOfType(
        synthesize((scope) => new MetricMetadataSet(scope, 'metadata', { metrics: catalog.metrics })),
        'datadog_metric_metadata',
      ),
    );
    expect(entries).toEqual(
      expect.arrayContaining([
        { metric: 'algorithmia.duration_milliseconds', type: 'gauge', unit: 'millisecond', description: 'Duration of algorithm run' },
        { metric: 'algorithmia.risk_score', type: 'gauge', unit: 'fraction', description: 'Credit risk score' },
        { metric: 'algorithmia.approved', type: 'gauge' },
        // The provider cannot set the distribution type; the first submission sets it.
        { metric: 'algorithmia.latency_ms', unit: 'millisecond' },
      ]),
    );
    expect(entries).toHaveLength(4);
  });

  describe('validation', () => {
    it('rejects a duplicate metric', () => {
      const message = synthError(
        (scope) => new MetricMetadataSet(scope, 'metadata', { metrics: [{ name: 'algorithmia.score' }, { name: 'algorithmia.score' }] }),
      );
      expect(message).toContain('metrics: metric "algorithmia.score" appears twice (at 0 and 1); remove one of them.');
    });

    it('rejects a metric name Datadog would refuse', () => {
      const message = synthError((scope) => new MetricMetadataSet(scope, 'metadata', { metrics: [{ name: 'algorithmia.risk score' }] }));
      expect(message).toContain('metrics[0].name "algorithmia.risk score" would be rejected by Datadog');
    });

    it('rejects a unit Datadog does not know, with the fix', () => {
      const message = synthError(
        (scope) => new MetricMetadataSet(scope, 'metadata', { metrics: [{ name: 'algorithmia.latency', unit: 'milliseconds' }] }),
      );
      expect(message).toContain('metrics[0].unit "milliseconds": Datadog units are singular: use "millisecond".');
    });
  });
});
