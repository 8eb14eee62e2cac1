import { DatadogDouble, KafkaTestBed, pollUntil, uniqueName } from '@algorithmia-datadog/testbed';
import { counterValue, forwarderEnv, startForwarder, type RunningForwarder } from './forwarder-harness';
import { insight } from './insights';

jest.setTimeout(90_000);

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

/** Produces messages 0..count-1 spread over the topic's partitions; returns them. */
async function produceInsights(topic: string, count: number, from = 0) {
  const messages = Array.from({ length: count }, (_, i) => insight(from + i));
  for (let i = 0; i < messages.length; i += 500) {
    await bed.produce(
      topic,
      messages.slice(i, i + 500).map((m) => ({ key: String(m.index), value: m.json })),
    );
  }
  return messages;
}

async function start(topic: string, groupId: string, extra: Record<string, string> = {}) {
  const forwarder = await startForwarder(forwarderEnv(topic, groupId, datadog, extra));
  running.push(forwarder);
  return forwarder;
}

/** Messages per partition of `topic`, as committed offsets to expect. */
async function endOffsets(topic: string): Promise<Map<number, number>> {
  const admin = bed.kafka.admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  } finally {
    await admin.disconnect();
  }
}

function durationValues(): number[] {
  return datadog
    .pointsFor('algorithmia.duration_milliseconds')
    .map((p) => p.value as number)
    .sort((a, b) => a - b);
}

describe('forwarder against a real broker and the Datadog double', () => {
  it('delivers every metric of every message with its name, tags, timestamp and value, then commits', async () => {
    const topic = await bed.createTopic({ partitions: 3 });
    const groupId = uniqueName('group');
    const messages = await produceInsights(topic, 600);
    await start(topic, groupId, { FORWARDER_TAGS: 'env:test' });

    await datadog.waitFor((dd) => dd.pointCount() >= 1200, 30_000, '1200 points');
    const byIndex = new Map(messages.map((m) => [m.index, m]));
    for (const point of datadog.pointsFor('algorithmia.duration_milliseconds')) {
      const message = byIndex.get(point.value as number);
      expect(message).toBeDefined();
      expect(point).toMatchObject({ endpoint: 'v2/series', type: 'gauge', timestamp: message!.timestamp, unit: 'millisecond' });
      expect([...point.tags].sort()).toEqual(
        [`algorithm_name:${message!.algorithm}`, `algorithm_version:${message!.version}`, 'algorithm_owner:asli', 'env:test'].sort(),
      );
    }
    expect(durationValues()).toEqual(messages.map((m) => m.index));
    const risk = datadog
      .pointsFor('algorithmia.risk_score')
      .map((p) => p.value as number)
      .sort((a, b) => a - b);
    expect(risk).toEqual(messages.map((m) => m.index / 1e6));
    expect(datadog.duplicates()).toEqual([]);
    await bed.waitForCommittedOffsets(groupId, topic, await endOffsets(topic), 20_000);
  });

  it('keeps flowing past malformed messages, counts them and dead-letters the undecodable ones', async () => {
    const topic = await bed.createTopic({ partitions: 2 });
    const deadLetterTopic = await bed.createTopic({ prefix: 'dlq' });
    const groupId = uniqueName('group');
    const good = Array.from({ length: 40 }, (_, i) => insight(i));
    const bad = ['{"risk_score":', '', Buffer.from([0xc3, 0x28, 0x7b]), '[1,2,3]'];
    const partly = JSON.stringify({ ...JSON.parse(insight(1000).json), label: 'cat', nothing: null, nested: { a: 1 } });
    const records = good.flatMap((m, i) => [
      { value: m.json, partition: i % 2 },
      ...(i % 10 === 0 ? [{ value: bad[(i / 10) % bad.length] as string | Buffer, partition: i % 2 }] : []),
    ]);
    await bed.produce(topic, [...records, { value: partly, partition: 0 }]);

    const { metrics } = await start(topic, groupId, { KAFKA_DLQ_TOPIC: deadLetterTopic });
    await datadog.waitFor((dd) => dd.pointCount('algorithmia.duration_milliseconds') >= 41, 30_000, 'all good points');
    expect(durationValues()).toEqual([...good.map((m) => m.index), 1000]);

    const dead = await bed.collect(deadLetterTopic, { count: 4 });
    expect(dead.map((m) => m.headers['dlq-error-reason']).sort()).toEqual(['empty', 'not_an_object', 'not_json', 'not_utf8']);
    expect(dead.every((m) => m.headers['dlq-source-topic'] === topic && m.headers['dlq-source-offset'] !== undefined)).toBe(true);
    expect(await counterValue(metrics, 'forwarder_messages_invalid_total')).toBe(4);
    expect(await counterValue(metrics, 'forwarder_points_dropped_total', { reason: 'string_value' })).toBe(1);
    expect(await counterValue(metrics, 'forwarder_points_dropped_total', { reason: 'null_value' })).toBe(1);
    expect(await counterValue(metrics, 'forwarder_points_dropped_total', { reason: 'nested_object' })).toBe(1);
    await bed.waitForCommittedOffsets(groupId, topic, await endOffsets(topic), 20_000);
  });

  it('loses nothing through 500s and 429s, retrying until Datadog recovers', async () => {
    const topic = await bed.createTopic({ partitions: 2 });
    const groupId = uniqueName('group');
    datadog.failNext(5, 500).rateLimitNext(3, { resetSeconds: 1 });
    const messages = await produceInsights(topic, 300);
    const { metrics } = await start(topic, groupId);

    await datadog.waitFor((dd) => dd.pointCount('algorithmia.duration_milliseconds') >= 300, 45_000, 'all points after recovery');
    expect(durationValues()).toEqual(messages.map((m) => m.index));
    expect(await counterValue(metrics, 'forwarder_retries_total', { reason: 'http_500' })).toBeGreaterThanOrEqual(5);
    expect(await counterValue(metrics, 'forwarder_retries_total', { reason: 'http_429' })).toBe(3);
    expect(datadog.duplicates()).toEqual([]);
    await bed.waitForCommittedOffsets(groupId, topic, await endOffsets(topic), 20_000);
  });

  it('pauses consumption while Datadog is down, keeps memory bounded, and resumes without loss', async () => {
    const topic = await bed.createTopic({ partitions: 1 });
    const groupId = uniqueName('group');
    datadog.goDown(503);
    const messages = await produceInsights(topic, 5000);
    const running = await start(topic, groupId, { FORWARDER_MAX_BUFFERED_POINTS: '1000', FORWARDER_BATCH_MAX_BYTES: '20000' });

    await pollUntil(async () => (await counterValue(running.metrics, 'forwarder_consumption_paused')) === 1, {
      timeoutMs: 20_000,
      describe: () => 'consumption paused',
    });
    const consumedWhilePaused = await counterValue(running.metrics, 'forwarder_messages_consumed_total');
    // Nothing more is read while paused: the buffer is bounded by the limit plus one fetch.
    await datadog.waitForRequests(datadog.stats().requests + 5, 20_000);
    expect(await counterValue(running.metrics, 'forwarder_messages_consumed_total')).toBe(consumedWhilePaused);
    expect(consumedWhilePaused).toBeLessThan(messages.length);
    expect(running.forwarder.bufferedPoints).toBeLessThan(1000 + 2 * 5000);
    expect(await bed.committedOffsets(groupId, topic)).toEqual(new Map([[0, -1]]));

    datadog.comeBack();
    await datadog.waitFor(
      (dd) => dd.pointCount('algorithmia.duration_milliseconds') >= messages.length,
      60_000,
      'all points after the outage',
    );
    expect(durationValues()).toEqual(messages.map((m) => m.index));
    await bed.waitForCommittedOffsets(groupId, topic, await endOffsets(topic), 20_000);
  });

  it('drains and commits on stop, so a restart neither loses nor repeats', async () => {
    const topic = await bed.createTopic({ partitions: 2 });
    const groupId = uniqueName('group');
    await produceInsights(topic, 2000);
    datadog.delayNext(3, 300);
    const first = await start(topic, groupId);
    await datadog.waitFor((dd) => dd.pointCount() > 0, 30_000, 'first points');
    const { drained } = await first.stop();
    running.splice(running.indexOf(first), 1);
    expect(drained).toBe(true);
    const deliveredBeforeRestart = datadog.pointCount('algorithmia.duration_milliseconds');

    await produceInsights(topic, 500, 2000);
    await start(topic, groupId);
    await datadog.waitFor((dd) => dd.pointCount('algorithmia.duration_milliseconds') >= 2500, 45_000, 'all points after restart');
    expect(durationValues()).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    expect(deliveredBeforeRestart).toBeGreaterThan(0);
    expect(datadog.duplicates()).toEqual([]);
  });
});
