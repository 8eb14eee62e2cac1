import type { Consumer, EachBatchPayload, IMemberAssignment, Kafka, KafkaMessage } from 'kafkajs';
import type { TopicPartitionOffset } from '../commit/offset-committer';
import type { ForwarderConfig } from '../config/config';
import type { Logger } from '../observe/logger';
import type { ForwarderMetrics } from '../observe/metrics';
import { consumerConfig } from './kafka-client';

/**
 * A full buffer usually has room again within a request or two: for this long the current fetch
 * waits for it (heartbeating) before consumption is paused instead (Datadog slow or down).
 */
const FULL_BUFFER_WAIT_MS = 2000;

export interface KafkaSourceOptions {
  readonly config: ForwarderConfig;
  readonly logger: Logger;
  readonly metrics: ForwarderMetrics;
  /** True while the pipeline can take no more records (the forwarder's buffer bounds). */
  readonly noRoom: () => boolean;
  /** Points read and not yet accepted, for the pause and resume log lines. */
  readonly bufferedPoints: () => number;
  /** A partition's fetched records, in offset order; the source resolves them once handed over. */
  readonly onRecords: (topic: string, partition: number, messages: KafkaMessage[]) => void;
  /**
   * This member joined the group (again) and was given `assignment`: offsets of the previous
   * generation are not its own any more.
   */
  readonly onJoin: (assignment: IMemberAssignment) => void;
}

/**
 * The Kafka consumer side: the group membership, fetches handed to the pipeline partition by
 * partition, and back-pressure on them. A fetch waits (heartbeating) while the pipeline has no
 * room; still none after FULL_BUFFER_WAIT_MS, consumption pauses until `resumeAll`.
 */
export class KafkaSource {
  private readonly consumer: Consumer;
  private paused = false;
  private joined = false;
  private crashed = false;
  /** consumer.run() was called: there is a group to commit to and leave. */
  private consuming = false;
  private stopping = false;
  /** Woken when there may be room again, or a stop begins: a fetch waiting for room. */
  private roomWaiters: (() => void)[] = [];

  constructor(
    kafka: Kafka,
    private readonly options: KafkaSourceOptions,
  ) {
    this.consumer = kafka.consumer(consumerConfig(options.config));
    const { consumer } = this;
    const { logger } = options;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      options.onJoin(payload.memberAssignment);
      this.joined = true;
      logger.info({ memberId: payload.memberId, assignment: payload.memberAssignment }, 'joined consumer group');
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.crashed = true;
      logger.error({ err: payload.error, restart: payload.restart }, 'Kafka consumer crashed');
    });
    consumer.on(consumer.events.STOP, () => {
      this.joined = false;
    });
  }

  /** Joins the group and starts fetching. */
  async start(): Promise<void> {
    const { kafka } = this.options.config;
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...kafka.topics], fromBeginning: kafka.fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.consume(payload),
    });
    this.consuming = true;
  }

  /** In the group, with partitions to read. */
  get isJoined(): boolean {
    return this.joined;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** The consumer crashed and will not restart. */
  get hasCrashed(): boolean {
    return this.crashed;
  }

  /** Whether there is a group to commit to and leave. */
  get isConsuming(): boolean {
    return this.consuming;
  }

  commitOffsets(offsets: TopicPartitionOffset[]): Promise<void> {
    return this.consumer.commitOffsets(offsets);
  }

  /** There may be room again: a fetch waiting for it looks again. */
  roomMade(): void {
    for (const wake of this.roomWaiters.splice(0)) wake();
  }

  /** No more records from now on: a waiting fetch is let go, and every partition paused. */
  stopFetching(): void {
    this.stopping = true;
    this.roomMade();
    if (this.consuming) this.pauseAll();
  }

  /** Leaves the group. */
  async disconnect(): Promise<void> {
    await this.consumer.disconnect().catch((err) => this.options.logger.warn({ err }, 'consumer disconnect failed'));
  }

  pauseAll(): void {
    if (this.paused) return;
    const { config, metrics, logger } = this.options;
    this.paused = true;
    this.consumer.pause(config.kafka.topics.map((topic) => ({ topic })));
    metrics.paused.set(1);
    if (!this.stopping)
      logger.warn({ bufferedPoints: this.options.bufferedPoints() }, 'send buffer full: consumption paused until Datadog catches up');
  }

  /** Resumes a paused consumption (not while stopping). */
  resumeAll(): void {
    if (!this.paused || this.stopping) return;
    const { config, metrics, logger } = this.options;
    this.paused = false;
    this.consumer.resume(config.kafka.topics.map((topic) => ({ topic })));
    metrics.paused.set(0);
    logger.info({ bufferedPoints: this.options.bufferedPoints() }, 'consumption resumed');
  }

  /**
   * kafkajs' eachBatch: hands a partition's records to the pipeline and returns, so that kafkajs
   * fetches the next ones while these are decoded (in the translator's thread).
   */
  // kafkajs passes these as closures (its typings declare methods).
  // eslint-disable-next-line @typescript-eslint/unbound-method
  private async consume({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    // Records fetched before a pause are left unresolved: kafkajs fetches them again on resume.
    if (this.paused || this.stopping || batch.messages.length === 0) return;
    if (this.options.noRoom()) {
      await this.waitForRoom(heartbeat);
      if (this.paused || this.stopping) return;
    }
    const { topic, partition, messages } = batch;
    this.options.onRecords(topic, partition, messages);
    resolveOffset(batch.lastOffset());
    this.options.metrics.consumerLag.labels(topic, String(partition)).set(Number(batch.offsetLag()));
  }

  /**
   * Holds this fetch until there is room (kafkajs fetches nothing meanwhile): a decode away, or a
   * request or two when the send buffer is full. Pausing instead would drop the rest of the fetch
   * in hand (read again later) and, on resuming, sleep up to the fetch wait time before reading.
   * Still no room after FULL_BUFFER_WAIT_MS: consumption pauses until Datadog catches up.
   */
  private async waitForRoom(heartbeat: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + FULL_BUFFER_WAIT_MS;
    while (this.options.noRoom() && !this.stopping) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        this.pauseAll();
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 500));
        this.roomWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      // The group must not think this member died while it waits; a rebalance throws here and
      // kafkajs rejoins (what was read stays uncommitted until sent).
      await heartbeat();
    }
  }
}
