import { MetricMonitor, MetricMonitorProps } from '../../../constructs';
import { onlyResource, synthError, synthesize } from '../../helpers/synth';

const BASE: MetricMonitorProps = {
  metricName: 'algorithmia.risk_score',
  name: '[Algorithmia] High risk_score',
  message: 'Risk is high.',
  critical: 0.9,
};

function monitorWith(overrides: Partial<MetricMonitorProps>) {
  return onlyResource(
    synthesize((scope) => new MetricMonitor(scope, 'monitor', { ...BASE, ...overrides })),
    'datadog_monitor',
  );
}

function errorWith(overrides: Partial<MetricMonitorProps>): string {
  return synthError((scope) => new MetricMonitor(scope, 'monitor', { ...BASE, ...overrides }));
}

describe('MetricMonitor', () => {
  it('writes the same critical threshold in the query and in monitor_thresholds', () => {
    const monitor = monitorWith({ critical: 0.95, warning: 0.8 });
    expect(monitor.query).toBe('avg(last_5m):avg:algorithmia.risk_score{*} > 0.95');
    expect(monitor.monitor_thresholds).toEqual({ critical: '0.95', warning: '0.8' });
  });

  it('builds low-value alerts with their comparator, aggregations and window', () => {
    const monitor = monitorWith({
      comparator: '<',
      critical: 0.2,
      warning: 0.3,
      timeAggregation: 'min',
      spaceAggregation: 'sum',
      window: 'last_1h',
      scope: 'env:prod,team:ml',
    });
    expect(monitor.query).toBe('min(last_1h):sum:algorithmia.risk_score{env:prod,team:ml} < 0.2');
  });

  it('leaves the warning out when none is given', () => {
    expect(monitorWith({}).monitor_thresholds).toEqual({ critical: '0.9' });
  });

  it('passes notification options through', () => {
    const monitor = monitorWith({
      notifyNoData: true,
      renotifyInterval: 60,
      newGroupDelay: 60,
      timeoutH: 2,
      includeTags: false,
      requireFullWindow: true,
      notifyAudit: true,
    });
    expect(monitor).toMatchObject({
      notify_no_data: true,
      renotify_interval: 60,
      new_group_delay: 60,
      timeout_h: 2,
      include_tags: false,
      require_full_window: true,
      notify_audit: true,
    });
  });

  describe('validation', () => {
    it('rejects a warning at or above critical for ">"', () => {
      expect(errorWith({ critical: 0.9, warning: 0.9 })).toContain('warning (0.9) is not below critical (0.9)');
    });

    it('rejects a warning at or below critical for "<"', () => {
      expect(errorWith({ comparator: '<', critical: 0.2, warning: 0.1 })).toContain('warning (0.1) is not above critical (0.2)');
    });

    it('rejects an empty notification handle and names its position', () => {
      expect(errorWith({ notificationHandles: ['@slack-ml', ' '] })).toContain(
        'notificationHandles[1] is empty: remove it, or give a handle such as "@slack-ml-alerts"',
      );
    });

    it('rejects a handle without "@" and suggests the fix', () => {
      expect(errorWith({ notificationHandles: ['slack-ml'] })).toContain(
        'notificationHandles[0] "slack-ml" must start with "@" (for example "@slack-ml")',
      );
    });

    it('rejects a metric name Datadog would refuse', () => {
      expect(errorWith({ metricName: 'algorithmia.risk-score' })).toContain(
        'metricName "algorithmia.risk-score" would be rejected by Datadog: it may contain only ASCII letters, digits, "_" and "."',
      );
    });

    it('rejects a window Datadog does not know', () => {
      expect(errorWith({ window: '5m' })).toContain('window "5m" is not a Datadog evaluation window: use last_<number><m|h|d|w>');
    });

    it('rejects an empty scope and braces in the scope', () => {
      expect(errorWith({ scope: '' })).toContain('scope is empty: use "*"');
      expect(errorWith({ scope: '{env:prod}' })).toContain('must not contain "{" or "}"');
    });

    it('rejects invalid and duplicate tags', () => {
      expect(errorWith({ tags: ['1team:ml'] })).toContain('tags[0] "1team:ml" is not a valid Datadog tag: it must start with a letter');
      expect(errorWith({ tags: ['env:prod', 'env:prod'] })).toContain('tags: tag "env:prod" appears twice (at 0 and 1)');
    });

    it('rejects a non-finite critical threshold', () => {
      expect(errorWith({ critical: Number.NaN })).toContain('critical must be a finite number');
    });

    it('reports every problem at once, prefixed with the construct path', () => {
      const message = errorWith({ critical: 1, warning: 2, notificationHandles: [''] });
      expect(message).toContain('[test/monitor] warning (2) is not below');
      expect(message).toContain('[test/monitor] notificationHandles[0] is empty');
    });
  });
});

describe('MetricMonitor grouped per algorithm', () => {
  it('is a multi-alert whose message names the group', () => {
    const monitor = monitorWith({ groupBy: ['algorithm_name'], scope: 'env:prod', notificationHandles: ['@slack-ml'] });
    expect(monitor.query).toBe('avg(last_5m):avg:algorithmia.risk_score{env:prod} by {algorithm_name} > 0.9');
    expect(monitor.message).toBe('algorithm_name:{{algorithm_name.name}}\n\nRisk is high.\n\n@slack-ml');
    expect(monitor).toMatchObject({ notify_no_data: false, new_group_delay: 300 });
  });

  it('groups by name and version, and keeps a message that already names the group', () => {
    const monitor = monitorWith({
      groupBy: ['algorithm_name', 'algorithm_version'],
      message: '{{algorithm_name.name}} {{algorithm_version.name}} is risky.',
    });
    expect(monitor.query).toBe('avg(last_5m):avg:algorithmia.risk_score{*} by {algorithm_name,algorithm_version} > 0.9');
    expect(monitor.message).toBe('{{algorithm_name.name}} {{algorithm_version.name}} is risky.');
  });

  it('rejects a tag instead of a tag key, an invalid key and a key given twice', () => {
    expect(errorWith({ groupBy: ['algorithm_name:ocr'] })).toContain(
      'groupBy[0] "algorithm_name:ocr" is a tag, not a tag key: give only the key, e.g. "algorithm_name"',
    );
    expect(errorWith({ groupBy: ['Algorithm Name'] })).toContain('groupBy[0] "Algorithm Name" is not a tag key');
    expect(errorWith({ groupBy: ['algorithm_name', 'algorithm_name'] })).toContain(
      'groupBy: tag key "algorithm_name" appears twice (at 0 and 1)',
    );
  });
});
