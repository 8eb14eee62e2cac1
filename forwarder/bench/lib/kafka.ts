/** kafkajs helpers for the bench driver: topics, bulk and paced producing. */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { createTopicWithLeaders, pollUntil } from '@algorithmia-datadog/testbed';

/**
 * Messages per produce request: each partition's share stays far below the broker's 1 MB limit
 * on a record batch (message.max.bytes), which a request of tens of thousands would pass and
 * have refused on every retry.
 */
const MESSAGES_PER_REQUEST = 2000;

export function benchKafka(brokers: string): Kafka {
  return new Kafka({
    clientId: 'bench-driver',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 30_000,
  });
}

export function uniqueName(prefix: string): string {
  return `${prefix}.${Date.now().toString(36)}.${randomBytes(3).toString('hex')}`;
}

export async function createTopic(kafka: Kafka, prefix: string, partitions: number): Promise<string> {
  const topic = uniqueName(prefix);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicWithLeaders(admin, { topic, numPartitions: partitions, replicationFactor: 1 });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

export async function deleteTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteTopics({ topics, timeout: 30_000 });
  } catch {
    // best effort: the bench broker is private and wiped on its next start anyway
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Resolves with Date.now() once the broker reports `groupId` Stable with a member: how a consumer
 * that does not say when it joined (Telegraf) is known to be ready. Polled every 50 ms.
 */
export async function waitForStableGroup(kafka: Kafka, groupId: string, timeoutMs: number): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await pollUntil(
      async () => {
        const { groups } = await admin.describeGroups([groupId]);
        return groups[0]?.state === 'Stable' && groups[0].members.length > 0;
      },
      { timeoutMs, intervalMs: 50, describe: () => `group ${groupId} not stable` },
    );
    return Date.now();
  } finally {
    await admin.disconnect();
  }
}

export async function connectedProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  return producer;
}

/**
 * Sends messages 0..count-1 (value from `make`, key = id so they spread over partitions), `batch`
 * per request and `concurrency` requests at a time, acks from all replicas. A failed request is
 * sent again until it succeeds: the caller can count on every id being in the topic.
 */
export async function produceRange(
  producer: Producer,
  topic: string,
  from: number,
  to: number,
  make: (id: number) => string,
  options: { batch?: number; concurrency?: number; onProgress?: (done: number) => void } = {},
): Promise<void> {
  const batch = options.batch ?? MESSAGES_PER_REQUEST;
  const concurrency = options.concurrency ?? 4;
  let next = from;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < to) {
      const start = next;
      const end = Math.min(to, start + batch);
      next = end;
      const messages = [];
      for (let id = start; id < end; id++) messages.push({ key: String(id), value: make(id) });
      await sendUntilAcked(producer, topic, messages);
      done += end - start;
      options.onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export async function sendUntilAcked(
  producer: Producer,
  topic: string,
  messages: { key: string; value: string }[],
  signal?: AbortSignal,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await producer.send({ topic, acks: -1, messages });
      return;
    } catch (error) {
      if (signal?.aborted || attempt > 1000) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * attempt)));
    }
  }
}

/**
 * Produces `rate` messages/s (ids from `firstId` on, stamped with the send time) until stopped;
 * `onSent(id, ms)` is called as each id is handed to the producer. `stop()` resolves once
 * every message sent so far is acknowledged, with the number of ids produced.
 */
export class PacedProducer {
  private nextId: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private started = 0;
  private sentAtStart: number;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly rate: number,
    private readonly make: (id: number, epochMs: number) => string,
    private readonly onSent: (id: number, epochMs: number) => void = () => undefined,
    firstId = 0,
    private readonly tickMs = 10,
  ) {
    this.nextId = firstId;
    this.sentAtStart = firstId;
  }

  get produced(): number {
    return this.nextId;
  }

  start(): this {
    this.started = Date.now();
    this.sentAtStart = this.nextId;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    return this;
  }

  async stop(): Promise<number> {
    clearInterval(this.timer);
    this.timer = undefined;
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    return this.nextId;
  }

  private tick(): void {
    const now = Date.now();
    const due = this.sentAtStart + Math.floor(((now - this.started) * this.rate) / 1000);
    if (due <= this.nextId) return;
    // A tick that fires late (a busy event loop) has many due at once: split into requests the broker takes.
    for (let from = this.nextId; from < due; from += MESSAGES_PER_REQUEST) {
      const messages = [];
      for (let id = from; id < Math.min(due, from + MESSAGES_PER_REQUEST); id++) {
        messages.push({ key: String(id), value: this.make(id, now) });
        this.onSent(id, now);
      }
      const sent = sendUntilAcked(this.producer, this.topic, messages).finally(() => this.inFlight.delete(sent));
      this.inFlight.add(sent);
    }
    this.nextId = due;
  }
}
