import {
  COUNT_INTERVAL_SECONDS,
  EXECUTIONS_METRIC,
  FORWARDER_HEALTH_METRICS,
  INSTANCE_TAG_KEY,
  pipelineMetricName,
} from '@algorithmia-datadog/metric-declaration';
import { DatadogDouble } from '@algorithmia-datadog/testbed';
import { serializeSeries } from '../../forwarder/src/submit/payload';
import { CountPoints } from '../../scripts/demo/count-points';
import { ArrivalSummary, parsePrometheus, type ReceivedPoint } from '../../scripts/demo/live-summary';
import { MonitorConditions, parseThresholdQuery, type SynthesizedMonitor } from '../../scripts/demo/monitor-conditions';
import { MonitorTransitions } from '../../scripts/demo/monitor-transitions';

const EXECUTIONS = pipelineMetricName('algorithmia', EXECUTIONS_METRIC);
const HEARTBEAT = pipelineMetricName('algorithmia', FORWARDER_HEALTH_METRICS.heartbeat);
const LAG_SECONDS = pipelineMetricName('algorithmia', FORWARDER_HEALTH_METRICS.consumerLagSeconds);
const SILENT_MODEL = `sum(last_30m):sum:${EXECUTIONS}{env:staging} by {algorithm_name}.as_count() < 1`;
const FORWARDER_SILENT = `sum(last_10m):sum:${HEARTBEAT}{env:staging}.as_count() < 1`;

const now = 1_800_000_000;
const monitor = (name: string, query: string, critical: string, onMissingData?: string): SynthesizedMonitor => ({
  name,
  query,
  monitor_thresholds: { critical },
  ...(onMissingData ? { on_missing_data: onMissingData } : {}),
});
/** A count point as the double records one: the running total of an interval, under a process's instance tag. */
const count = (metric: string, value: number, secondsAgo: number, tags: string[] = [], instance = 'host-a-1'): ReceivedPoint => ({
  metric,
  type: 'count',
  timestamp: now - secondsAgo,
  value,
  tags: ['env:staging', `${INSTANCE_TAG_KEY}:${instance}`, ...tags],
});
const executions = (name: string, value: number, secondsAgo: number, instance?: string) =>
  count(EXECUTIONS, value, secondsAgo, [`algorithm_name:${name}`, 'algorithm_version:1.0.0'], instance);

describe('demo counts: the last write per series and second', () => {
  it('keeps the last value of a series and second, whatever the order of its tags, and prunes old seconds', () => {
    const store = new CountPoints();
    store.add([executions('fraud_detection', 3, 20), executions('fraud_detection', 7, 20)]);
    store.add([{ ...executions('fraud_detection', 9, 20), tags: [...executions('fraud_detection', 9, 20).tags].reverse() }]);
    store.add([executions('fraud_detection', 4, 10), executions('fraud_detection', 5, 20, 'host-b-2')]);
    expect(store.points().map((point) => point.value)).toEqual([9, 4, 5]);
    store.prune(now - 15);
    expect(store.points().map((point) => point.value)).toEqual([4]);
  });

  it('reads .as_count() in a threshold query', () => {
    expect(parseThresholdQuery(SILENT_MODEL)).toEqual({
      timeAggregation: 'sum',
      windowSeconds: 1800,
      spaceAggregation: 'sum',
      metric: EXECUTIONS,
      scope: ['env:staging'],
      groupBy: ['algorithm_name'],
      comparator: '<',
      threshold: 1,
      asCount: true,
    });
    expect(parseThresholdQuery(FORWARDER_SILENT)).toMatchObject({ groupBy: [], asCount: true, windowSeconds: 600 });
  });

  it('sums counts over the series (one per forwarder process) and the window, each written once', () => {
    const conditions = new MonitorConditions([
      monitor('executions', `sum(last_5m):sum:${EXECUTIONS}{env:staging}.as_count() > 100`, '100'),
    ]);
    // Running totals of one interval sent three times, and a second process's interval.
    conditions.add(
      [
        executions('fraud_detection', 10, 30),
        executions('fraud_detection', 25, 30),
        executions('fraud_detection', 40, 30),
        executions('fraud_detection', 2, 30, 'host-b-2'),
        executions('churn_predictor', 5, 20),
        executions('churn_predictor', 99, 900), // outside the window
      ],
      now,
    );
    expect(conditions.evaluate(now)[0].groups).toEqual([{ group: '(all)', value: 47, state: 'OK' }]);
  });
});

describe('demo monitors on missing data', () => {
  it('evaluates a known group with no executions in the window as 0 with on_missing_data "default": it alerts', () => {
    const conditions = new MonitorConditions([monitor('Model silent', SILENT_MODEL, '1', 'default')]);
    conditions.add(
      [executions('fraud_detection', 12, 1900), executions('churn_predictor', 4, 60), executions('document_ocr', 1, 1700)],
      now,
    );
    const [silent] = conditions.evaluate(now);
    expect(silent.state).toBe('ALERT');
    expect(silent.groups).toEqual([
      { group: 'algorithm_name:fraud_detection', value: 0, state: 'ALERT' },
      { group: 'algorithm_name:churn_predictor', value: 4, state: 'OK' },
      { group: 'algorithm_name:document_ocr', value: 1, state: 'OK' },
    ]);
    expect(conditions.render(now)[0]).toBe('  ALERT   Model silent: algorithm_name:fraud_detection 0 ALERT · 2 groups OK');
  });

  it('has no group before any execution arrived: a group Datadog never received does not exist', () => {
    const conditions = new MonitorConditions([monitor('Model silent', SILENT_MODEL, '1', 'default')]);
    expect(conditions.evaluate(now)[0]).toMatchObject({ state: 'NO DATA', groups: [] });
  });

  it('evaluates an ungrouped silence as 0 for the whole: no heartbeat at all alerts', () => {
    const conditions = new MonitorConditions([monitor('Forwarder silent', FORWARDER_SILENT, '1', 'default')]);
    expect(conditions.evaluate(now)[0].groups).toEqual([{ group: '(all)', value: 0, state: 'ALERT' }]);
    conditions.add([count(HEARTBEAT, 1, 30)], now);
    expect(conditions.evaluate(now)[0].groups).toEqual([{ group: '(all)', value: 1, state: 'OK' }]);
    expect(conditions.evaluate(now + 600)[0].groups).toEqual([{ group: '(all)', value: 0, state: 'ALERT' }]);
  });

  it('shows no data, as before, without on_missing_data "default" or for an average', () => {
    const conditions = new MonitorConditions([
      monitor('Model silent, no default', SILENT_MODEL, '1'),
      monitor('Lag', `max(last_5m):max:${LAG_SECONDS}{env:staging} > 300`, '300', 'default'),
    ]);
    conditions.add([executions('fraud_detection', 12, 1900)], now);
    expect(conditions.evaluate(now).map((result) => result.state)).toEqual(['NO DATA', 'NO DATA']);
  });

  it('evaluates the silence monitors over silenceWindowSeconds when shorter, says so, and leaves the other monitors their window', () => {
    const conditions = new MonitorConditions(
      [
        monitor('Model silent', SILENT_MODEL, '1', 'default'),
        monitor(
          'Dead-lettered',
          `sum(last_15m):sum:algorithmia.forwarder.messages.dead_lettered{env:staging}.as_count() > 0`,
          '0',
          'default',
        ),
        monitor('Drop', `pct_change(sum(last_1h),last_1d):sum:${EXECUTIONS}{env:staging}.as_count() < -50`, '-50'),
      ],
      { silenceWindowSeconds: 60 },
    );
    conditions.add(
      [
        executions('fraud_detection', 12, 90),
        executions('churn_predictor', 4, 30),
        count('algorithmia.forwarder.messages.dead_lettered', 2, 600),
      ],
      now,
    );
    const [silent, deadLettered] = conditions.evaluate(now);
    expect(silent).toMatchObject({ state: 'ALERT', evaluatedOverSeconds: 60 });
    expect(silent.groups.map(({ group, value }) => [group, value])).toEqual([
      ['algorithm_name:fraud_detection', 0],
      ['algorithm_name:churn_predictor', 4],
    ]);
    expect(deadLettered).toMatchObject({ state: 'ALERT', groups: [{ group: '(all)', value: 2, state: 'ALERT' }] });
    expect(deadLettered.evaluatedOverSeconds).toBeUndefined();
    const lines = conditions.render(now);
    expect(lines.slice(0, 3)).toEqual([
      '  ALERT   Model silent: algorithm_name:fraud_detection 0 ALERT · 1 group OK',
      `          ${SILENT_MODEL}`,
      "          evaluated over the last 60 s (DEMO_SILENCE_WINDOW), not the query's window",
    ]);
    expect(lines.filter((line) => line.includes('DEMO_SILENCE_WINDOW'))).toHaveLength(1);
    expect(lines).toContain('  not evaluated (change) Drop: compares with the same window last_1d earlier: the demo has no such history');
  });
});

describe('demo monitor state changes', () => {
  it('logs each group when its state changes: OK → ALERT, ALERT → OK, and to NO DATA when it leaves the window', () => {
    const conditions = new MonitorConditions([
      monitor('Forwarder silent', FORWARDER_SILENT, '1', 'default'),
      monitor('Runtime', 'avg(last_5m):avg:algorithmia.duration_milliseconds{env:staging} by {algorithm_name} > 20000', '20000'),
    ]);
    const transitions = new MonitorTransitions();
    const duration = (value: number, secondsAgo: number): ReceivedPoint => ({
      metric: 'algorithmia.duration_milliseconds',
      timestamp: now - secondsAgo,
      value,
      tags: ['env:staging', 'algorithm_name:speech_to_text'],
    });
    conditions.add([count(HEARTBEAT, 1, 5), duration(30, 5)], now);
    expect(transitions.observe(conditions.evaluate(now), 5)).toEqual([]);
    conditions.add([duration(40_000, 0)], now);
    // per second 30 and 40000: their average is past 20000
    expect(transitions.observe(conditions.evaluate(now + 1), 6)).toEqual([
      '00:06 OK → ALERT  Runtime  algorithm_name:speech_to_text (20015)',
    ]);
    expect(transitions.observe(conditions.evaluate(now + 1), 8)).toEqual([]);
    expect(transitions.observe(conditions.evaluate(now + 700), 75)).toEqual([
      '01:15 OK → ALERT  Forwarder silent  (all) (0)',
      '01:15 ALERT → NO DATA  Runtime  algorithm_name:speech_to_text (no data)',
    ]);
    conditions.add([count(HEARTBEAT, 1, -700)], now + 700);
    expect(transitions.observe(conditions.evaluate(now + 700), 80)).toEqual(['01:20 ALERT → OK  Forwarder silent  (all) (1)']);
  });
});

describe('demo summary of counts and forwarder health', () => {
  it('shows executions per algorithm from the counts, leaves the forwarder metrics out of the algorithm table, and one health line', () => {
    const summary = new ArrivalSummary();
    summary.add([
      {
        metric: 'algorithmia.duration_milliseconds',
        timestamp: now - 5,
        value: 80,
        tags: ['algorithm_name:fraud_detection', 'algorithm_version:1.0.0'],
      },
      executions('fraud_detection', 3, 20),
      executions('fraud_detection', 8, 20),
      executions('fraud_detection', 2, 10),
      executions('fraud_detection', 1, 10, 'host-b-2'),
      count(HEARTBEAT, 1, 4),
      count(HEARTBEAT, 1, 14, [], 'host-b-2'),
      {
        metric: LAG_SECONDS,
        type: 'gauge',
        timestamp: now - 4,
        value: 2,
        tags: ['env:staging', `${INSTANCE_TAG_KEY}:host-a-1`, 'topic:t'],
      },
      {
        metric: LAG_SECONDS,
        type: 'gauge',
        timestamp: now - 4,
        value: 7,
        tags: ['env:staging', `${INSTANCE_TAG_KEY}:host-a-1`, 'topic:u'],
      },
    ]);
    const text = summary.render({
      elapsedMs: 30_000,
      generated: 12,
      malformedSent: 0,
      slowSent: 0,
      brokers: '-',
      topic: 't',
      doubleUrl: '-',
      forwarderUrl: '-',
      requestsByStatus: new Map(),
      forwarderState: 'running',
      warnings: [],
      nowSeconds: now,
      // Its data (1 duration, 4 execution points) is what /metrics counts as sent, not its health reports.
      forwarderMetrics: parsePrometheus('forwarder_points_sent_total{endpoint="series"} 5'),
    });
    expect(text).toContain("points sent 5 (= accepted by the double, besides its own metrics' 4)");
    expect(text).toMatch(/ +algorithm +runs +executions +avg ms/);
    expect(text).toMatch(/fraud_detection 1\.0\.0 +1 +11 +80 +80 +0/);
    expect(text).not.toContain('(untagged)');
    expect(text).not.toMatch(/last (forwarder\.|executions)/);
    // The forwarder's metrics in one row of the metric table: 2 heartbeats and 2 lag points.
    expect(text).toMatch(/algorithmia\.forwarder\.\* \(2 metrics\) +4\n/);
    expect(text).not.toMatch(/algorithmia\.forwarder\.heartbeat +/);
    expect(text).toContain('forwarder health in Datadog: last heartbeat 4 s ago · 2 instances seen · consumer lag 7 s');
    // On a screen that redraws, the latest state changes stay in view under the monitors.
    expect(new ArrivalSummary().render({ ...baseContext, transitions: ['01:15 OK → ALERT  Forwarder silent  (all) (0)'] })).toContain(
      'monitor state changes (latest last):\n  01:15 OK → ALERT  Forwarder silent  (all) (0)\nforwarder health in Datadog:',
    );
    expect(new ArrivalSummary().render({ ...baseContext, nowSeconds: now })).toContain(
      'forwarder health in Datadog: no heartbeat yet · 0 instances seen · consumer lag not reported yet',
    );
  });
});

const baseContext = {
  elapsedMs: 0,
  generated: 0,
  malformedSent: 0,
  slowSent: 0,
  brokers: '-',
  topic: 't',
  doubleUrl: '-',
  forwarderUrl: '-',
  requestsByStatus: new Map<number, number>(),
  forwarderState: 'running',
  warnings: [],
};

describe('demo monitors on counts the Datadog double received', () => {
  let double: DatadogDouble;
  beforeAll(async () => (double = await DatadogDouble.start({ apiKey: 'demo-api-key', trackDuplicates: false })));
  afterAll(async () => double.close());

  /** Posts count series as the forwarder writes them (its serializeSeries: v2, type 1, interval 10). */
  async function send(series: Array<{ metric: string; tags: string[]; timestamp: number; value: number }>): Promise<void> {
    const body = serializeSeries(
      series.map(({ metric, tags, timestamp, value }) => ({ metric, kind: 'count', tags, timestamps: [timestamp], values: [value] })),
      'series',
      0,
    );
    const response = await fetch(`${double.url}/api/v2/series`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'DD-API-KEY': 'demo-api-key' },
      body: body.json,
    });
    expect(response.status).toBe(202);
  }

  it('keeps the last running total of an interval, and alerts on the model that went quiet', async () => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const bucket = nowSeconds - (nowSeconds % COUNT_INTERVAL_SECONDS);
    const tags = (name: string) => ['env:staging', `${INSTANCE_TAG_KEY}:demo-1`, `algorithm_name:${name}`, 'algorithm_version:1.0.0'];
    // fraud_detection ran 90 s ago and no more; churn_predictor's current interval is sent three times as it grows.
    await send([{ metric: EXECUTIONS, tags: tags('fraud_detection'), timestamp: bucket - 90, value: 6 }]);
    for (const value of [1, 4, 9]) await send([{ metric: EXECUTIONS, tags: tags('churn_predictor'), timestamp: bucket, value }]);
    await send([{ metric: HEARTBEAT, tags: ['env:staging', `${INSTANCE_TAG_KEY}:demo-1`], timestamp: nowSeconds, value: 1 }]);

    const points = double.points();
    expect(points.filter((point) => point.metric === EXECUTIONS).map((point) => [point.type, point.interval])).toEqual(
      Array(4).fill(['count', COUNT_INTERVAL_SECONDS]),
    );
    const conditions = new MonitorConditions(
      [monitor('Model silent', SILENT_MODEL, '1', 'default'), monitor('Forwarder silent', FORWARDER_SILENT, '1', 'default')],
      { silenceWindowSeconds: 60 },
    );
    conditions.add(points, nowSeconds);
    const [silent, forwarder] = conditions.evaluate(nowSeconds);
    expect(silent.groups).toEqual([
      { group: 'algorithm_name:fraud_detection', value: 0, state: 'ALERT' },
      { group: 'algorithm_name:churn_predictor', value: 9, state: 'OK' },
    ]);
    expect(forwarder.groups).toEqual([{ group: '(all)', value: 1, state: 'OK' }]);

    const summary = new ArrivalSummary();
    summary.add(points);
    expect(summary.render({ ...baseContext, nowSeconds })).toMatch(/churn_predictor 1\.0\.0 +0 +9\b/);
  });
});
