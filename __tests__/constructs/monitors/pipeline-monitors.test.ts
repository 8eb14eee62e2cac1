import {
  ConsumerLagMonitor,
  ForwarderSilentMonitor,
  NonzeroCountMonitor,
  SilentModelMonitor,
  TrafficDropMonitor,
} from '../../../constructs';
import { onlyResource, synthError, synthesize } from '../../helpers/synth';

const monitorOf = (build: Parameters<typeof synthesize>[0]) => onlyResource(synthesize(build), 'datadog_monitor');

describe('traffic and pipeline monitors', () => {
  it('SilentModelMonitor: no executions of a model for N minutes, an empty sum counting as 0', () => {
    const monitor = monitorOf((scope) => new SilentModelMonitor(scope, 'silent', { scope: 'env:prod', minutes: 20 }));
    expect(monitor.query).toBe('sum(last_20m):sum:algorithmia.executions{env:prod} by {algorithm_name}.as_count() < 1');
    expect(monitor.monitor_thresholds).toEqual({ critical: '1' });
    expect(monitor.on_missing_data).toBe('default');
    expect(monitor).not.toHaveProperty('notify_no_data');
    expect(monitor.name).toBe('[Algorithmia] Model silent');
  });

  it('TrafficDropMonitor: pct_change of the executions against a day or a week before', () => {
    const monitor = monitorOf(
      (scope) => new TrafficDropMonitor(scope, 'drop', { baseline: 'last_1w', window: 'last_2h', dropPercent: 40, warningPercent: 20 }),
    );
    expect(monitor.query).toBe('pct_change(sum(last_2h),last_1w):sum:algorithmia.executions{*} by {algorithm_name}.as_count() < -40');
    expect(monitor.monitor_thresholds).toEqual({ critical: '-40', warning: '-20' });
    expect(monitor.on_missing_data).toBe('default');
  });

  it('ForwarderSilentMonitor: no heartbeat in the scope, one alert for the scope', () => {
    const monitor = monitorOf((scope) => new ForwarderSilentMonitor(scope, 'silent', { scope: 'env:prod' }));
    expect(monitor.query).toBe('sum(last_5m):sum:algorithmia.forwarder.heartbeat{env:prod}.as_count() < 1');
    expect(monitor.on_missing_data).toBe('default');
  });

  it('ConsumerLagMonitor: the forwarder behind by seconds; a stopped forwarder resolves it', () => {
    const monitor = monitorOf((scope) => new ConsumerLagMonitor(scope, 'lag', { critical: 600, warning: 120 }));
    expect(monitor.query).toBe('max(last_5m):max:algorithmia.forwarder.consumer_lag_seconds{*} > 600');
    expect(monitor.monitor_thresholds).toEqual({ critical: '600', warning: '120' });
    expect(monitor.on_missing_data).toBe('resolve');
  });

  it('NonzeroCountMonitor: any count in the window', () => {
    const monitor = monitorOf(
      (scope) =>
        new NonzeroCountMonitor(scope, 'dlq', { metricName: 'algorithmia.forwarder.messages.dead_lettered', name: 'DLQ', message: 'm' }),
    );
    expect(monitor.query).toBe('sum(last_15m):sum:algorithmia.forwarder.messages.dead_lettered{*}.as_count() > 0');
    expect(monitor.monitor_thresholds).toEqual({ critical: '0' });
    expect(monitor.on_missing_data).toBe('default');
  });

  describe('validation, one actionable sentence per setting', () => {
    it('refuses silence windows shorter than twelve count intervals', () => {
      expect(synthError((scope) => new SilentModelMonitor(scope, 'm', { minutes: 1 }))).toContain(
        'minutes (1) must be a whole number of minutes, at least 2: the forwarder sends counts every 10 s',
      );
      expect(synthError((scope) => new ForwarderSilentMonitor(scope, 'm', { minutes: 2.5 }))).toContain(
        'minutes (2.5) must be a whole number',
      );
      expect(
        synthError((scope) => new NonzeroCountMonitor(scope, 'm', { metricName: 'a.b', name: 'n', message: 'm', window: 'last_1m' })),
      ).toContain('window "last_1m" is shorter than 2 minutes: the forwarder sends counts every 10 s, so use at least "last_2m".');
    });

    it('refuses percentages out of range, a warning past the drop, and a window longer than the baseline', () => {
      expect(synthError((scope) => new TrafficDropMonitor(scope, 'm', { dropPercent: 120 }))).toContain(
        'dropPercent (120) must be a percentage above 0 and at most 100',
      );
      expect(synthError((scope) => new TrafficDropMonitor(scope, 'm', { dropPercent: 30, warningPercent: 40 }))).toContain(
        'warningPercent (40) must be a percentage above 0 and below dropPercent (30)',
      );
      expect(synthError((scope) => new TrafficDropMonitor(scope, 'm', { window: 'last_2d' }))).toContain(
        'window "last_2d" is longer than baseline "last_1d"',
      );
      expect(synthError((scope) => new TrafficDropMonitor(scope, 'm', { baseline: 'last_1h' as never }))).toContain(
        'baseline "last_1h" is not supported: use "last_1d" (a day before) or "last_1w" (a week before).',
      );
    });

    it('refuses a lag threshold of 0 or below, and a warning above it', () => {
      expect(synthError((scope) => new ConsumerLagMonitor(scope, 'm', { critical: 0 }))).toContain(
        'critical (0) must be a number of seconds above 0.',
      );
      expect(synthError((scope) => new ConsumerLagMonitor(scope, 'm', { critical: 60, warning: 120 }))).toContain(
        'warning (120) is not below critical (60)',
      );
    });
  });
});
