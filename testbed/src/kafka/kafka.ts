/**
 * Kafka helpers for integration tests, against the broker named by KAFKA_BROKER (set by the jest
 * global setup, or by the user for their own cluster). Each test file makes its own KafkaTestBed
 * and its own uniquely named topics, so test files never see each other's messages:
 *
 *   const bed = new KafkaTestBed();
 *   afterAll(() => bed.cleanup());
 *   const topic = await bed.createTopic({ partitions: 3 });
 *   await bed.produce(topic, [{ key: 'a', value: '{"x":1}' }]);
 *   const received = await bed.collect(topic, { count: 1 });
 */
import { randomBytes } from 'node:crypto';

import { Admin, Consumer, IHeaders, ITopicConfig, Kafka, KafkaConfig, logLevel, Partitioners, Producer, RecordMetadata } from 'kafkajs';

import { pollUntil, withDeadline } from '../wait';

/** The bootstrap brokers from KAFKA_BROKER (comma-separated host:port list). */
export function kafkaBrokers(): string[] {
  const brokers = (process.env.KAFKA_BROKER ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  if (brokers.length === 0) {
    throw new Error('KAFKA_BROKER is not set: run integration tests through jest (its global setup starts a broker) or set it');
  }
  return brokers;
}

/** A topic (or group, or client id) name no other test run uses: prefix.<time>.<random>. */
export function uniqueName(prefix = 'test'): string {
  return `${prefix}.${Date.now().toString(36)}.${randomBytes(4).toString('hex')}`;
}

/** kafkajs' own logging is off unless KAFKAJS_LOG_LEVEL says otherwise (error, warn, info, debug). */
function logLevelFromEnv(): logLevel {
  const levels: Record<string, logLevel> = {
    nothing: logLevel.NOTHING,
    error: logLevel.ERROR,
    warn: logLevel.WARN,
    info: logLevel.INFO,
    debug: logLevel.DEBUG,
  };
  return levels[(process.env.KAFKAJS_LOG_LEVEL ?? 'nothing').toLowerCase()] ?? logLevel.NOTHING;
}

/** A kafkajs client for the test broker, with quiet logs and short timeouts suited to tests. */
export function createKafka(overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: uniqueName('testbed'),
    brokers: kafkaBrokers(),
    logLevel: logLevelFromEnv(),
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    ...overrides,
  });
}

export interface TopicOptions {
  /** Prefix of the unique name. Default 'test'. */
  prefix?: string;
  /** Default 1. */
  partitions?: number;
  /** Topic configs, e.g. { 'retention.ms': '60000' }. */
  config?: Record<string, string>;
}

/**
 * createTopics, then waits until every partition has a leader. kafkajs' own wait
 * (`waitForLeaders`) retries only LEADER_NOT_AVAILABLE, but a loaded broker may first answer the
 * metadata request with UNKNOWN_TOPIC_OR_PARTITION for a topic it has just created.
 */
export async function createTopicWithLeaders(admin: Admin, spec: ITopicConfig, timeoutMs = 30_000): Promise<void> {
  try {
    await admin.createTopics({ topics: [spec], waitForLeaders: true });
  } catch (error) {
    const type = (error as { type?: string }).type ?? (error as { cause?: { type?: string } }).cause?.type;
    if (type !== 'UNKNOWN_TOPIC_OR_PARTITION' && type !== 'LEADER_NOT_AVAILABLE') throw error;
    await pollUntil(
      async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: [spec.topic] });
        const partitions = topics[0]?.partitions ?? [];
        return partitions.length === (spec.numPartitions ?? 1) && partitions.every((p) => p.leader >= 0);
      },
      { timeoutMs, intervalMs: 200, describe: () => `leaders of the new topic ${spec.topic}` },
    );
  }
}

/** A message to produce: a plain string is a value without key. */
export type OutgoingMessage =
  | string
  | {
      key?: string | Buffer | null;
      value: string | Buffer | null;
      partition?: number;
      headers?: IHeaders;
      /** Milliseconds since the epoch, as a string (kafkajs' convention). */
      timestamp?: string;
    };

/** A consumed message, decoded as UTF-8. */
export interface ReceivedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string | undefined>;
  timestamp: string;
}

export interface CollectOptions {
  /** Resolve once this many messages arrived. */
  count: number;
  /** Reject (DeadlineExceeded) when they have not within this time. Default 20 000. */
  timeoutMs?: number;
  /** Default: a unique group, so nothing is shared with the code under test. */
  groupId?: string;
  /** Default true. */
  fromBeginning?: boolean;
}

export class KafkaTestBed {
  readonly kafka: Kafka;
  private readonly createdTopics = new Set<string>();
  private readonly openConsumers = new Set<Consumer>();
  private admin: Admin | undefined;
  private producer: Producer | undefined;

  constructor(kafkaOverrides: Partial<KafkaConfig> = {}) {
    this.kafka = createKafka(kafkaOverrides);
  }

  /** Creates a uniquely named topic, waits for its partition leaders, returns its name. */
  async createTopic(options: TopicOptions = {}): Promise<string> {
    const topic = uniqueName(options.prefix ?? 'test');
    const admin = await this.connectedAdmin();
    await createTopicWithLeaders(admin, {
      topic,
      numPartitions: options.partitions ?? 1,
      replicationFactor: 1,
      configEntries: Object.entries(options.config ?? {}).map(([name, value]) => ({ name, value })),
    });
    this.createdTopics.add(topic);
    return topic;
  }

  async deleteTopics(topics: string[]): Promise<void> {
    if (topics.length === 0) return;
    const admin = await this.connectedAdmin();
    await admin.deleteTopics({ topics, timeout: 10_000 });
    for (const topic of topics) this.createdTopics.delete(topic);
  }

  /** Produces `messages` to `topic` with acks from all replicas; resolves once they are written. */
  async produce(topic: string, messages: OutgoingMessage[]): Promise<RecordMetadata[]> {
    const producer = await this.connectedProducer();
    return producer.send({
      topic,
      acks: -1,
      messages: messages.map((message) => (typeof message === 'string' ? { value: message } : message)),
    });
  }

  /**
   * Consumes `topic` with its own consumer until `count` messages arrived; rejects with what it
   * got when they have not by the deadline, or when the consumer crashes.
   */
  async collect(topic: string, options: CollectOptions): Promise<ReceivedMessage[]> {
    if (options.count <= 0) return [];
    const timeoutMs = options.timeoutMs ?? 20_000;
    const received: ReceivedMessage[] = [];
    const consumer = this.kafka.consumer({
      groupId: options.groupId ?? uniqueName('testbed-collector'),
      // Tests run one consumer per group: no reason to wait for others to join.
      rebalanceTimeout: 10_000,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 200,
    });
    this.openConsumers.add(consumer);
    try {
      const collected = new Promise<void>((resolve, reject) => {
        consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
        const run = async (): Promise<void> => {
          await consumer.connect();
          await consumer.subscribe({ topics: [topic], fromBeginning: options.fromBeginning ?? true });
          await consumer.run({
            eachMessage: async ({ topic: from, partition, message }) => {
              received.push({
                topic: from,
                partition,
                offset: message.offset,
                key: message.key?.toString('utf8') ?? null,
                value: message.value?.toString('utf8') ?? null,
                headers: decodeHeaders(message.headers),
                timestamp: message.timestamp,
              });
              if (received.length >= options.count) resolve();
            },
          });
        };
        run().catch(reject);
      });
      await withDeadline(collected, {
        timeoutMs,
        describe: () => `collected ${received.length} of ${options.count} messages from ${topic}`,
      });
      return received;
    } finally {
      await this.closeConsumer(consumer);
    }
  }

  /**
   * Every message in `topic` up to its current end (its high watermarks when called), by partition
   * then offset. Not for transactional topics, whose control records leave offset gaps.
   */
  async readAll(topic: string, timeoutMs = 20_000): Promise<ReceivedMessage[]> {
    const admin = await this.connectedAdmin();
    const offsets = await admin.fetchTopicOffsets(topic);
    const total = offsets.reduce((sum, { high, low }) => sum + (Number(high) - Number(low)), 0);
    const messages = await this.collect(topic, { count: total, timeoutMs });
    return messages
      .filter((message) => {
        const end = offsets.find(({ partition }) => partition === message.partition)?.high ?? '0';
        return BigInt(message.offset) < BigInt(end);
      })
      .sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  }

  /** The offsets `groupId` committed on `topic`, by partition; -1 where it committed none. */
  async committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
    const admin = await this.connectedAdmin();
    const [forTopic] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((forTopic?.partitions ?? []).map(({ partition, offset }) => [partition, Number(offset)]));
  }

  /** Polls until `groupId` has committed at least `expected` (partition → next offset) on `topic`. */
  async waitForCommittedOffsets(
    groupId: string,
    topic: string,
    expected: ReadonlyMap<number, number> | Record<number, number>,
    timeoutMs = 20_000,
  ): Promise<Map<number, number>> {
    const wanted = expected instanceof Map ? expected : new Map(Object.entries(expected).map(([p, o]) => [Number(p), o]));
    let last = new Map<number, number>();
    return pollUntil(
      async () => {
        last = await this.committedOffsets(groupId, topic);
        return [...wanted].every(([partition, offset]) => (last.get(partition) ?? -1) >= offset) ? last : undefined;
      },
      {
        timeoutMs,
        intervalMs: 200,
        describe: () =>
          `group ${groupId} committed ${JSON.stringify(Object.fromEntries(last))}, wanted ${JSON.stringify(Object.fromEntries(wanted))}`,
      },
    );
  }

  /** Deletes the topics this bed created and disconnects its clients. Call in afterAll. */
  async cleanup(): Promise<void> {
    for (const consumer of this.openConsumers) await this.closeConsumer(consumer);
    try {
      if (this.createdTopics.size > 0) await this.deleteTopics([...this.createdTopics]);
    } finally {
      await this.producer?.disconnect().catch(() => undefined);
      await this.admin?.disconnect().catch(() => undefined);
      this.producer = undefined;
      this.admin = undefined;
    }
  }

  private async connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      // The Java client's partitioner (murmur2 on the key), stated to silence kafkajs' v2 notice.
      const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  private async closeConsumer(consumer: Consumer): Promise<void> {
    this.openConsumers.delete(consumer);
    await consumer.disconnect().catch(() => undefined);
  }
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string | undefined> {
  const decoded: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    decoded[name] = first === undefined ? undefined : first.toString();
  }
  return decoded;
}
