import { OutlierMonitor, OutlierMonitorProps } from '../../../constructs';
import { onlyResource, synthError, synthesize } from '../../helpers/synth';

const BASE: OutlierMonitorProps = {
  metricName: 'algorithmia.risk_score',
  name: '[Algorithmia] Version outlier in risk_score',
  message: 'A version behaves unlike the others.',
};

function monitorWith(overrides: Partial<OutlierMonitorProps>) {
  return onlyResource(
    synthesize((scope) => new OutlierMonitor(scope, 'monitor', { ...BASE, ...overrides })),
    'datadog_monitor',
  );
}

function errorWith(overrides: Partial<OutlierMonitorProps>): string {
  return synthError((scope) => new OutlierMonitor(scope, 'monitor', { ...BASE, ...overrides }));
}

describe('OutlierMonitor', () => {
  it('builds the documented version regression query, one alert per version', () => {
    const monitor = monitorWith({ scope: 'env:prod' });
    expect(monitor.query).toBe("avg(last_30m):outliers(avg:algorithmia.risk_score{env:prod} by {algorithm_version}, 'dbscan', 3) > 0");
    expect(monitor.monitor_thresholds).toEqual({ critical: '0' });
    expect(monitor.message).toBe('algorithm_version:{{algorithm_version.name}}\n\nA version behaves unlike the others.');
    expect(monitor).toMatchObject({ type: 'query alert', notify_no_data: false, new_group_delay: 300 });
  });

  it('compares versions within each algorithm with mad and a percentage', () => {
    const monitor = monitorWith({
      groupBy: ['algorithm_name', 'algorithm_version'],
      algorithm: 'scaledMAD',
      tolerance: 2.5,
      percentage: 20,
      window: 'last_1h',
      message: '{{algorithm_name.name}} {{algorithm_version.name}} is off.',
    });
    expect(monitor.query).toBe(
      "avg(last_1h):outliers(avg:algorithmia.risk_score{*} by {algorithm_name,algorithm_version}, 'scaledMAD', 2.5, 20) > 0",
    );
    expect(monitor.message).toBe('{{algorithm_name.name}} {{algorithm_version.name}} is off.');
  });

  describe('validation', () => {
    it('needs a group to compare', () => {
      expect(errorWith({ groupBy: [] })).toContain('groupBy is empty: outliers compare the series of a group with one another');
    });

    it('allows a percentage with mad and scaledMAD only, between 1 and 100', () => {
      expect(errorWith({ percentage: 20 })).toContain('percentage applies to mad and scaledMAD only');
      expect(errorWith({ algorithm: 'mad', percentage: 150 })).toContain('percentage (150) must be between 1 and 100');
    });

    it('rejects an unknown algorithm and a non-positive tolerance', () => {
      expect(errorWith({ algorithm: 'kmeans' as never })).toContain(
        'algorithm "kmeans" is not an outlier algorithm: use one of dbscan, mad, scaledMAD',
      );
      expect(errorWith({ tolerance: -1 })).toContain('tolerance (-1) must be a positive number');
    });
  });
});
