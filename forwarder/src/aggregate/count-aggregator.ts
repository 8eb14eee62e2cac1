/**
 * Count points (the execution count) → running totals per series and bucket of message time.
 *
 * Datadog stores a count point as sent: for one series and timestamp the last write wins, nothing
 * is added up. Sending each message's 1 would leave one per bucket, so this stage keeps the
 * running total of each (series, bucket) and sends the total of every bucket touched since the
 * last flush: sending a total again overwrites it, never counts twice. Each series carries this
 * process's instance tag (the translator adds it, translate.ts `executionTags`), so that other
 * replicas and later starts of the forwarder, which have totals of their own, write series of
 * their own instead of overwriting these.
 *
 * One count batch is in flight at a time, so an older total can never land after a newer one.
 * The translator sums a fetch's executions per series and interval (records.ts) and each sum
 * comes with the first message it counted: that message waits (its offset stays uncommitted)
 * until the batch carrying its bucket's new total has settled, and since offsets commit in
 * order, every later message of its partition waits with it.
 */
import { COUNT_INTERVAL_SECONDS } from '@algorithmia-datadog/metric-declaration';
import { Batch } from '../batch/batch';
import type { Ack } from '../commit/offset-ledger';
import { MAX_POINT_AGE_SECONDS } from '../common/datadog-window';
import type { PointDropReason, Series } from '../translate/point';

export interface CountAggregatorOptions {
  /** A touched bucket's total is sent at most this long after the touch (the batch flush interval). */
  readonly flushIntervalMs: number;
  /** A count batch is closed past this estimated size; the rest goes in the next one. */
  readonly maxBatchBytes: number;
  /** Hands a count batch to the submit queue; its `settle` must follow, as for every batch. */
  readonly send: (batch: Batch) => void;
  /** Executions counted and never sent, by reason. */
  readonly onDropped: (reason: PointDropReason, executions: number) => void;
  /**
   * Live buckets (series × 10 s) at most; past it the oldest goes, so tag variety cannot grow
   * memory. The forwarder gives FORWARDER_MAX_SERIES: every series it knows can hold a bucket.
   */
  readonly maxBuckets: number;
  /** Seconds since the epoch, injectable for tests. */
  readonly nowSeconds?: () => number;
}

interface CountSeries {
  /** Metric and tags: one series however often the translator numbered it anew. */
  readonly key: string;
  /** The series as sent (the first object the translator made for it). */
  readonly series: Series;
  /**
   * Its live buckets, oldest first. An array, not a Map: most series hold one or two (a bucket
   * stays while messages of its 10 s may still come), and at tens of thousands of series a Map
   * each doubled the aggregator's memory.
   */
  readonly buckets: Bucket[];
}

interface Bucket {
  readonly of: CountSeries;
  /** POSIX seconds, a multiple of COUNT_INTERVAL_SECONDS: the point's timestamp. */
  readonly start: number;
  total: number;
  /** Executions added since the bucket's total was last put in a batch. */
  unsent: number;
  /** The messages counted in `unsent`, each held once (none: nothing unsent). */
  acks: Ack[] | undefined;
}

export class CountAggregator {
  private readonly bySeries = new Map<string, CountSeries>();
  private readonly byStart = new Map<number, Set<Bucket>>();
  /** Buckets with executions not yet in a batch, in the order they were touched. */
  private readonly dirty = new Set<Bucket>();
  private live = 0;
  /**
   * Buckets starting at or before this were evicted: a total sent for them may exist, and a total
   * started again from 0 would overwrite it with less, so they are not started again.
   */
  private evictedThrough = Number.NEGATIVE_INFINITY;
  private inFlight = false;
  /** A flush was due while a batch was in flight (or the last batch could not take everything). */
  private flushDue = false;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private readonly maxBuckets: number;
  private readonly nowSeconds: () => number;

  constructor(private readonly options: CountAggregatorOptions) {
    this.maxBuckets = options.maxBuckets;
    this.nowSeconds = options.nowSeconds ?? (() => Date.now() / 1000);
  }

  /** Counts `value` executions of `series` at `timestamp`; `ack` is held until the total is sent. */
  add(series: Series, timestamp: number, value: number, ack: Ack): void {
    const start = Math.floor(timestamp / COUNT_INTERVAL_SECONDS) * COUNT_INTERVAL_SECONDS;
    if (start < this.oldestSendable()) {
      this.options.onDropped('too_old', value);
      return;
    }
    const counted = this.seriesOf(series);
    let bucket = bucketAt(counted.buckets, start);
    if (bucket === undefined) {
      if (start <= this.evictedThrough) {
        this.options.onDropped('count_evicted', value);
        return;
      }
      if (this.live >= this.maxBuckets) this.evictOldest();
      bucket = { of: counted, start, total: 0, unsent: 0, acks: undefined };
      insertBucket(counted.buckets, bucket);
      let atStart = this.byStart.get(start);
      if (atStart === undefined) this.byStart.set(start, (atStart = new Set()));
      atStart.add(bucket);
      this.live++;
    }
    bucket.total += value;
    bucket.unsent += value;
    ack.hold();
    (bucket.acks ??= []).push(ack);
    this.dirty.add(bucket);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.options.flushIntervalMs);
  }

  /** Sends the totals of the touched buckets now, or as soon as the batch in flight settles. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight) {
      this.flushDue = true;
      return;
    }
    this.flushDue = false;
    this.forgetTooOld();
    if (this.dirty.size === 0) {
      this.notifyIfIdle();
      return;
    }
    const batch = new Batch('series');
    for (const bucket of this.dirty) {
      if (batch.pointCount > 0 && batch.estimatedBytes >= this.options.maxBatchBytes) {
        this.flushDue = true;
        break;
      }
      batch.addValue(bucket.of.series, bucket.start, bucket.total);
      if (bucket.acks !== undefined) for (const ack of bucket.acks) batch.acks.push(ack);
      bucket.acks = undefined;
      bucket.unsent = 0;
      this.dirty.delete(bucket);
    }
    this.inFlight = true;
    batch.onSettle = () => {
      // Accepted or refused for good, the next totals may go: a bucket touched again is sent
      // whole, so a total refused once is corrected by the next one.
      this.inFlight = false;
      if (this.dirty.size > 0 && (this.flushDue || this.idleWaiters.length > 0)) this.flush();
      else this.notifyIfIdle();
    };
    this.options.send(batch);
  }

  /** Flushes, and resolves once every total counted so far has settled (for a stop). */
  drained(): Promise<void> {
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.flush();
    return idle;
  }

  /** Stops the flush timer (after a stop; unsent totals stay uncommitted). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Buckets kept. */
  get liveBuckets(): number {
    return this.live;
  }

  /**
   * By metric and tags, not by object: a series the translator forgot and numbered again comes as
   * another object, and two totals for one series and bucket would overwrite each other. Called
   * once per series and interval of a fetch (the translator sums within it), not per message.
   */
  private seriesOf(series: Series): CountSeries {
    const key = seriesKey(series);
    let counted = this.bySeries.get(key);
    if (counted === undefined) {
      counted = { key: flat(key), series, buckets: [] };
      this.bySeries.set(counted.key, counted);
    }
    return counted;
  }

  /** The oldest bucket start Datadog still takes (the submitter leaves older points out). */
  private oldestSendable(): number {
    return Math.ceil(this.nowSeconds()) - MAX_POINT_AGE_SECONDS;
  }

  private forgetTooOld(): void {
    const oldest = this.oldestSendable();
    for (const [start, buckets] of this.byStart) {
      if (start < oldest) for (const bucket of buckets) this.remove(bucket, 'too_old');
    }
  }

  private evictOldest(): void {
    let oldest = Number.POSITIVE_INFINITY;
    for (const start of this.byStart.keys()) oldest = Math.min(oldest, start);
    const bucket = this.byStart.get(oldest)?.values().next().value;
    if (bucket === undefined) return;
    this.evictedThrough = Math.max(this.evictedThrough, oldest);
    this.remove(bucket, 'count_evicted');
  }

  /** Forgets a bucket; executions not yet in a batch are dropped (and their messages let go). */
  private remove(bucket: Bucket, reason: PointDropReason): void {
    const atStart = this.byStart.get(bucket.start);
    atStart?.delete(bucket);
    if (atStart?.size === 0) this.byStart.delete(bucket.start);
    const buckets = bucket.of.buckets;
    buckets.splice(buckets.indexOf(bucket), 1);
    if (buckets.length === 0) this.bySeries.delete(bucket.of.key);
    this.live--;
    if (this.dirty.delete(bucket) && bucket.unsent > 0) this.options.onDropped(reason, bucket.unsent);
    if (bucket.acks !== undefined) for (const ack of bucket.acks) ack.release();
    bucket.acks = undefined;
  }

  private notifyIfIdle(): void {
    if (this.inFlight || this.dirty.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** The bucket starting at `start`, searched from the newest: the one a count usually adds to. */
function bucketAt(buckets: readonly Bucket[], start: number): Bucket | undefined {
  for (let i = buckets.length - 1; i >= 0; i--) {
    const bucket = buckets[i];
    if (bucket.start === start) return bucket;
    if (bucket.start < start) return undefined;
  }
  return undefined;
}

/** Keeps `buckets` ordered by start (a late message may open an older bucket). */
function insertBucket(buckets: Bucket[], bucket: Bucket): void {
  let at = buckets.length;
  while (at > 0 && buckets[at - 1].start > bucket.start) at--;
  buckets.splice(at, 0, bucket);
}

function seriesKey(series: Series): string {
  return `${series.metric}\u0000${series.tags.join('\u0000')}`;
}

/**
 * The key as one flat string: a string built by joining is a tree of its parts (a third larger),
 * and the kept ones number as many as the live series.
 */
function flat(key: string): string {
  // Through JSON, not UTF-8: a tag with a lone surrogate comes back exactly.
  return JSON.parse(JSON.stringify(key)) as string;
}
