/**
 * The series the translator knows, bounded: at most `maxSeries` at once (FORWARDER_MAX_SERIES).
 *
 * Every series is made once per tag set (a model's name, version and owner, plus request ids when
 * those are tags) and numbered, so that points cross threads as numbers and the receiving side
 * keeps one definition per number (records.ts, SeriesTable). When a new series would pass the
 * bound, tag sets not used lately are forgotten (CLOCK: one used since the sweep last passed it is
 * passed over once), a twentieth of the bound at a time. A forgotten tag set that comes
 * back is made and numbered again: it costs a definition, nothing is dropped. So a tag explosion
 * (a million versions) churns the exploding tag's own series while the models in steady use keep
 * theirs, and memory stays within the bound.
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
  /** Used again since it was made or since a sweep last passed it. */
  used: boolean;
}

/** Series numbers stay below this (so a number and a count interval make one exact key). */
export const SERIES_ID_SPACE = 2 ** 24;
/** A sweep forgets at least this share of the bound, so sweeps stay rare under churn. */
const SWEEP_SHARE = 1 / 20;

export class SeriesRegistry {
  private readonly tagSets = new Map<string, TrackedTagSet>();
  private tracked = 0;
  private nextId = 0;
  private free: number[] = [];
  /** Numbers forgotten during the job in hand: reusable from the next one. */
  private released: number[] = [];
  private created: NumberedSeries[] = [];
  private evictedInJob = 0;

  constructor(readonly maxSeries: number) {}

  /** Starts a job: numbers released by the previous one become reusable. */
  startJob(): void {
    for (const id of this.released) this.free.push(id);
    this.released = [];
    this.created = [];
    this.evictedInJob = 0;
  }

  /** Series made since `startJob`, in the order made. */
  get createdInJob(): readonly NumberedSeries[] {
    return this.created;
  }

  /** Series forgotten since `startJob`. */
  get forgottenInJob(): number {
    return this.evictedInJob;
  }

  /** Series known now. */
  get size(): number {
    return this.tracked;
  }

  /** The tag set under `key`, made with `tags()` the first time; marked used. */
  tagSet(key: string, tags: () => string[]): TrackedTagSet {
    let tagSet = this.tagSets.get(key);
    if (tagSet === undefined) {
      // Unmarked: a tag set seen once (the bulk of a tag explosion) is the first to go.
      tagSet = { tags: tags(), series: [], executions: undefined, used: false };
      this.tagSets.set(key, tagSet);
    } else {
      tagSet.used = true;
    }
    return tagSet;
  }

  /** A number for a new series of `owner`, forgetting older tag sets first when the bound is reached. */
  number(owner: TrackedTagSet, make: (id: number) => NumberedSeries): NumberedSeries {
    if (this.tracked >= this.maxSeries) this.sweep(owner);
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

  private sweep(keep: TrackedTagSet): void {
    const target = this.maxSeries - Math.max(1, Math.floor(this.maxSeries * SWEEP_SHARE));
    // The Map's order is the clock: a tag set used since it was last passed goes to the back
    // unmarked (Map iteration reaches it again after every other one), the others are forgotten.
    for (const [key, tagSet] of this.tagSets) {
      if (this.tracked <= target) return;
      if (tagSet === keep) continue;
      this.tagSets.delete(key);
      if (tagSet.used) {
        tagSet.used = false;
        this.tagSets.set(key, tagSet);
      } else {
        this.release(tagSet);
      }
    }
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
    this.evictedInJob++;
  }
}
