import { PercentileMonitor, PercentileMonitorProps } from '../../../constructs';
import { onlyResource, synthError, synthesize } from '../../helpers/synth';

const BASE: PercentileMonitorProps = {
  metricName: 'algorithmia.latency_ms',
  metricKind: 'distribution',
  name: '[Algorithmia] High p95 latency_ms',
  message: 'The slowest 5 % are too slow.',
  critical: 8000,
};

function monitorWith(overrides: Partial<PercentileMonitorProps>) {
  return onlyResource(
    synthesize((scope) => new PercentileMonitor(scope, 'monitor', { ...BASE, ...overrides })),
    'datadog_monitor',
  );
}

function errorWith(overrides: Partial<PercentileMonitorProps>): string {
  return synthError((scope) => new PercentileMonitor(scope, 'monitor', { ...BASE, ...overrides }));
}

describe('PercentileMonitor', () => {
  it('puts the percentile in the query, with critical equal to its threshold', () => {
    const monitor = monitorWith({ warning: 5000, scope: 'env:prod', groupBy: ['algorithm_name', 'algorithm_version'] });
    expect(monitor.query).toBe('avg(last_5m):p95:algorithmia.latency_ms{env:prod} by {algorithm_name,algorithm_version} > 8000');
    expect(monitor.monitor_thresholds).toEqual({ critical: '8000', warning: '5000' });
    expect(monitor.message).toBe(
      'algorithm_name:{{algorithm_name.name}} algorithm_version:{{algorithm_version.name}}\n\nThe slowest 5 % are too slow.',
    );
  });

  it('takes another percentile, window and comparator', () => {
    expect(monitorWith({ percentile: 'p99', window: 'last_15m', timeAggregation: 'max', comparator: '>=' }).query).toBe(
      'max(last_15m):p99:algorithmia.latency_ms{*} >= 8000',
    );
  });

  describe('validation', () => {
    it('refuses a percentile of a gauge and says how to declare a distribution', () => {
      expect(errorWith({ metricKind: 'gauge' })).toContain(
        'percentile p95 needs a distribution metric, but algorithmia.latency_ms is a gauge: Datadog keeps percentiles only for distributions. Declare it with "kind": "distribution" in config/metrics.json',
      );
    });

    it('refuses a percentile Datadog does not have', () => {
      expect(errorWith({ percentile: 'p42' as never })).toContain('percentile "p42" is not supported: use one of p50, p75, p90, p95, p99');
    });
  });
});
