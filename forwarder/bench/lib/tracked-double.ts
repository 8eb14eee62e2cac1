/**
 * The Datadog double (the test bed's, testbed/src/datadog/datadog-double.ts) with compact
 * bookkeeping for millions of points: it keeps no point objects (recordPoints: false) and no string keys; instead one byte per
 * (tracked metric, message id) counts how often that point was accepted. Lost = expected points
 * with count 0; duplicates = accepted more than once.
 */
import { type AcceptedPoint, DatadogDouble, waitForEvent } from '@algorithmia-datadog/testbed';
import { EventEmitter } from 'node:events';
import { TRACKED_METRICS } from './messages';

export interface Delivery {
  expectedPoints: number;
  delivered: number;
  lost: number;
  duplicates: number;
}

export class TrackedDouble {
  readonly changes = new EventEmitter();
  private counts: Uint8Array[] = [];
  /** Unique tracked points accepted so far. */
  unique = 0;
  /** Accepted points of tracked metrics, duplicates included. */
  accepted = 0;
  /** Points whose value does not name a message id within capacity (should stay 0). */
  foreign = 0;
  /** Called with (id, acceptedAtMs) for each tracked point, for latency measurement. */
  onPoint: ((id: number, acceptedAtMs: number) => void) | undefined;

  private constructor(
    readonly double: DatadogDouble,
    private capacity: number,
  ) {
    this.reset(capacity);
    this.changes.setMaxListeners(0);
  }

  static async start(capacity: number, apiKey = 'bench-api-key'): Promise<TrackedDouble> {
    let tracked: TrackedDouble | undefined;
    const double = await DatadogDouble.start({
      apiKey,
      recordPoints: false,
      trackDuplicates: false,
      onAccepted: (points) => tracked?.observe(points),
    });
    return (tracked = new TrackedDouble(double, capacity));
  }

  get url(): string {
    return this.double.url;
  }

  /** Forgets every point (and the double's counters); room for ids 0..capacity-1. */
  reset(capacity = this.capacity): void {
    this.capacity = capacity;
    this.counts = TRACKED_METRICS.map(() => new Uint8Array(capacity));
    this.unique = 0;
    this.accepted = 0;
    this.foreign = 0;
    this.double.clear();
  }

  /** Grows the id space (drills do not know up front how many messages they will produce). */
  ensureCapacity(capacity: number): void {
    if (capacity <= this.capacity) return;
    const next = Math.max(capacity, this.capacity * 2);
    this.counts = this.counts.map((old) => {
      const grown = new Uint8Array(next);
      grown.set(old);
      return grown;
    });
    this.capacity = next;
  }

  /** Delivery of messages 0..messages-1: every tracked metric of each expected once. */
  delivery(messages: number): Delivery {
    let delivered = 0;
    let duplicates = 0;
    for (const counts of this.counts) {
      for (let id = 0; id < messages && id < counts.length; id++) {
        const c = counts[id];
        if (c > 0) {
          delivered++;
          duplicates += c - 1;
        }
      }
    }
    const expectedPoints = messages * TRACKED_METRICS.length;
    return { expectedPoints, delivered, lost: expectedPoints - delivered, duplicates };
  }

  /** Resolves once every point of messages 0..messages-1 was accepted; rejects at the deadline. */
  waitForAll(messages: number, timeoutMs: number): Promise<void> {
    const target = messages * TRACKED_METRICS.length;
    return waitForEvent(this.changes, 'points', () => this.unique >= target, {
      timeoutMs,
      describe: () => `${this.unique} of ${target} points delivered (${JSON.stringify(this.double.stats().requestsByStatus)})`,
    });
  }

  close(): Promise<void> {
    return this.double.close();
  }

  private observe(points: readonly AcceptedPoint[]): void {
    const now = Date.now();
    for (const point of points) {
      const slot = TRACKED_METRICS.indexOf(point.metric as (typeof TRACKED_METRICS)[number]);
      if (slot < 0 || point.value === undefined) continue;
      const id = Math.floor(point.value);
      const counts = this.counts[slot];
      if (!(id >= 0 && id < counts.length)) {
        this.foreign++;
        continue;
      }
      this.accepted++;
      if (counts[id] === 0) this.unique++;
      if (counts[id] < 255) counts[id]++;
      this.onPoint?.(id, now);
    }
    this.changes.emit('points');
  }
}
