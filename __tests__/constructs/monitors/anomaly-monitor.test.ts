import { AnomalyMonitor, AnomalyMonitorProps } from '../../../constructs';
import { onlyResource, synthError, synthesize } from '../../helpers/synth';

const BASE: AnomalyMonitorProps = {
  metricName: 'algorithmia.duration_milliseconds',
  name: '[Algorithmia] Anomalous duration',
  message: 'Runtime is unusual.',
};

function monitorWith(overrides: Partial<AnomalyMonitorProps>) {
  return onlyResource(
    synthesize((scope) => new AnomalyMonitor(scope, 'monitor', { ...BASE, ...overrides })),
    'datadog_monitor',
  );
}

function errorWith(overrides: Partial<AnomalyMonitorProps>): string {
  return synthError((scope) => new AnomalyMonitor(scope, 'monitor', { ...BASE, ...overrides }));
}

describe('AnomalyMonitor', () => {
  it('builds the documented latency anomaly query, with thresholds and windows that match it', () => {
    const monitor = monitorWith({
      scope: 'env:prod',
      groupBy: ['algorithm_name'],
      deviations: 3,
      direction: 'above',
      alertWindow: 'last_30m',
      countDefaultZero: true,
    });
    expect(monitor.query).toBe(
      "avg(last_4h):anomalies(avg:algorithmia.duration_milliseconds{env:prod} by {algorithm_name}, 'agile', 3, direction='above', alert_window='last_30m', interval=60, count_default_zero='true', seasonality='daily') >= 1",
    );
    expect(monitor.type).toBe('query alert');
    expect(monitor.monitor_thresholds).toEqual({ critical: '1' });
    expect(monitor.monitor_threshold_windows).toEqual({ trigger_window: 'last_30m', recovery_window: 'last_30m' });
    expect(monitor.message).toBe('algorithm_name:{{algorithm_name.name}}\n\nRuntime is unusual.');
    expect(monitor).toMatchObject({ notify_no_data: false, new_group_delay: 300, tags: ['integration:algorithmia'] });
  });

  it('has defaults: agile, 2 deviations, both directions, daily, 15 minutes, threshold 1', () => {
    expect(monitorWith({}).query).toBe(
      "avg(last_4h):anomalies(avg:algorithmia.duration_milliseconds{*}, 'agile', 2, direction='both', alert_window='last_15m', interval=60, seasonality='daily') >= 1",
    );
  });

  it('writes a fractional critical with its leading zero in the query and thresholds, with a warning and recovery window', () => {
    const monitor = monitorWith({
      algorithm: 'basic',
      critical: 0.8,
      warning: 0.5,
      recoveryWindow: 'last_1h',
      alertWindow: 'last_1h',
      interval: 300,
    });
    expect(monitor.query).toBe(
      "avg(last_4h):anomalies(avg:algorithmia.duration_milliseconds{*}, 'basic', 2, direction='both', alert_window='last_1h', interval=300) >= 0.8",
    );
    expect(monitor.monitor_thresholds).toEqual({ critical: '0.8', warning: '0.5' });
    expect(monitor.monitor_threshold_windows).toEqual({ trigger_window: 'last_1h', recovery_window: 'last_1h' });
  });

  it('takes robust with weekly seasonality', () => {
    expect(monitorWith({ algorithm: 'robust', seasonality: 'weekly', window: 'last_1d' }).query).toBe(
      "avg(last_1d):anomalies(avg:algorithmia.duration_milliseconds{*}, 'robust', 2, direction='both', alert_window='last_15m', interval=60, seasonality='weekly') >= 1",
    );
  });

  describe('validation', () => {
    it('refuses windows shorter than the 15 minutes Datadog allows, without advising an interval below a minute', () => {
      const error = errorWith({ alertWindow: 'last_1m', recoveryWindow: 'last_10m' });
      expect(error).toContain(
        'alertWindow "last_1m" is shorter than 15 minutes, the shortest window Datadog\'s anomaly monitors allow: use "last_15m" or longer.',
      );
      expect(error).toContain('recoveryWindow "last_10m" is shorter than 15 minutes');
      expect(error).not.toContain('Lower interval');
    });

    it('requires the trigger window to equal alert_window', () => {
      expect(errorWith({ alertWindow: 'last_30m', triggerWindow: 'last_15m' })).toContain(
        'triggerWindow "last_15m" differs from alertWindow "last_30m": Datadog requires them equal',
      );
    });

    it('limits interval to a fifth of the alert window', () => {
      expect(errorWith({ alertWindow: 'last_30m', interval: 600 })).toContain(
        'interval (600 s) is more than a fifth of alertWindow "last_30m" (360 s): Datadog needs at least five points in the alert window. Lower interval to 360',
      );
      expect(errorWith({ interval: 0 })).toContain('interval (0) must be a whole number of seconds');
    });

    it('keeps critical and warning between 0 and 1, warning below critical', () => {
      expect(errorWith({ critical: 3 })).toContain('critical (3) must be between 0 and 1 for an anomaly monitor');
      expect(errorWith({ critical: 0 })).toContain('critical (0) must be between 0 and 1');
      expect(errorWith({ warning: 1.5 })).toContain('warning (1.5) must be between 0 and 1');
      expect(errorWith({ critical: 0.5, warning: 0.7 })).toContain('warning (0.7) is not below critical (0.5)');
    });

    it('rejects seasonality with basic, and unknown algorithms, directions and seasonalities', () => {
      expect(errorWith({ algorithm: 'basic', seasonality: 'daily' })).toContain(
        'seasonality "daily" does not apply to the basic algorithm, which has none: remove seasonality, or use "agile" or "robust"',
      );
      expect(errorWith({ algorithm: 'fast' as never })).toContain(
        'algorithm "fast" is not an anomaly algorithm: use one of basic, agile, robust',
      );
      expect(errorWith({ direction: 'up' as never })).toContain('direction "up" is not supported: use one of both, above, below');
      expect(errorWith({ seasonality: 'monthly' as never })).toContain('seasonality "monthly" is not supported');
    });

    it('rejects a non-positive band, a bad recovery window and an alert window longer than the query', () => {
      expect(errorWith({ deviations: 0 })).toContain('deviations (0) must be a positive number of deviations');
      expect(errorWith({ recoveryWindow: '15m' })).toContain('recoveryWindow "15m" is not a Datadog evaluation window');
      expect(errorWith({ alertWindow: 'last_1d', interval: 600 })).toContain('alertWindow "last_1d" is longer than window "last_4h"');
    });

    it('checks the shared settings too (group keys)', () => {
      expect(errorWith({ groupBy: ['algorithm_name:ocr'] })).toContain(
        'groupBy[0] "algorithm_name:ocr" is a tag, not a tag key: give only the key, e.g. "algorithm_name"',
      );
    });
  });
});
