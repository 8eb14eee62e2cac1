/**
 * Proves the test bed: real messages go through the real broker (started by the global setup,
 * or the user's KAFKA_BROKER) and come back, with the helpers that the forwarder's integration
 * tests use.
 */
import { KafkaTestBed, uniqueName } from '@algorithmia-datadog/testbed';

jest.setTimeout(60_000);

describe('Kafka test bed round trip', () => {
  const bed = new KafkaTestBed();

  afterAll(() => bed.cleanup());

  it('produces messages and consumes them back, with keys, headers and order', async () => {
    const topic = await bed.createTopic({ prefix: 'roundtrip' });
    const sent = Array.from({ length: 5 }, (_, i) => ({
      key: `algo-${i % 2}`,
      value: JSON.stringify({ sequence: i }),
      headers: { source: 'kafka-roundtrip.test' },
    }));

    await bed.produce(topic, sent);
    const received = await bed.collect(topic, { count: sent.length });

    expect(received.map(({ key, value, headers }) => ({ key, value, headers }))).toEqual(sent);
    expect(received.map((message) => message.offset)).toEqual(['0', '1', '2', '3', '4']);
  });

  it('spreads keyed messages over partitions and keeps their order per key', async () => {
    const topic = await bed.createTopic({ prefix: 'roundtrip-partitions', partitions: 3 });
    const keys = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
    const sent = Array.from({ length: 60 }, (_, i) => ({ key: keys[i % keys.length], value: String(i) }));

    await bed.produce(topic, sent);
    const received = await bed.readAll(topic);

    expect(received).toHaveLength(sent.length);
    expect(new Set(received.map((message) => message.partition)).size).toBeGreaterThan(1);
    for (const key of keys) {
      const ofKey = received.filter((message) => message.key === key);
      expect(new Set(ofKey.map((message) => message.partition)).size).toBe(1);
      expect(ofKey.map((message) => message.value)).toEqual(sent.filter((message) => message.key === key).map((message) => message.value));
    }
  });

  it("shows a consumer group's committed offsets", async () => {
    const topic = await bed.createTopic({ prefix: 'roundtrip-commits', partitions: 2 });
    await bed.produce(topic, [
      { value: 'a', partition: 0 },
      { value: 'b', partition: 0 },
      { value: 'c', partition: 1 },
    ]);
    const groupId = uniqueName('roundtrip-group');
    const consumer = bed.kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ autoCommitInterval: 100, eachMessage: async () => undefined });

      const committed = await bed.waitForCommittedOffsets(groupId, topic, { 0: 2, 1: 1 });

      expect(Object.fromEntries(committed)).toEqual({ 0: 2, 1: 1 });
    } finally {
      await consumer.disconnect();
    }
  });

  it('deletes the topics it created', async () => {
    const topic = await bed.createTopic({ prefix: 'roundtrip-delete' });
    const admin = bed.kafka.admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).toContain(topic);
      await bed.deleteTopics([topic]);
      expect(await admin.listTopics()).not.toContain(topic);
    } finally {
      await admin.disconnect();
    }
  });

  it('collect fails at its deadline with what it received', async () => {
    const topic = await bed.createTopic({ prefix: 'roundtrip-deadline' });
    await bed.produce(topic, ['only one']);

    await expect(bed.collect(topic, { count: 2, timeoutMs: 3_000 })).rejects.toThrow(/collected 1 of 2 messages/);
  });
});
