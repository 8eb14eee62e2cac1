/**
 * The execution count per model, as users run the forwarder: three processes in one consumer
 * group share a topic of six partitions. Datadog stores a count point as sent (the last write per
 * series and timestamp wins); the double does the same. Every model's total must equal the
 * messages produced for it: each process sends running totals per 10 s bucket, under its own
 * instance tag, so neither a message's points nor another process overwrite a total.
 */
import { EXECUTIONS_METRIC, INSTANCE_TAG_KEY, pipelineMetricName } from '@algorithmia-datadog/metric-declaration';
import { DatadogDouble, ForwarderProcess, KafkaTestBed, pollUntil, uniqueName } from '@algorithmia-datadog/testbed';
import { forwarderEnv, startForwarder } from './forwarder-harness';
import { insight } from './insights';

jest.setTimeout(180_000);

const EXECUTIONS = pipelineMetricName('algorithmia', EXECUTIONS_METRIC);
const PROCESSES = 3;
const PARTITIONS = 6;
const MESSAGES = 3000;
/** insight(i) has algorithm i % 7 and version i % 3: every run of 21 messages holds each pair once. */
const PAIRS = 21;

const bed = new KafkaTestBed();
let datadog: DatadogDouble;
const runs: ForwarderProcess[] = [];

beforeEach(async () => {
  datadog = await DatadogDouble.start();
});
afterEach(async () => {
  await Promise.all(runs.splice(0).map((run) => run.terminate()));
  await datadog.close();
});
afterAll(() => bed.cleanup());

/** Resolves once the group is stable with `members` members (no rebalance will move partitions). */
async function groupStable(groupId: string, members: number): Promise<void> {
  const admin = bed.kafka.admin();
  await admin.connect();
  let state = '';
  try {
    await pollUntil(
      async () => {
        const [group] = (await admin.describeGroups([groupId])).groups;
        state = `${group.state}, ${group.members.length} members`;
        return group.state === 'Stable' && group.members.length === members;
      },
      { timeoutMs: 60_000, describe: () => state },
    );
  } finally {
    await admin.disconnect();
  }
}

async function endOffsets(topic: string): Promise<Map<number, number>> {
  const admin = bed.kafka.admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  } finally {
    await admin.disconnect();
  }
}

it('three processes in one group: every model counted exactly once per message', async () => {
  const topic = await bed.createTopic({ partitions: PARTITIONS });
  const groupId = uniqueName('group');
  const env = forwarderEnv(topic, groupId, datadog, { FORWARDER_HTTP_PORT: '0', FORWARDER_FLUSH_INTERVAL_MS: '200' });
  for (let i = 0; i < PROCESSES; i++) runs.push(new ForwarderProcess(env));
  // Produced once the partitions are shared out: a rebalance reads uncommitted messages again,
  // which counts them again (at least once, docs/running.md "Execution counts").
  await groupStable(groupId, PROCESSES);

  const messages = Array.from({ length: MESSAGES }, (_, i) => insight(i));
  const expected: Record<string, number> = {};
  for (const m of messages) expected[m.algorithm] = (expected[m.algorithm] ?? 0) + 1;
  for (let i = 0; i < MESSAGES; i += 500) {
    await bed.produce(
      topic,
      // Every partition gets every (algorithm, version): each process writes every series and
      // bucket the others write, so only the instance tag keeps their totals apart.
      messages.slice(i, i + 500).map((m) => ({ value: m.json, partition: Math.floor(m.index / PAIRS) % PARTITIONS })),
    );
  }

  // An offset is committed only once the count of its message was accepted: then the totals are final.
  await bed.waitForCommittedOffsets(groupId, topic, await endOffsets(topic), 90_000);
  const totals = datadog.countTotals(EXECUTIONS, 'algorithm_name');
  process.stdout.write(`execution counts: ${JSON.stringify(totals)}; expected ${JSON.stringify(expected)}\n`);
  expect(totals).toEqual(expected);
  expect(Object.keys(expected)).toHaveLength(7);

  // Each process wrote series of its own, and the values were sent as well.
  const instances = new Set(datadog.pointsFor(EXECUTIONS).map((point) => point.tags.find((tag) => tag.startsWith(`${INSTANCE_TAG_KEY}:`))));
  expect(instances.size).toBe(PROCESSES);
  expect(instances.has(undefined)).toBe(false);
  expect(new Set(datadog.pointsFor('algorithmia.duration_milliseconds').map((p) => p.value)).size).toBe(MESSAGES);
});

it('a stop sends the last totals before it commits the offsets of the messages they count', async () => {
  const topic = await bed.createTopic({ partitions: 2 });
  const groupId = uniqueName('group');
  const messages = Array.from({ length: 200 }, (_, i) => insight(i));
  await bed.produce(
    topic,
    messages.map((m) => m.json),
  );
  // Counts are flushed a minute after a touch: only the stop can send them in time.
  const running = await startForwarder(forwarderEnv(topic, groupId, datadog, { FORWARDER_FLUSH_INTERVAL_MS: '60000' }));
  try {
    await datadog.waitForPoints('algorithmia.duration_milliseconds', messages.length, 30_000);
    expect(datadog.countTotals(EXECUTIONS)).toEqual({});
    // Nothing is committed while the counts of the messages wait.
    expect([...(await bed.committedOffsets(groupId, topic)).values()].every((offset) => offset <= 0)).toBe(true);
  } finally {
    expect(await running.stop()).toEqual({ drained: true });
  }
  expect(datadog.countTotals(EXECUTIONS)).toEqual({ '': messages.length });
  expect(datadog.pointsFor(EXECUTIONS).every((point) => point.tags.includes(running.forwarder.instance))).toBe(true);
  await bed.waitForCommittedOffsets(groupId, topic, await endOffsets(topic), 10_000);
});

it('a process killed with SIGKILL mid-count loses no execution: what it had not committed is counted again', async () => {
  const topic = await bed.createTopic({ partitions: 2 });
  const groupId = uniqueName('group');
  const messages = Array.from({ length: 2000 }, (_, i) => insight(i));
  const expected: Record<string, number> = {};
  for (const m of messages) expected[m.algorithm] = (expected[m.algorithm] ?? 0) + 1;
  await bed.produce(
    topic,
    messages.map((m) => m.json),
  );
  const env = forwarderEnv(topic, groupId, datadog, { FORWARDER_HTTP_PORT: '0', FORWARDER_FLUSH_INTERVAL_MS: '200' });
  const first = new ForwarderProcess(env);
  runs.push(first);
  // Killed once some totals were accepted: the sum of what it sent and what the next process counts.
  await pollUntil(() => Object.keys(datadog.countTotals(EXECUTIONS)).length > 0, { timeoutMs: 60_000, describe: () => 'no count yet' });
  await first.kill9();
  runs.push(new ForwarderProcess(env));
  await bed.waitForCommittedOffsets(groupId, topic, await endOffsets(topic), 90_000);
  const totals = datadog.countTotals(EXECUTIONS, 'algorithm_name');
  process.stdout.write(`execution counts after SIGKILL: ${JSON.stringify(totals)}; expected at least ${JSON.stringify(expected)}\n`);
  for (const [algorithm, count] of Object.entries(expected)) {
    expect(totals[algorithm]).toBeGreaterThanOrEqual(count);
    // Counted twice at most: only what the killed process had sent and not committed is read again.
    expect(totals[algorithm]).toBeLessThanOrEqual(2 * count);
  }
});
