import { DurationMonitor, durationMonitorMessage } from '../../../constructs';
import { onlyResource, synthError, synthesize } from '../../helpers/synth';

/** algorithm_duration.json, definition.message. */
const ASSET_MESSAGE =
  'Some algorithms queries are running for more than 10 seconds.\n\n' +
  'This can result in delays in real-time API responses from your algorithms and a backlogged queue.\n\n' +
  'Review the documentation at https://algorithmia.com/developers/algorithm-development/advanced-algorithm-development/dealing-with-bottlenecks ' +
  "for more guidance on optimizing your algorithm's runtime.";

describe('DurationMonitor', () => {
  it('reproduces the integration monitor with no props', () => {
    const monitor = onlyResource(
      synthesize((scope) => new DurationMonitor(scope, 'duration')),
      'datadog_monitor',
    );
    expect(monitor).toEqual({
      name: '[Algorithmia] Excessive Algorithm Runtime',
      type: 'query alert',
      query: 'avg(last_5m):avg:algorithmia.duration_milliseconds{*} > 10000',
      message: ASSET_MESSAGE,
      monitor_thresholds: { critical: '10000', warning: '5000' },
      tags: ['integration:algorithmia'],
      notify_no_data: false,
      require_full_window: false,
      include_tags: true,
      renotify_interval: 0,
      new_group_delay: 300,
      notify_audit: false,
      timeout_h: 0,
    });
  });

  it('derives the query and the message from the critical threshold, window and scope', () => {
    const monitor = onlyResource(
      synthesize(
        (scope) => new DurationMonitor(scope, 'duration', { critical: 20000, warning: 15000, window: 'last_10m', scope: 'env:prod' }),
      ),
      'datadog_monitor',
    );
    expect(monitor.query).toBe('avg(last_10m):avg:algorithmia.duration_milliseconds{env:prod} > 20000');
    expect(monitor.monitor_thresholds).toEqual({ critical: '20000', warning: '15000' });
    expect(monitor.message).toMatch(/^Some algorithms queries are running for more than 20 seconds\./);
  });

  it('appends notification handles to the message', () => {
    const monitor = onlyResource(
      synthesize((scope) => new DurationMonitor(scope, 'duration', { notificationHandles: ['@slack-ml-alerts', '@pagerduty-ml'] })),
      'datadog_monitor',
    );
    expect(monitor.message).toBe(`${ASSET_MESSAGE}\n\n@slack-ml-alerts @pagerduty-ml`);
  });

  it('fails synth when the default warning is not below a lowered critical threshold', () => {
    expect(synthError((scope) => new DurationMonitor(scope, 'duration', { critical: 4000 }))).toContain(
      'warning (5000) is not below critical (4000)',
    );
  });

  it('states sub-second thresholds in milliseconds', () => {
    expect(durationMonitorMessage(500)).toMatch(/more than 500 milliseconds\./);
    expect(durationMonitorMessage(1000)).toMatch(/more than 1 second\./);
  });
});
