import {
  COUNT_INTERVAL_SECONDS,
  EXECUTIONS_METRIC,
  FORWARDER_HEALTH_METRICS,
  parseMetricDeclaration,
} from '@algorithmia-datadog/metric-declaration';
import { MetricMetadataSet, pipelineMetricMetadata } from '../../../constructs';
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

describe('MetricMetadataSet: the counts the forwarder makes', () => {
  it('declares the execution count and the forwarder metrics, counts with their 10 s interval', () => {
    const synthesized = synthesize((scope) => new MetricMetadataSet(scope, 'metadata', { metrics: pipelineMetricMetadata('algorithmia') }));
    const byName = Object.fromEntries(
      Object.values(resourcesOfType(synthesized, 'datadog_metric_metadata')).map((entry) => [entry.metric, entry]),
    );
    expect(byName['algorithmia.executions']).toEqual({
      metric: 'algorithmia.executions',
      type: 'count',
      statsd_interval: COUNT_INTERVAL_SECONDS,
      unit: 'execution',
      description: EXECUTIONS_METRIC.description,
    });
    expect(byName['algorithmia.forwarder.consumer_lag_seconds']).toMatchObject({ type: 'gauge', unit: 'second' });
    expect(byName['algorithmia.forwarder.consumer_lag_seconds']).not.toHaveProperty('statsd_interval');
    expect(Object.keys(byName)).toHaveLength(1 + Object.keys(FORWARDER_HEALTH_METRICS).length);
  });

  it('refuses a count without its interval, and an interval on a gauge', () => {
    expect(synthError((scope) => new MetricMetadataSet(scope, 'm', { metrics: [{ name: 'a.count', kind: 'count' }] }))).toContain(
      'metrics[0].interval is missing: a count needs the seconds each point covers, e.g. 10.',
    );
    expect(synthError((scope) => new MetricMetadataSet(scope, 'm', { metrics: [{ name: 'a.gauge', interval: 10 }] }))).toContain(
      'metrics[0].interval is for counts only: remove it from this gauge.',
    );
  });
});
