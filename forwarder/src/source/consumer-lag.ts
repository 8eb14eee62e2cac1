import { COUNT_INTERVAL_SECONDS } from '@algorithmia-datadog/metric-declaration';
import type { Admin, IMemberAssignment } from 'kafkajs';
import type { OncePerKind } from '../observe/logger';
import type { ForwarderMetrics } from '../observe/metrics';

export interface ConsumerLagOptions {
  /** A kafkajs admin client of the forwarder's Kafka client; connected on first use. */
  readonly admin: Admin;
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a partition without a committed offset starts (KAFKA_FROM_BEGINNING). */
  readonly fromBeginning: boolean;
  readonly metrics: ForwarderMetrics;
  readonly logOnce: OncePerKind;
  readonly nowMs?: () => number;
}

/** Where this process is in one partition: the next offset to read, and the time of the last record read. */
interface Position {
  readonly next: bigint;
  readonly lastTimestampMs: number;
}

/** One partition's lag as measured. */
interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly messages: number;
  readonly seconds: number;
}

/**
 * The consumer lag of the partitions this process is assigned, measured every
 * COUNT_INTERVAL_SECONDS and on each group join with the admin API: each partition's high
 * watermark (fetchTopicOffsets) against where this process is, which is the record after the last
 * one it read, or, for a partition it has not read since joining, the group's committed offset
 * (fetchOffsets; without one, the earliest or latest offset as KAFKA_FROM_BEGINNING says).
 *
 * Lag in seconds: a partition with lag has records newer than the last one read; how far behind
 * that record is, is `now − its Kafka timestamp`. That is the age of the oldest unread record,
 * over-estimated by at most the gap between two records, which is what matters while a backlog
 * builds up (records arrive densely). It is measured, not guessed from a rate, so it stays right
 * when the rate changes. A caught-up partition is 0 whatever its last record's age. A partition
 * with lag that this process has not read from since joining has no record time yet: it counts as
 * 0 seconds (its lag in messages is known) until its first fetch, which follows the join at once
 * unless the send buffer is full.
 *
 * The results go to /metrics (forwarder_consumer_lag{topic,partition},
 * forwarder_consumer_lag_seconds{topic}), which the health report reads.
 */
export class ConsumerLag {
  private assignment: IMemberAssignment = {};
  private readonly positions = new Map<string, Position>();
  private connected = false;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private stopped = false;
  private readonly nowMs: () => number;

  constructor(private readonly options: ConsumerLagOptions) {
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** Measures every COUNT_INTERVAL_SECONDS from now on (the first time at the next join). */
  start(): void {
    this.timer = setInterval(() => void this.poll(), COUNT_INTERVAL_SECONDS * 1000);
    this.timer.unref();
  }

  /**
   * The group gave this process `assignment`: positions of the previous generation are not its
   * own any more (kafkajs reads again from the committed offsets). Resolves once measured.
   */
  joined(assignment: IMemberAssignment): Promise<void> {
    this.assignment = assignment;
    this.positions.clear();
    return this.poll();
  }

  /** The last record of a fetch of `topic`/`partition` was handed to the pipeline. */
  read(topic: string, partition: number, lastOffset: string, lastTimestampMs: number): void {
    this.positions.set(key(topic, partition), { next: BigInt(lastOffset) + 1n, lastTimestampMs });
  }

  /** Measures now; a measurement asked for while one runs follows it (with the newest assignment). */
  poll(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return this.polling;
    }
    this.polling = (async () => {
      do {
        this.pollAgain = false;
        await this.measure();
      } while (this.pollAgain && !this.stopped);
    })().finally(() => (this.polling = undefined));
    return this.polling;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    // Not waiting for a measurement under way: disconnecting ends it, and a stop keeps its deadline.
    if (this.connected) await this.options.admin.disconnect().catch(() => undefined);
    this.connected = false;
  }

  private async measure(): Promise<void> {
    if (this.stopped) return;
    const { admin, groupId, metrics, logOnce } = this.options;
    const assignment = this.assignment;
    const topics = Object.keys(assignment).filter((topic) => (assignment[topic]?.length ?? 0) > 0);
    let lags: PartitionLag[];
    try {
      if (!this.connected) {
        await admin.connect();
        this.connected = true;
        if (this.stopped) return void (await this.stop());
      }
      const committed = new Map<string, bigint>();
      if (topics.length > 0) {
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
          for (const { partition, offset } of partitions) committed.set(key(topic, partition), BigInt(offset));
        }
      }
      lags = [];
      for (const topic of topics) {
        const watermarks = new Map((await admin.fetchTopicOffsets(topic)).map((entry) => [entry.partition, entry]));
        for (const partition of assignment[topic] ?? []) {
          const marks = watermarks.get(partition);
          if (marks === undefined) continue;
          lags.push({ topic, partition, ...this.lagOf(topic, partition, BigInt(marks.low), BigInt(marks.high), committed) });
        }
      }
    } catch (err) {
      // The last measurement stays in /metrics; the next one is COUNT_INTERVAL_SECONDS away.
      logOnce.warn('consumer-lag', { err }, 'measuring the consumer lag failed; trying again at the next interval');
      return;
    }
    if (this.assignment !== assignment) return; // a join in between: the next measurement is on its way
    metrics.consumerLag.reset();
    const worst = new Map<string, number>(this.options.topics.map((topic) => [topic, 0]));
    for (const lag of lags) {
      metrics.consumerLag.labels(lag.topic, String(lag.partition)).set(lag.messages);
      worst.set(lag.topic, Math.max(worst.get(lag.topic) ?? 0, lag.seconds));
    }
    for (const [topic, seconds] of worst) metrics.consumerLagSeconds.labels(topic).set(seconds);
  }

  private lagOf(
    topic: string,
    partition: number,
    low: bigint,
    high: bigint,
    committed: ReadonlyMap<string, bigint>,
  ): { messages: number; seconds: number } {
    const read = this.positions.get(key(topic, partition));
    const groupOffset = committed.get(key(topic, partition)) ?? -1n;
    let next = groupOffset >= 0n ? groupOffset : this.options.fromBeginning ? low : high;
    if (read !== undefined && read.next > next) next = read.next;
    // Records deleted by retention cannot be read: the next one is the earliest kept.
    if (next < low) next = low;
    const messages = high > next ? Number(high - next) : 0;
    const seconds = messages > 0 && read !== undefined ? Math.max(0, (this.nowMs() - read.lastTimestampMs) / 1000) : 0;
    return { messages, seconds };
  }
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
