/**
 * The series the translator knows, bounded: at most `maxSeries` at once (FORWARDER_MAX_SERIES).
 *
 * Every series is made once per tag set (a model's name, version and owner, plus request ids when
 * those are tags) and numbered, so that points cross threads as numbers and the receiving side
 * keeps one definition per number (records.ts, SeriesTable). When a new series would pass the
 * bound, tag sets not used for IDLE_SECONDS are forgotten (a model that comes back is made and
 * numbered again); when none is that idle, the new series is refused and its points are dropped
 * (`series_limit`). So a tag explosion (a model writing a new version on every message) loses the
 * exploding values, a bound's worth a minute at most is made, and the models in steady use keep
 * their series: memory stays within the bound whatever the variety.
 *
 * Numbers of forgotten series are reused, but only from the next job on: the points of the job in
 * hand may still carry them, and the receiver resolves a job's points with that job's definitions.
 */
import type { Series } from './point';

/** A series with the number its points carry across threads. */
export interface NumberedSeries extends Series {
  readonly id: number;
}

export interface TrackedTagSet {
  readonly tags: readonly string[];
  /** The tag set's value series by metric target index. */
  readonly series: (NumberedSeries | undefined)[];
  /** The model's execution count series (one per model, whatever the request tags). */
  executions: NumberedSeries | undefined;
  /** When a message last used it, seconds. */
  usedAt: number;
}

/** Series numbers stay below this (so a number and a count interval make one exact key). */
export const SERIES_ID_SPACE = 2 ** 24;
/** A tag set unused this long may be forgotten to make room. */
export const IDLE_SECONDS = 60;
/** A sweep forgets at most this share of the bound, so sweeps stay rare under churn. */
const SWEEP_SHARE = 1 / 20;

export class SeriesRegistry {
  /** Tag sets with at least one series, in the order they were made (the oldest first). */
  private readonly tagSets = new Map<string, TrackedTagSet>();
  private tracked = 0;
  private nextId = 0;
  private free: number[] = [];
  /** Numbers forgotten during the job in hand: reusable from the next one. */
  private released: number[] = [];
  private created: NumberedSeries[] = [];
  private forgotten = 0;
  /** A full registry looks for idle tag sets again only after this (seconds). */
  private nextSweepAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly maxSeries: number,
    private readonly nowSeconds: () => number = () => Date.now() / 1000,
  ) {}

  /** Starts a job: numbers released by the previous one become reusable. */
  startJob(): void {
    for (const id of this.released) this.free.push(id);
    this.released = [];
    this.created = [];
    this.forgotten = 0;
  }

  /** Series made since `startJob`, in the order made. */
  get createdInJob(): readonly NumberedSeries[] {
    return this.created;
  }

  /** Series forgotten since `startJob`. */
  get forgottenInJob(): number {
    return this.forgotten;
  }

  /** Series known now. */
  get size(): number {
    return this.tracked;
  }

  /** Tag sets kept now (each with at least one series). */
  get tagSetCount(): number {
    return this.tagSets.size;
  }

  /**
   * The tag set under `key`, marked used at `now`. A new one is kept only once a series of it is
   * numbered: the tag sets of refused series leave nothing behind.
   */
  tagSet(key: string, tags: () => string[], now: number): TrackedTagSet {
    const known = this.tagSets.get(key);
    if (known !== undefined) {
      known.usedAt = now;
      return known;
    }
    return new PendingTagSet(key, tags(), now);
  }

  /** A number for a new series of `owner`, or undefined when the bound leaves no room. */
  number(owner: TrackedTagSet, make: (id: number) => NumberedSeries): NumberedSeries | undefined {
    if (this.tracked >= this.maxSeries && !this.sweep(owner)) return undefined;
    if (owner instanceof PendingTagSet && !this.tagSets.has(owner.key)) this.tagSets.set(owner.key, owner);
    const id = this.free.pop() ?? this.nextId++;
    const series = make(id);
    this.tracked++;
    this.created.push(series);
    return series;
  }

  /** Forgets every series (the metric targets were renumbered); their numbers wait for the next job. */
  clear(): void {
    for (const tagSet of this.tagSets.values()) this.release(tagSet);
    this.tagSets.clear();
  }

  /** Forgets idle tag sets, a share of the bound at most; true when there is room after. */
  private sweep(keep: TrackedTagSet): boolean {
    const now = this.nowSeconds();
    if (now < this.nextSweepAt) return false;
    const target = this.maxSeries - Math.max(1, Math.floor(this.maxSeries * SWEEP_SHARE));
    const idleBefore = now - IDLE_SECONDS;
    for (const [key, tagSet] of this.tagSets) {
      if (this.tracked <= target) break;
      if (tagSet === keep || tagSet.usedAt >= idleBefore) continue;
      this.tagSets.delete(key);
      this.release(tagSet);
    }
    const room = this.tracked < this.maxSeries;
    // Nothing idle enough: refuse new series for a second rather than scan on every one.
    if (!room) this.nextSweepAt = now + 1;
    return room;
  }

  private release(tagSet: TrackedTagSet): void {
    for (const series of tagSet.series) if (series !== undefined) this.forget(series);
    if (tagSet.executions !== undefined) this.forget(tagSet.executions);
    tagSet.series.length = 0;
    tagSet.executions = undefined;
  }

  private forget(series: NumberedSeries): void {
    this.released.push(series.id);
    this.tracked--;
    this.forgotten++;
  }
}

/** A tag set not kept yet (none of its series numbered). */
class PendingTagSet implements TrackedTagSet {
  readonly series: (NumberedSeries | undefined)[] = [];
  executions: NumberedSeries | undefined = undefined;

  constructor(
    readonly key: string,
    readonly tags: readonly string[],
    public usedAt: number,
  ) {}
}
