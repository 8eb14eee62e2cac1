/**
 * A body Datadog refuses for good (a 4xx that sending again cannot fix) stalls nothing: only its
 * points are dropped, counted by endpoint and status, logged once with both; the rest arrives and
 * the offsets move on. A key revoked after start is not such a refusal: nothing Datadog did not
 * accept is committed, and the forwarder stops with one line naming DD_API_KEY (exit 2).
 */
import { DatadogDouble, KafkaTestBed, ForwarderProcess, uniqueName } from '@algorithmia-datadog/testbed';
import { counterValue, forwarderEnv, startForwarder, type RunningForwarder } from './forwarder-harness';
import { insight } from './insights';

jest.setTimeout(90_000);

const bed = new KafkaTestBed();
let datadog: DatadogDouble;
const running: RunningForwarder[] = [];
const runs: ForwarderProcess[] = [];

beforeEach(async () => {
  datadog = await DatadogDouble.start();
});
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop().catch(() => undefined);
  for (const run of runs.splice(0)) await run.kill9();
  await datadog.close();
});
afterAll(() => bed.cleanup());

async function endOffsets(topic: string): Promise<Map<number, number>> {
  const admin = bed.kafka.admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  } finally {
    await admin.disconnect();
  }
}

/** Points of the messages' values (not the execution counts, sent in bodies of their own). */
const valuePoints = (): number => datadog.pointCount('algorithmia.duration_milliseconds') + datadog.pointCount('algorithmia.risk_score');

const sum = (offsets: Map<number, number>): number => [...offsets.values()].reduce((total, offset) => total + Math.max(offset, 0), 0);

it.each([415, 405])('a body refused with %i is dropped alone: the rest arrives and the offsets move on', async (status) => {
  const topic = await bed.createTopic({ partitions: 2 });
  const groupId = uniqueName('group');
  const first = Array.from({ length: 300 }, (_, i) => insight(i));
  await bed.produce(
    topic,
    first.map((m) => m.json),
  );
  // The first two bodies of values (about 150 points each; each message has 2) are refused for
  // good. Only bodies carrying values: which body comes first is a race, and a refused body of
  // execution counts would be corrected by the next total, not dropped.
  datadog.failNext(2, status, { metric: 'algorithmia.duration_milliseconds' });
  const forwarder = await startForwarder(forwarderEnv(topic, groupId, datadog, { FORWARDER_BATCH_MAX_BYTES: '10000' }));
  running.push(forwarder);
  const { metrics, logs } = forwarder;
  const rejected = () => counterValue(metrics, 'forwarder_points_rejected_total', { endpoint: 'series', status: String(status) });
  const settledFirst = async () => valuePoints() + (await rejected()) >= first.length * 2;
  await bed.waitForCommittedOffsets(groupId, topic, await endOffsets(topic), 30_000);
  expect(await settledFirst()).toBe(true);

  const second = Array.from({ length: 300 }, (_, i) => insight(300 + i));
  await bed.produce(
    topic,
    second.map((m) => m.json),
  );
  await datadog.waitForPoints('algorithmia.duration_milliseconds', 600 - (await rejected()) / 2, 30_000);
  await bed.waitForCommittedOffsets(groupId, topic, await endOffsets(topic), 30_000);

  const dropped = await rejected();
  expect(dropped).toBeGreaterThan(0);
  expect(dropped).toBeLessThan(600);
  expect(valuePoints() + dropped).toBe(1200);
  // Every execution counted: the offsets moved only after the counts were accepted.
  expect(datadog.countTotals('algorithmia.executions')).toEqual({ '': 600 });
  expect(datadog.duplicates()).toEqual([]);
  // Every message of the second lot arrived whole: the refusals did not spread.
  const durations = new Set(datadog.pointsFor('algorithmia.duration_milliseconds').map((p) => p.value));
  expect(second.every((m) => durations.has(m.index))).toBe(true);
  expect(await counterValue(metrics, 'forwarder_points_dropped_total', { reason: 'rejected_by_datadog' })).toBe(dropped);
  expect(await counterValue(metrics, 'forwarder_retries_total', { reason: `http_${status}` })).toBe(0);
  expect(datadog.stats().requestsByStatus[status]).toBe(2);
  const logged = logs.lines.filter((line) => line.kind === `rejected:series:${status}`);
  expect(logged).toEqual([expect.objectContaining({ level: 50, endpoint: '/api/v2/series', status })]);
});

it('a key revoked after start: nothing refused is committed, one line names DD_API_KEY, exit 2; a restart with the new key sends the rest', async () => {
  const topic = await bed.createTopic({ partitions: 2 });
  const groupId = uniqueName('group');
  await bed.produce(
    topic,
    Array.from({ length: 100 }, (_, i) => insight(i).json),
  );
  const env = forwarderEnv(topic, groupId, datadog, { FORWARDER_HTTP_PORT: '0' });
  const run = new ForwarderProcess(env);
  runs.push(run);
  await datadog.waitForPoints('algorithmia.duration_milliseconds', 100, 60_000);
  await bed.waitForCommittedOffsets(groupId, topic, await endOffsets(topic), 30_000);

  datadog.rotateApiKey('rotated-key');
  await bed.produce(
    topic,
    Array.from({ length: 100 }, (_, i) => insight(100 + i).json),
  );

  expect((await run.exited).code).toBe(2);
  const lines = run.errors().trim().split('\n');
  expect(lines).toEqual([
    expect.stringMatching(
      /^algorithmia-datadog-forwarder: configuration error: DD_API_KEY: Datadog at \S+ refused the API key after start \(403 on metrics/,
    ),
  ]);
  expect(run.output()).not.toContain('rotated-key');
  expect(sum(await bed.committedOffsets(groupId, topic))).toBe(100);
  expect(datadog.pointCount('algorithmia.duration_milliseconds')).toBe(100);

  const restarted = new ForwarderProcess({ ...env, DD_API_KEY: 'rotated-key' });
  runs.push(restarted);
  await datadog.waitForPoints('algorithmia.duration_milliseconds', 200, 60_000);
  await bed.waitForCommittedOffsets(groupId, topic, await endOffsets(topic), 30_000);
});
