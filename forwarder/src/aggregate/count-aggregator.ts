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
  /** A hash of `key`, for `reopenAt`. */
  readonly hash: number;
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
  /** POSIX seconds, a multiple of COUNT_INTERVAL_SECONDS. */
  readonly start: number;
  /**
   * Seconds after `start` of the point's timestamp: 0, or the how-manieth time this series' bucket
   * was opened again after being forgotten (see `reopenAt`).
   */
  readonly offset: number;
  total: number;
  /** Executions added since the bucket's total was last put in a batch. */
  unsent: number;
  /** The messages counted in `unsent`, each held once (none: nothing unsent). */
  acks: Ack[] | undefined;
}

export class CountAggregator {
  private readonly bySeries = new Map<string, CountSeries>();
  private readonly byStart = new Map<number, Set<Bucket>>();
  /** The keys of `byStart`, ascending (a few hundred at most: an hour of 10 s intervals). */
  private readonly starts: number[] = [];
  /** Buckets with executions not yet in a batch, in the order they were touched. */
  private readonly dirty = new Set<Bucket>();
  private live = 0;
  /**
   * What is left of a bucket forgotten to stay within the bound: the offset a bucket of the same
   * series and start opened again takes. Its total was sent at `start + offset` of the forgotten
   * one, and a total started again from 0 at that timestamp would overwrite it with less; at the
   * next second it is a point of its own, which Datadog adds to the first in any count query (a
   * 10 s interval has ten seconds: past that, the executions are dropped as `count_evicted`).
   * Keyed by a hash of series and start, ~40 bytes instead of the bucket's ~650: two series that
   * share a key only use up offsets faster. Past `maxBuckets` entries the oldest start's go, and
   * their highest offset becomes that start's floor (`reopenFloor`) for every series.
   */
  private readonly reopenAt = new Map<number, number>();
  private readonly reopenFloor = new Map<number, number>();
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
      const offset = Math.max(this.reopenAt.get(reopenKey(counted.hash, start)) ?? 0, this.reopenFloor.get(start) ?? 0);
      if (offset >= COUNT_INTERVAL_SECONDS) {
        this.options.onDropped('count_evicted', value);
        return;
      }
      if (this.live >= this.maxBuckets) this.evictOldest();
      bucket = { of: counted, start, offset, total: 0, unsent: 0, acks: undefined };
      insertBucket(counted.buckets, bucket);
      let atStart = this.byStart.get(start);
      if (atStart === undefined) {
        this.byStart.set(start, (atStart = new Set()));
        this.starts.splice(insertionPoint(this.starts, start), 0, start);
      }
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
      batch.addValue(bucket.of.series, bucket.start + bucket.offset, bucket.total);
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
      counted = { key: flat(key), hash: hashOf(key), series, buckets: [] };
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
    for (const key of this.reopenAt.keys()) if (startOf(key) < oldest) this.reopenAt.delete(key);
    for (const start of this.reopenFloor.keys()) if (start < oldest) this.reopenFloor.delete(start);
  }

  /**
   * Forgets the oldest bucket whose total was sent (nothing is lost: it can be opened again, see
   * `reopenAt`); only when every bucket has executions not yet sent, the oldest of those.
   */
  private evictOldest(): void {
    const starts = this.starts;
    let victim: Bucket | undefined;
    // Every bucket has unsent executions (count requests are behind): no scan for a sent one.
    const anySent = this.live > this.dirty.size;
    for (const start of anySent ? starts : []) {
      for (const bucket of this.byStart.get(start) ?? []) {
        if (bucket.unsent === 0) {
          victim = bucket;
          break;
        }
      }
      if (victim !== undefined) break;
    }
    victim ??= this.byStart.get(starts[0])?.values().next().value;
    if (victim === undefined) return;
    const key = reopenKey(victim.of.hash, victim.start);
    const next = Math.max(this.reopenAt.get(key) ?? 0, victim.offset + 1);
    // Re-inserted at the end, so the Map's order is the order of forgetting.
    this.reopenAt.delete(key);
    this.reopenAt.set(key, next);
    if (this.reopenAt.size > this.maxBuckets) this.forgetReopenings();
    this.remove(victim, 'count_evicted');
  }

  /** Keeps the oldest twentieth of the reopenings as one floor per start. */
  private forgetReopenings(): void {
    let count = Math.ceil(this.maxBuckets / 20);
    for (const [key, offset] of this.reopenAt) {
      if (count-- === 0) break;
      const start = startOf(key);
      this.reopenFloor.set(start, Math.max(this.reopenFloor.get(start) ?? 0, offset));
      this.reopenAt.delete(key);
    }
  }

  /** Forgets a bucket; executions not yet in a batch are dropped (and their messages let go). */
  private remove(bucket: Bucket, reason: PointDropReason): void {
    const atStart = this.byStart.get(bucket.start);
    atStart?.delete(bucket);
    if (atStart?.size === 0) {
      this.byStart.delete(bucket.start);
      this.starts.splice(this.starts.indexOf(bucket.start), 1);
    }
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

/** Where `value` goes in the ascending `values`. */
function insertionPoint(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
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

const HASH_SPACE = 2 ** 22;

/** Series hash and start as one exact number (starts are multiples of the interval). */
function reopenKey(hash: number, start: number): number {
  return (start / COUNT_INTERVAL_SECONDS) * HASH_SPACE + hash;
}

function startOf(reopenKey: number): number {
  return Math.floor(reopenKey / HASH_SPACE) * COUNT_INTERVAL_SECONDS;
}

/** FNV-1a of the string's UTF-16 code units, folded into HASH_SPACE. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % HASH_SPACE;
}
