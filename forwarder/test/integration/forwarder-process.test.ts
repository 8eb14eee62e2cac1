/**
 * The forwarder as users run it: the built bin in its own process, configured by environment,
 * stopped by signals.
 */
import { DatadogDouble, KafkaTestBed, pollUntil, ForwarderProcess, uniqueName } from '@algorithmia-datadog/testbed';
import { forwarderEnv } from './forwarder-harness';
import { insight } from './insights';

jest.setTimeout(120_000);

const bed = new KafkaTestBed();
let datadog: DatadogDouble;

beforeEach(async () => {
  datadog = await DatadogDouble.start();
});
afterEach(() => datadog.close());
afterAll(() => bed.cleanup());

describe('forwarder process', () => {
  it('exits 2 with one line naming the bad setting, and never prints the API key', async () => {
    const run = new ForwarderProcess({
      DD_API_KEY: 'secret-marker-key',
      KAFKA_BROKER: '127.0.0.1:1',
      KAFKA_TOPIC: 't',
      DD_SITE: 'example.com',
    });
    expect((await run.exited).code).toBe(2);
    expect(run.output().trim().split('\n')).toEqual([
      expect.stringMatching(/^algorithmia-datadog-forwarder: configuration error: DD_SITE: "example.com" is not a Datadog site/),
    ]);
    expect(run.output()).not.toContain('secret-marker-key');
  });

  it('exits 2 naming KAFKA_TOPIC or KAFKA_DLQ_TOPIC when the topic does not exist', async () => {
    const topic = await bed.createTopic();
    const missing = uniqueName('missing');
    const base = forwarderEnv(topic, uniqueName('group'), datadog, { FORWARDER_HTTP_PORT: '0' });
    const noSource = new ForwarderProcess({ ...base, KAFKA_TOPIC: missing });
    expect((await noSource.exited).code).toBe(2);
    expect(noSource.errors().trim()).toBe(
      `algorithmia-datadog-forwarder: configuration error: KAFKA_TOPIC: topic "${missing}" does not exist on ${base.KAFKA_BROKER}`,
    );
    const noDeadLetters = new ForwarderProcess({ ...base, KAFKA_DLQ_TOPIC: missing });
    expect((await noDeadLetters.exited).code).toBe(2);
    expect(noDeadLetters.errors()).toContain(`KAFKA_DLQ_TOPIC: topic "${missing}" does not exist`);
  });

  it('stops on SIGTERM mid-stream with exit 0, and a restart loses nothing and repeats nothing committed', async () => {
    const topic = await bed.createTopic({ partitions: 3 });
    const groupId = uniqueName('group');
    const total = 6000;
    for (let i = 0; i < total; i += 1000) {
      await bed.produce(
        topic,
        Array.from({ length: 1000 }, (_, j) => ({ value: insight(i + j).json })),
      );
    }
    // Slow answers keep requests in flight when the signal arrives.
    // Slow answers and a small buffer keep the stream going (and requests in flight) at the signal.
    datadog.delayNext(1_000_000, 300);
    const env = forwarderEnv(topic, groupId, datadog, {
      FORWARDER_HTTP_PORT: '0',
      FORWARDER_BATCH_MAX_BYTES: '50000',
      FORWARDER_MAX_BUFFERED_POINTS: '2000',
      FORWARDER_SHUTDOWN_TIMEOUT_MS: '15000',
    });
    const first = new ForwarderProcess(env);
    await datadog.waitFor((dd) => dd.pointCount() >= 1000, 60_000, 'points before the signal');
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');
    expect(first.output()).not.toContain(datadog.apiKey);

    const committed = await bed.committedOffsets(groupId, topic);
    const committedMessages = [...committed.values()].reduce((sum, offset) => sum + Math.max(offset, 0), 0);
    const deliveredAtStop = new Set(datadog.pointsFor('algorithmia.duration_milliseconds').map((p) => p.value)).size;
    // What was delivered and committed is never delivered again; what was delivered and not yet
    // committed (in flight at the signal) may be.
    expect(committedMessages).toBeGreaterThan(0);
    expect(committedMessages).toBeLessThanOrEqual(deliveredAtStop);
    expect(deliveredAtStop).toBeLessThan(total);

    datadog.behave();
    const second = new ForwarderProcess(env);
    try {
      await pollUntil(() => second.output().includes('"msg":"consuming"'), { timeoutMs: 30_000, describe: second.output });
      await datadog.waitFor(
        (dd) => new Set(dd.pointsFor('algorithmia.duration_milliseconds').map((p) => p.value)).size >= total,
        60_000,
        'every message after the restart',
      );
      const values = datadog.pointsFor('algorithmia.duration_milliseconds').map((p) => p.value as number);
      expect(new Set(values).size).toBe(total);
      const duplicates = values.length - total;
      expect(duplicates).toBeLessThanOrEqual(deliveredAtStop - committedMessages);
      await pollUntil(
        async () => {
          const offsets = await bed.committedOffsets(groupId, topic);
          return [...offsets.values()].reduce((s, o) => s + Math.max(o, 0), 0) === total;
        },
        { timeoutMs: 20_000, describe: () => 'all offsets committed' },
      );
    } catch (error) {
      process.stderr.write(`second forwarder output:\n${second.output()}\n`);
      throw error;
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    expect((await second.exited).code).toBe(0);
  });
});
