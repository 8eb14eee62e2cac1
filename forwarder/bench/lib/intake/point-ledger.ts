/**
 * What a bench run must deliver, and what it did: every message id has one point per tracked
 * metric of its shape, with the message's tags, its time (whole seconds) and its exact value (see
 * ../messages.ts). One byte per (metric, id) counts how often that point arrived; anything that
 * does not match what was produced is counted by kind, with the first few examples kept.
 */
import {
  EXECUTIONS_METRIC_NAME,
  expectedTags,
  type MessageShape,
  OWN_METRICS_PREFIX,
  pointsPerMessage,
  TIME_SPREAD_MS,
  trackedMetrics,
  valueOffsets,
} from '../messages';

/** How the run's messages were produced (throughput-bench.ts): enough to recompute every point. */
export interface ExpectedRun extends Readonly<Required<MessageShape>> {
  readonly messages: number;
  /** Message id's time is baseMs + (id % TIME_SPREAD_MS). */
  readonly baseMs: number;
}

export type MismatchKind = 'untracked_metric' | 'foreign_id' | 'wrong_value' | 'wrong_tags' | 'wrong_timestamp';

export interface LedgerCounts {
  expectedPoints: number;
  /** Distinct expected points that arrived (at least once). */
  unique: number;
  /** Points that arrived, duplicates included (matching or not), besides executions and own metrics. */
  received: number;
  /**
   * Executions Datadog would count: the sum over the execution count's series of each
   * (series, timestamp)'s last write, as Datadog stores counts. The forwarder's should be `messages`.
   */
  executions: number;
  /** Points of the forwarder's own metrics (`algorithmia.forwarder.*`). */
  ownPoints: number;
  duplicates: number;
  lost: number;
  mismatches: Partial<Record<MismatchKind, number>>;
  examples: string[];
}

const MAX_EXAMPLES = 5;
const COUNT_KEY_TIMESTAMPS = 2 ** 34;

export class PointLedger {
  private readonly counts: Uint8Array[];
  /** Sorted, comma-joined tags → algorithm * versions + version. */
  private readonly tagSetIndex = new Map<string, number>();
  private readonly metricSlot: Map<string, number>;
  private readonly offsets: readonly number[];
  private readonly pointsPerMessage: number;
  unique = 0;
  received = 0;
  /**
   * An execution count series (its sorted tags) → its number; (number, timestamp) → the last
   * value. Numbers rather than text keys: at 72 000 tag sets there are hundreds of thousands.
   */
  private readonly countSeries = new Map<string, number>();
  private readonly countPoints = new Map<number, number>();
  /** The tags array of the last count point and its series number (a body's series share one array). */
  private lastCountTags: readonly string[] | undefined;
  private lastCountSeries = 0;
  private executions = 0;
  private ownPoints = 0;
  private duplicatesSeen = 0;
  private readonly mismatches: Partial<Record<MismatchKind, number>> = {};
  private readonly examples: string[] = [];

  constructor(readonly expected: ExpectedRun) {
    const metrics = trackedMetrics(expected);
    this.metricSlot = new Map(metrics.map((name, slot) => [name, slot]));
    this.offsets = valueOffsets(expected);
    this.pointsPerMessage = pointsPerMessage(expected);
    this.counts = metrics.map(() => new Uint8Array(expected.messages));
    for (let algorithm = 0; algorithm < expected.algorithms; algorithm++) {
      for (let version = 0; version < expected.versions; version++) {
        this.tagSetIndex.set(expectedTags(algorithm, version).join(','), algorithm * expected.versions + version);
      }
    }
  }

  get target(): number {
    return this.expected.messages * this.pointsPerMessage;
  }

  get complete(): boolean {
    return this.unique >= this.target;
  }

  /** The tag-set key of a series (compute once per series, pass to record()). */
  tagSetOf(tags: readonly string[]): number {
    const key = tags.length > 1 ? [...tags].sort().join(',') : tags.join(',');
    return this.tagSetIndex.get(key) ?? -1;
  }

  /** One point as it arrived; `tagSet` from tagSetOf(series tags), `tags` only for the examples. */
  record(metric: string, tagSet: number, timestamp: number, value: number, tags: readonly string[]): void {
    if (metric === EXECUTIONS_METRIC_NAME) return this.recordCount(timestamp, value, tags);
    if (metric.startsWith(OWN_METRICS_PREFIX)) {
      this.ownPoints++;
      return;
    }
    this.received++;
    const slot = this.metricSlot.get(metric);
    if (slot === undefined) return this.mismatch('untracked_metric', metric, value, tags);
    const id = Math.floor(value);
    if (!(id >= 0 && id < this.expected.messages)) return this.mismatch('foreign_id', metric, value, tags);
    if (value - id !== this.offsets[slot]) return this.mismatch('wrong_value', metric, value, tags);
    const { algorithms, versions, baseMs } = this.expected;
    if (tagSet !== (id % algorithms) * versions + (Math.floor(id / algorithms) % versions))
      return this.mismatch('wrong_tags', metric, value, tags);
    if (timestamp !== Math.floor((baseMs + (id % TIME_SPREAD_MS)) / 1000))
      return this.mismatch('wrong_timestamp', metric, value, tags, timestamp);
    const counts = this.counts[slot];
    if (counts[id] === 0) this.unique++;
    else this.duplicatesSeen++;
    if (counts[id] < 255) counts[id]++;
  }

  summary(): LedgerCounts {
    return {
      expectedPoints: this.target,
      unique: this.unique,
      received: this.received,
      executions: this.executions,
      ownPoints: this.ownPoints,
      duplicates: this.duplicatesSeen,
      lost: this.target - this.unique,
      mismatches: { ...this.mismatches },
      examples: [...this.examples],
    };
  }

  /** Last write wins per series and timestamp: a total sent again replaces the one before. */
  private recordCount(timestamp: number, value: number, tags: readonly string[]): void {
    if (tags !== this.lastCountTags) {
      this.lastCountTags = tags;
      const seriesKey = [...tags].sort().join(',');
      let series = this.countSeries.get(seriesKey);
      if (series === undefined) {
        series = this.countSeries.size;
        this.countSeries.set(seriesKey, series);
      }
      this.lastCountSeries = series;
    }
    // Timestamps are seconds below 2^34 (year 2514), series numbers below 2^19 (a run has one per tag
    // set and forwarder process): the pair is one exact integer below 2^53.
    const key = this.lastCountSeries * COUNT_KEY_TIMESTAMPS + timestamp;
    this.executions += value - (this.countPoints.get(key) ?? 0);
    this.countPoints.set(key, value);
  }

  private mismatch(kind: MismatchKind, metric: string, value: number, tags: readonly string[], timestamp?: number): void {
    this.mismatches[kind] = (this.mismatches[kind] ?? 0) + 1;
    if (this.examples.length < MAX_EXAMPLES) {
      this.examples.push(
        `${kind}: ${metric} value ${value} tags [${tags.join(',')}]${timestamp === undefined ? '' : ` timestamp ${timestamp}`}`,
      );
    }
  }
}
