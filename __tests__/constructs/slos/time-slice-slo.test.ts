import { TimeSliceSlo, type TimeSliceSloProps } from '../../../constructs';
import { resourcesOfType, synthError, synthesize } from '../../helpers/synth';

const LATENCY: TimeSliceSloProps = {
  metricName: 'algorithmia.duration_milliseconds',
  name: 'Latency',
  threshold: 5000,
  scope: 'env:prod',
  objectives: [{ timeframe: '30d', target: 99.5, warning: 99.8 }],
};

const sloWith = (props: Partial<TimeSliceSloProps>) => synthesize((scope) => new TimeSliceSlo(scope, 'slo', { ...LATENCY, ...props }));
const errorWith = (props: Partial<TimeSliceSloProps>) => synthError((scope) => new TimeSliceSlo(scope, 'slo', { ...LATENCY, ...props }));

describe('TimeSliceSlo', () => {
  it('is a time-slice SLO on the metric: good slices where the value is within the threshold', () => {
    const stack = sloWith({
      objectives: [
        { timeframe: '30d', target: 99.5, warning: 99.8 },
        { timeframe: '7d', target: 99 },
      ],
    });
    const [slo] = Object.values(resourcesOfType(stack, 'datadog_service_level_objective'));
    expect(slo).toMatchObject({
      name: 'Latency',
      type: 'time_slice',
      sli_specification: {
        time_slice: {
          comparator: '<=',
          threshold: 5000,
          query_interval_seconds: 300,
          query: {
            formula: { formula_expression: 'query1' },
            query: [{ metric_query: { data_source: 'metrics', name: 'query1', query: 'avg:algorithmia.duration_milliseconds{env:prod}' } }],
          },
        },
      },
      thresholds: [
        { timeframe: '30d', target: 99.5, warning: 99.8 },
        { timeframe: '7d', target: 99 },
      ],
      timeframe: '30d',
      target_threshold: 99.5,
      warning_threshold: 99.8,
      tags: ['integration:algorithmia'],
    });
    expect(slo.description).toMatch(/Slices without data count as good/);
  });

  it('makes the three standard burn-rate alerts by default, each reading the id of the SLO resource', () => {
    // Terraform names sort burn_1h, burn_24h, burn_6h: read them fastest first.
    const monitors = Object.values(
      resourcesOfType(sloWith({ pageHandles: ['@pagerduty-ml'], ticketHandles: ['@slack-ml'] }), 'datadog_monitor'),
    ).sort((a, b) => Number(b.monitor_thresholds.critical) - Number(a.monitor_thresholds.critical));
    expect(monitors.map((monitor) => [monitor.type, monitor.query, monitor.monitor_thresholds.critical])).toEqual([
      [
        'slo alert',
        'burn_rate("${datadog_service_level_objective.slo.id}").over("30d").long_window("1h").short_window("5m") > 14.4',
        '14.4',
      ],
      ['slo alert', 'burn_rate("${datadog_service_level_objective.slo.id}").over("30d").long_window("6h").short_window("30m") > 6', '6'],
      ['slo alert', 'burn_rate("${datadog_service_level_objective.slo.id}").over("30d").long_window("24h").short_window("2h") > 3', '3'],
    ]);
    expect(monitors.map((monitor) => monitor.message.split('\n\n').at(-1))).toEqual(['@pagerduty-ml', '@slack-ml', '@slack-ml']);
    expect(monitors.map((monitor) => monitor.tags.at(-1))).toEqual(['severity:page', 'severity:ticket', 'severity:ticket']);
    expect(monitors[0].message).toMatch(/^The SLO "Latency" is burning its 30d error budget more than 14\.4 times .* gone in 2\.1 days\./);
    expect(monitors[0].name).toBe('Latency: burn rate 14.4 over 1h');
  });

  it('takes its own alerts: another timeframe, a warning, its own handles; ticket handles default to the page ones', () => {
    const stack = sloWith({
      objectives: [
        { timeframe: '30d', target: 99 },
        { timeframe: '7d', target: 99 },
      ],
      pageHandles: ['@pagerduty-ml'],
      burnRateAlerts: [
        { burnRate: 10, warning: 5, longWindow: '2h', shortWindow: '10m', over: '7d', name: 'Fast' },
        { burnRate: 2, longWindow: '48h', shortWindow: '4h', severity: 'ticket' },
        { burnRate: 1, longWindow: '12h', shortWindow: '1h', notificationHandles: ['@ops@example.com'] },
      ],
    });
    const monitors = Object.values(resourcesOfType(stack, 'datadog_monitor'));
    const byLongWindow = (window: string) => monitors.find((monitor) => monitor.query.includes(`.long_window("${window}")`))!;
    expect(byLongWindow('2h')).toMatchObject({
      name: 'Fast',
      query: 'burn_rate("${datadog_service_level_objective.slo.id}").over("7d").long_window("2h").short_window("10m") > 10',
      monitor_thresholds: { critical: '10', warning: '5' },
    });
    expect(byLongWindow('48h').query).toBe(
      'burn_rate("${datadog_service_level_objective.slo.id}").over("30d").long_window("48h").short_window("4h") > 2',
    );
    expect(byLongWindow('12h').query).toMatch(/\.over\("30d"\)\.long_window\("12h"\)\.short_window\("1h"\) > 1$/);
    const handles = (window: string) => byLongWindow(window).message.split('\n\n').at(-1);
    expect([handles('2h'), handles('48h'), handles('12h')]).toEqual(['@pagerduty-ml', '@pagerduty-ml', '@ops@example.com']);
  });

  it('makes no alert with burnRateAlerts: [], and a p95 of a distribution in 1-minute slices', () => {
    const stack = sloWith({ burnRateAlerts: [], aggregation: 'p95', metricKind: 'distribution', sliceSeconds: 60, comparator: '<' });
    expect(stack.resource?.datadog_monitor).toBeUndefined();
    const [slo] = Object.values(resourcesOfType(stack, 'datadog_service_level_objective'));
    expect(slo.sli_specification.time_slice).toMatchObject({ comparator: '<', query_interval_seconds: 60 });
    expect(slo.sli_specification.time_slice.query.query[0].metric_query.query).toBe('p95:algorithmia.duration_milliseconds{env:prod}');
  });

  describe('rules checked at synth, one line each at the prop', () => {
    it.each<[string, Partial<TimeSliceSloProps>, RegExp]>([
      ['a target of 100', { objectives: [{ target: 100 }] }, /objectives\[0\]\.target \(100\) must be a percentage above 0 and below 100/],
      ['a target of 0', { objectives: [{ target: 0 }] }, /objectives\[0\]\.target \(0\) must be a percentage above 0/],
      [
        'a warning below the target',
        { objectives: [{ target: 99.5, warning: 99 }] },
        /objectives\[0\]\.warning \(99\) must be above the target \(99\.5\) and below 100/,
      ],
      ['no target', { objectives: [] }, /objectives is empty: give at least one target/],
      [
        'a timeframe twice',
        { objectives: [{ target: 99 }, { timeframe: '30d', target: 98 }] },
        /objectives\[1\]\.timeframe "30d" is already the timeframe of target 0/,
      ],
      [
        'an unknown timeframe',
        { objectives: [{ timeframe: '14d' as never, target: 99 }] },
        /objectives\[0\]\.timeframe "14d" is not an SLO timeframe: use one of 7d, 30d, 90d/,
      ],
      [
        'a 2-minute slice',
        { sliceSeconds: 120 as never },
        /sliceSeconds \(120\) is not a time-slice length Datadog offers: use 60 \(1 minute\) or 300/,
      ],
      [
        'a percentile of a gauge',
        { aggregation: 'p95' },
        /aggregation "p95" is a percentile, which Datadog keeps only for distribution metrics, and this metric is a gauge/,
      ],
      ['an unknown comparator', { comparator: '==' as never }, /comparator "==" is not supported/],
      ['an infinite threshold', { threshold: Infinity }, /threshold must be a finite number/],
      [
        'an alert over a timeframe the SLO lacks',
        { burnRateAlerts: [{ burnRate: 10, longWindow: '1h', shortWindow: '5m', over: '7d' }] },
        /burnRateAlerts\[0\]\.over "7d" is not a timeframe of this SLO \(30d\): .* Add a "7d" target, or set "over" to one of them\./,
      ],
      [
        'a burn rate above 1/(1 - target)',
        { objectives: [{ target: 95 }], burnRateAlerts: [{ burnRate: 25, longWindow: '1h', shortWindow: '5m' }] },
        /burnRateAlerts\[0\]\.burnRate \(25\) is more than 20, the most a 95% target can burn \(1 \/ \(1 - 95%\)\), and Datadog refuses it/,
      ],
      [
        'a default alert the target does not allow',
        { objectives: [{ target: 90 }] },
        /burnRateAlerts: the default alert "burn rate 14\.4 over 1h\/5m": burnRateAlerts\[0\]\.burnRate \(14\.4\) is more than 10, .* Set burnRateAlerts to alerts this SLO allows\./,
      ],
      [
        'a long window under 1h',
        { burnRateAlerts: [{ burnRate: 5, longWindow: '30m', shortWindow: '5m' }] },
        /burnRateAlerts\[0\]\.longWindow "30m" must be a window from 1h to 48h/,
      ],
      [
        'a long window over 48h',
        { burnRateAlerts: [{ burnRate: 5, longWindow: '3d', shortWindow: '6h' }] },
        /burnRateAlerts\[0\]\.longWindow "3d" must be a window from 1h to 48h/,
      ],
      [
        'a short window as long as the long one',
        { burnRateAlerts: [{ burnRate: 5, longWindow: '1h', shortWindow: '60m' }] },
        /burnRateAlerts\[0\]\.shortWindow \("60m"\) must be shorter than longWindow \("1h"\)/,
      ],
      [
        'a short window that is no window',
        { burnRateAlerts: [{ burnRate: 5, longWindow: '1h', shortWindow: 'five' }] },
        /burnRateAlerts\[0\]\.shortWindow "five" is not a window/,
      ],
      [
        'a warning above the burn rate',
        { burnRateAlerts: [{ burnRate: 5, warning: 6, longWindow: '1h', shortWindow: '5m' }] },
        /burnRateAlerts\[0\]\.warning \(6\) must be above 0 and below burnRate \(5\)/,
      ],
      [
        'a burn rate of 0',
        { burnRateAlerts: [{ burnRate: 0, longWindow: '1h', shortWindow: '5m' }] },
        /burnRateAlerts\[0\]\.burnRate \(0\) must be a number above 0/,
      ],
      [
        'two alerts over one long window',
        {
          burnRateAlerts: [
            { burnRate: 5, longWindow: '1h', shortWindow: '5m' },
            { burnRate: 10, longWindow: '1h', shortWindow: '10m' },
          ],
        },
        /burnRateAlerts: alert over long window "burn_1h" appears twice \(at 0 and 1\); remove one of them\. Give each alert of an SLO its own longWindow\./,
      ],
      ['a page handle without @', { pageHandles: ['slack-ml'] }, /pageHandles\[0\] "slack-ml" must start with "@"/],
      ['an empty name', { name: ' ' }, /name is empty: give the SLO a name/],
    ])('%s', (_case, props, message) => {
      expect(errorWith(props)).toMatch(message);
    });
  });
});
