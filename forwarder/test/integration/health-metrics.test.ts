/**
 * The forwarder's own metrics (`<prefix>.forwarder.*`) as they reach the Datadog double, from a
 * forwarder reading a real broker: heartbeat and counts with its tags and instance tag, the first
 * report right after it is ready, the consumer lag while it is behind and once it caught up, and
 * nothing at all with FORWARDER_HEALTH_METRICS=false.
 */
import {
  COUNT_INTERVAL_SECONDS,
  EXECUTIONS_METRIC,
  FORWARDER_HEALTH_METRICS,
  pipelineMetricName,
  type ForwarderHealthMetric,
} from '@algorithmia-datadog/metric-declaration';
import { DatadogDouble, ForwarderProcess, KafkaTestBed, pollUntil, uniqueName, type AcceptedPoint } from '@algorithmia-datadog/testbed';
import { counterValue, forwarderEnv, startForwarder, type RunningForwarder } from './forwarder-harness';
import { insight } from './insights';

jest.setTimeout(120_000);

const PREFIX = 'algorithmia';
const INTERVAL_MS = COUNT_INTERVAL_SECONDS * 1000;
const bed = new KafkaTestBed();
let datadog: DatadogDouble;
const running: RunningForwarder[] = [];

beforeEach(async () => {
  datadog = await DatadogDouble.start();
});

afterEach(async () => {
  for (const r of running.splice(0)) await r.stop().catch(() => undefined);
  await datadog.close();
});

afterAll(() => bed.cleanup());

const name = (metric: ForwarderHealthMetric) => pipelineMetricName(PREFIX, FORWARDER_HEALTH_METRICS[metric]);
const healthPoints = (metric: ForwarderHealthMetric): readonly AcceptedPoint[] => datadog.pointsFor(name(metric));
const sum = (points: readonly AcceptedPoint[]) => points.reduce((total, p) => total + (p.value ?? 0), 0);

/** Produces `count` Insights messages (two metrics each); returns when the broker has them. */
async function produceInsights(topic: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 500) {
    const batch = Array.from({ length: Math.min(500, count - i) }, (_, j) => insight(i + j));
    await bed.produce(
      topic,
      batch.map((m) => ({ key: String(m.index), value: m.json })),
    );
  }
}

async function start(topic: string, extra: Record<string, string>): Promise<RunningForwarder> {
  const forwarder = await startForwarder(forwarderEnv(topic, uniqueName('group'), datadog, { FORWARDER_HEALTH_METRICS: 'true', ...extra }));
  running.push(forwarder);
  return forwarder;
}

describe("the forwarder's own metrics in Datadog", () => {
  it('sends the first report right after it is ready, heartbeat and counts with its tags, and a last report at stop', async () => {
    const topic = await bed.createTopic({ partitions: 2 });
    await produceInsights(topic, 300);
    const run = await start(topic, { FORWARDER_TAGS: 'env:test,team:ml' });

    const readyAt = await pollUntil(() => run.forwarder.ready().ready && Date.now(), { timeoutMs: 30_000, describe: () => 'ready' });
    await datadog.waitFor((dd) => dd.pointCount(name('heartbeat')) >= 1, 30_000, 'the first heartbeat');
    // Well before the next interval: the first report does not wait for it.
    expect(Date.now() - readyAt).toBeLessThan(INTERVAL_MS / 2);

    await datadog.waitFor((dd) => dd.pointCount('algorithmia.duration_milliseconds') >= 300, 30_000, 'the data');
    await pollUntil(async () => (await counterValue(run.metrics, 'forwarder_points_sent_total')) >= 600, { timeoutMs: 10_000 });
    const reportsBeforeStop = healthPoints('heartbeat').length;
    const stoppedAt = Math.floor(Date.now() / 1000);
    await run.stop();
    running.length = 0;

    // The last report: one more heartbeat, and every count's total, counted once.
    const heartbeats = healthPoints('heartbeat');
    expect(heartbeats.length).toBeGreaterThan(reportsBeforeStop);
    expect(heartbeats[heartbeats.length - 1].timestamp).toBeGreaterThanOrEqual(stoppedAt);
    expect(sum(heartbeats)).toBe(heartbeats.length);
    expect(sum(healthPoints('messagesConsumed'))).toBe(300);
    // The 600 values, and the execution counts' running totals (each request's points count as sent).
    expect(sum(healthPoints('pointsSent'))).toBe(600 + datadog.pointCount(pipelineMetricName(PREFIX, EXECUTIONS_METRIC)));
    expect(healthPoints('messagesConsumed').every((p) => p.tags.includes(`topic:${topic}`))).toBe(true);

    // Every metric in every report, each point with the forwarder's tags and this process's instance tag.
    for (const metric of Object.keys(FORWARDER_HEALTH_METRICS) as ForwarderHealthMetric[]) {
      const points = healthPoints(metric);
      expect(new Set(points.map((p) => p.timestamp)).size).toBe(heartbeats.length);
      for (const point of points) {
        expect(point.tags).toEqual(expect.arrayContaining(['env:test', 'team:ml', run.forwarder.instance]));
        expect(point.type).toBe(FORWARDER_HEALTH_METRICS[metric].kind);
      }
    }
    expect(run.forwarder.instance).toMatch(/^forwarder_instance:.+\.[0-9a-f]{6}$/);
  });

  it('reports the consumer lag in messages and seconds while behind, and 0 once caught up', async () => {
    const topic = await bed.createTopic({ partitions: 1 });
    await produceInsights(topic, 4000);
    // Every request answered late and small batches: the forwarder reads the backlog slowly.
    datadog.delayNext(1_000_000, 300);
    const run = await start(topic, {
      FORWARDER_BATCH_MAX_BYTES: '10000',
      FORWARDER_MAX_IN_FLIGHT: '1',
      FORWARDER_MAX_BUFFERED_POINTS: '1000',
    });

    const lagPoint = (metric: ForwarderHealthMetric, test: (value: number) => boolean) =>
      healthPoints(metric).some((p) => p.tags.includes(`topic:${topic}`) && test(p.value ?? NaN));
    await datadog.waitFor(
      () => lagPoint('consumerLag', (v) => v > 0) && lagPoint('consumerLagSeconds', (v) => v > 0),
      4 * INTERVAL_MS,
      'a report of a consumer lag above 0 in messages and seconds',
    );
    expect(await counterValue(run.metrics, 'forwarder_consumer_lag_seconds', { topic })).toBeGreaterThan(0);
    expect(await counterValue(run.metrics, 'forwarder_consumer_lag', { topic })).toBeGreaterThan(0);

    datadog.behave();
    await datadog.waitFor((dd) => dd.pointCount('algorithmia.duration_milliseconds') >= 4000, 60_000, 'the backlog');
    const caughtUpFrom = healthPoints('heartbeat').length;
    await datadog.waitFor(
      () => {
        const later = (metric: ForwarderHealthMetric) => healthPoints(metric).slice(caughtUpFrom);
        return later('consumerLag').some((p) => p.value === 0) && later('consumerLagSeconds').some((p) => p.value === 0);
      },
      4 * INTERVAL_MS,
      'a report of a consumer lag of 0 after catching up',
    );
    expect(await counterValue(run.metrics, 'forwarder_consumer_lag_seconds', { topic })).toBe(0);
  });

  it('by default, from the forwarder as users run it: reports while it runs, a last one on SIGTERM, the lag on /metrics', async () => {
    const topic = await bed.createTopic({ partitions: 1 });
    await produceInsights(topic, 50);
    const env: Record<string, string> = forwarderEnv(topic, uniqueName('group'), datadog, { FORWARDER_HTTP_PORT: '0' });
    delete env.FORWARDER_HEALTH_METRICS;
    const run = new ForwarderProcess(env);
    try {
      await datadog.waitFor((dd) => dd.pointCount('algorithmia.duration_milliseconds') >= 50, 60_000, 'the data');
      await datadog.waitFor((dd) => dd.pointCount(name('heartbeat')) >= 1, 30_000, 'the first heartbeat');
      const exposed = await (await fetch(`http://127.0.0.1:${await run.port}/metrics`)).text();
      expect(exposed).toContain(`forwarder_consumer_lag_seconds{topic="${topic}"}`);
    } catch (error) {
      run.child.kill('SIGKILL');
      throw error;
    }
    const before = healthPoints('heartbeat').length;
    const stoppedAt = Math.floor(Date.now() / 1000);
    process.kill(run.pid, 'SIGTERM');
    expect((await run.exited).code).toBe(0);
    const heartbeats = healthPoints('heartbeat');
    expect(heartbeats.length).toBeGreaterThan(before);
    expect(heartbeats[heartbeats.length - 1].timestamp).toBeGreaterThanOrEqual(stoppedAt);
    expect(sum(healthPoints('messagesConsumed'))).toBe(50);
  });

  it('sends none of them with FORWARDER_HEALTH_METRICS=false', async () => {
    const topic = await bed.createTopic({ partitions: 1 });
    await produceInsights(topic, 20);
    const run = await start(topic, { FORWARDER_HEALTH_METRICS: 'false' });
    await datadog.waitFor((dd) => dd.pointCount('algorithmia.duration_milliseconds') >= 20, 30_000, 'the data');
    // A stop is when the last report would go: after it, none can come.
    await run.stop();
    running.length = 0;
    expect(datadog.metrics().filter((metric) => metric.startsWith(`${PREFIX}.forwarder.`))).toEqual([]);
  });
});
