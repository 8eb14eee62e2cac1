import { COUNT_INTERVAL_SECONDS, FORWARDER_HEALTH_METRICS, pipelineMetricName } from '@algorithmia-datadog/metric-declaration';
import { RetryPolicy } from '../../../src/common/retry-policy';
import { healthReadings } from '../../../src/observe/health-readings';
import { HealthReporter } from '../../../src/observe/health-reporter';
import { instanceTag } from '../../../src/observe/instance';
import { createLogger } from '../../../src/observe/logger';
import { ForwarderMetrics } from '../../../src/observe/metrics';
import { DatadogClient } from '../../../src/submit/datadog-client';
import { Submitter } from '../../../src/submit/submitter';
import { DatadogDouble, type AcceptedPoint } from '@algorithmia-datadog/testbed';

const PREFIX = 'algorithmia';
const INSTANCE = instanceTag('host-1', 'a1b2c3');
const name = (metric: keyof typeof FORWARDER_HEALTH_METRICS) => pipelineMetricName(PREFIX, FORWARDER_HEALTH_METRICS[metric]);

let datadog: DatadogDouble;
let metrics: ForwarderMetrics;
let reporter: HealthReporter;
beforeEach(async () => {
  datadog = await DatadogDouble.start();
  metrics = new ForwarderMetrics();
  const submitter = new Submitter({
    client: new DatadogClient({ baseUrl: datadog.url, apiKey: datadog.apiKey, timeoutMs: 2_000 }),
    retryPolicy: new RetryPolicy({ baseDelayMs: 5, maxDelayMs: 20 }),
    observer: { request: () => undefined, retry: () => undefined, rejected: () => undefined },
    encodings: { series: 'gzip', distribution_points: 'deflate' },
    compressionLevel: 3,
  });
  reporter = new HealthReporter({
    submit: (batch, signal) => submitter.submit(batch, signal),
    readings: () => healthReadings(metrics, { topic: ['insights'] }),
    prefix: PREFIX,
    tags: ['env:test', INSTANCE],
    logger: createLogger('silent'),
  });
});
afterEach(async () => {
  await reporter.stop(0);
  await datadog.close();
});

/** The value of each point of `metric` (tagged `tag` if given), in arrival order. */
const values = (metric: keyof typeof FORWARDER_HEALTH_METRICS, tag?: string) =>
  datadog
    .pointsFor(name(metric))
    .filter((p) => tag === undefined || p.tags.includes(tag))
    .map((p) => p.value);

describe('HealthReporter', () => {
  it('sends every health metric, zeros included, with the forwarder tags, the instance tag, kind, unit and interval', async () => {
    await reporter.report();
    const byName = new Map<string, AcceptedPoint[]>();
    for (const p of datadog.points()) byName.set(p.metric, [...(byName.get(p.metric) ?? []), p]);
    expect([...byName.keys()].sort()).toEqual(
      Object.keys(FORWARDER_HEALTH_METRICS)
        .map((m) => name(m as never))
        .sort(),
    );
    for (const [metric, declared] of Object.entries(FORWARDER_HEALTH_METRICS)) {
      for (const p of byName.get(name(metric as never)) ?? []) {
        expect(p.tags).toEqual(expect.arrayContaining(['env:test', INSTANCE]));
        expect(p.type).toBe(declared.kind);
        expect(p.unit).toBe(declared.unit);
        expect(p.interval).toBe(declared.kind === 'count' ? COUNT_INTERVAL_SECONDS : undefined);
      }
    }
    expect(values('heartbeat')).toEqual([1]);
    expect(values('messagesConsumed', 'topic:insights')).toEqual([0]);
    expect(values('pointsDropped')).toEqual([0]);
  });

  it('sends counts as the increase since the last accepted report, gauges as they are', async () => {
    metrics.messagesConsumed.labels('insights').inc(5);
    metrics.bufferedPoints.set(7);
    await reporter.report();
    metrics.messagesConsumed.labels('insights').inc(3);
    metrics.pointsDropped.labels('string_value').inc(2);
    await reporter.report();
    await reporter.report();
    expect(values('heartbeat')).toEqual([1, 1, 1]);
    expect(values('messagesConsumed')).toEqual([5, 3, 0]);
    expect(values('pointsBuffered')).toEqual([7, 7, 7]);
    // A tag value seen for the first time: its whole total, then increases.
    expect(values('pointsDropped', 'reason:string_value')).toEqual([2, 0]);
    const timestamps = datadog.pointsFor(name('heartbeat')).map((p) => p.timestamp);
    expect(new Set(timestamps).size).toBe(3);
  });

  it('carries the counts of a report that failed into the next one, without counting them twice', async () => {
    metrics.messagesConsumed.labels('insights').inc(4);
    await reporter.report();
    metrics.messagesConsumed.labels('insights').inc(6);
    datadog.goDown(503);
    // Given up once the second attempt is answered: the abort lands before the answer reaches the
    // submitter, so no attempt is still on its way when Datadog comes back (a timer could fire
    // with one dispatched but not yet arrived, and the double would accept it after comeBack).
    const giveUp = new AbortController();
    void datadog.waitForRequests(2).then(() => giveUp.abort());
    await reporter.report(giveUp.signal);
    expect(datadog.requests).toHaveLength(2);
    datadog.comeBack();
    metrics.messagesConsumed.labels('insights').inc(1);
    await reporter.report();
    expect(values('messagesConsumed')).toEqual([4, 7]);
    expect(values('heartbeat')).toEqual([1, 2]);
  });

  it('counts a report refused for good as settled: its counts are not sent again', async () => {
    metrics.messagesConsumed.labels('insights').inc(2);
    datadog.failNext(100, 400);
    await reporter.report();
    datadog.behave();
    metrics.messagesConsumed.labels('insights').inc(1);
    await reporter.report();
    expect(values('messagesConsumed')).toEqual([1]);
  });

  it('gives up the report in flight when the next one is due', async () => {
    datadog.goDown(503);
    const first = reporter.report();
    await datadog.waitForRequests(1);
    datadog.comeBack();
    datadog.clear();
    await reporter.report();
    await first;
    expect(values('heartbeat')).toEqual([2]);
  });

  it('sends the first report at begin, and a last one at stop with what happened since', async () => {
    reporter.begin();
    await datadog.waitForPoints(name('heartbeat'), 1);
    metrics.messagesConsumed.labels('insights').inc(3);
    await reporter.stop(1_000);
    expect(values('heartbeat')).toEqual([1, 1]);
    expect(values('messagesConsumed')).toEqual([0, 3]);
  });

  it('sends no report at stop when reports never began; a last report keeps the deadline', async () => {
    await reporter.stop(1_000);
    expect(datadog.requests).toHaveLength(0);

    const other = new HealthReporter({
      submit: () => new Promise(() => undefined),
      readings: () => healthReadings(metrics, { topic: ['insights'] }),
      prefix: PREFIX,
      tags: [INSTANCE],
      logger: createLogger('silent'),
    });
    other.begin();
    const started = Date.now();
    await other.stop(200);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
