import { ChangeMonitor, ChangeMonitorProps } from '../../../constructs';
import { onlyResource, synthError, synthesize } from '../../helpers/synth';

const BASE: ChangeMonitorProps = {
  metricName: 'algorithmia.risk_score',
  name: '[Algorithmia] Drift in risk_score',
  message: 'Predictions drift.',
  critical: 20,
};

function monitorWith(overrides: Partial<ChangeMonitorProps>) {
  return onlyResource(
    synthesize((scope) => new ChangeMonitor(scope, 'monitor', { ...BASE, ...overrides })),
    'datadog_monitor',
  );
}

function errorWith(overrides: Partial<ChangeMonitorProps>): string {
  return synthError((scope) => new ChangeMonitor(scope, 'monitor', { ...BASE, ...overrides }));
}

describe('ChangeMonitor', () => {
  it('builds the documented prediction drift query per algorithm', () => {
    const monitor = monitorWith({ scope: 'env:prod', groupBy: ['algorithm_name'], warning: 10, notificationHandles: ['@slack-ml'] });
    expect(monitor.query).toBe('pct_change(avg(last_1h),last_1d):avg:algorithmia.risk_score{env:prod} by {algorithm_name} > 20');
    expect(monitor.monitor_thresholds).toEqual({ critical: '20', warning: '10' });
    expect(monitor.message).toBe('algorithm_name:{{algorithm_name.name}}\n\nPredictions drift.\n\n@slack-ml');
    expect(monitor).toMatchObject({ type: 'query alert', notify_no_data: false, new_group_delay: 300 });
    expect(monitor.monitor_threshold_windows).toBeUndefined();
  });

  it('alerts on an absolute fall with change and a negative threshold', () => {
    const monitor = monitorWith({
      change: 'change',
      comparator: '<',
      critical: -0.2,
      warning: -0.1,
      window: 'last_30m',
      baseline: 'last_1w',
      timeAggregation: 'max',
    });
    expect(monitor.query).toBe('change(max(last_30m),last_1w):avg:algorithmia.risk_score{*} < -0.2');
    expect(monitor.monitor_thresholds).toEqual({ critical: '-0.2', warning: '-0.1' });
  });

  describe('validation', () => {
    it('accepts only the offsets Datadog offers as baseline', () => {
      expect(errorWith({ baseline: 'last_3d' })).toContain(
        'baseline "last_3d" is not a change alert offset: use one of last_5m, last_15m, last_1h, last_1d, last_1w, last_1mo',
      );
    });

    it('rejects a baseline shorter than the window', () => {
      expect(errorWith({ window: 'last_4h', baseline: 'last_1h' })).toContain(
        'baseline "last_1h" is shorter than window "last_4h": the two windows would overlap and hide a drift',
      );
    });

    it('rejects an aggregation Datadog does not have and an empty name', () => {
      expect(errorWith({ timeAggregation: 'median' as never })).toContain(
        'timeAggregation "median" is not supported: use one of avg, sum, min, max',
      );
      expect(errorWith({ spaceAggregation: 'p95' as never })).toContain('spaceAggregation "p95" is not supported');
      expect(errorWith({ name: ' ' })).toContain('name is empty: give the monitor a name to show in Datadog');
    });

    it('rejects an unknown change kind and a warning on the wrong side', () => {
      expect(errorWith({ change: 'diff' as never })).toContain(
        'change "diff" is not supported: use "pct_change" (percent) or "change" (absolute)',
      );
      expect(errorWith({ warning: 30 })).toContain('warning (30) is not below critical (20)');
    });
  });
});
