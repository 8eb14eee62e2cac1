import type { MetricKind } from '@algorithmia-datadog/metric-declaration';
import type { Ack } from '../commit/offset-ledger';
import type { Endpoint } from '../submit/wire-format';
import type { Series } from '../translate/point';

/** The points of one series in a batch, in arrival order. */
export interface SeriesPoints {
  readonly metric: string;
  /** Carried to the request body, which writes each kind's type (submit/wire-format.ts). */
  readonly kind: MetricKind;
  readonly tags: readonly string[];
  readonly unit?: string;
  /** Float64Array when a batch made them: one copy into a worker, where arrays go value by value. */
  readonly timestamps: number[] | Float64Array;
  readonly values: number[] | Float64Array;
}

/**
 * Points bound for one request, with the messages that wait for them.
 *
 * Held flat (a series number, timestamp and value per point, in one array) while the batch fills
 * and waits, and grouped by series only when its body is made: with thousands of models most
 * series have one or two points in a batch, and two growable arrays per series held ~180 bytes
 * each of mostly empty room (49 MB of a 96 MB heap at 7 200 tag sets, in a heap snapshot).
 */
export class Batch {
  readonly acks: Ack[] = [];
  pointCount = 0;
  /** Upper bound of the serialized JSON size, kept under the API's decompressed limit. */
  estimatedBytes = PAYLOAD_OVERHEAD_BYTES;
  private readonly numbers = new Map<Series, number>();
  private readonly seriesList: Series[] = [];
  /** Per point: its series' number in `seriesList`, its timestamp, its value. */
  private readonly points: number[] = [];

  /**
   * Told how the batch ended, once, before its messages are released: the count aggregator sends
   * one count batch at a time, and learns here when it may send the next.
   */
  onSettle: (() => void) | undefined;

  constructor(readonly endpoint: Endpoint) {}

  addValue(of: Series, timestamp: number, value: number): void {
    let number = this.numbers.get(of);
    if (number === undefined) {
      number = this.seriesList.length;
      this.numbers.set(of, number);
      this.seriesList.push(of);
      this.estimatedBytes += seriesOverheadBytes(of);
    }
    this.points.push(number, timestamp, value);
    this.pointCount++;
    this.estimatedBytes += POINT_BYTES;
  }

  /** The points grouped by series, each series' in arrival order: made anew on each call. */
  get series(): Map<Series, SeriesPoints> {
    const counts = new Array<number>(this.seriesList.length).fill(0);
    for (let i = 0; i < this.points.length; i += 3) counts[this.points[i]]++;
    const grouped = this.seriesList.map(({ metric, kind, tags, unit }, number): SeriesPoints => ({
      metric,
      kind,
      tags,
      unit,
      timestamps: new Float64Array(counts[number]),
      values: new Float64Array(counts[number]),
    }));
    const filled = new Array<number>(this.seriesList.length).fill(0);
    for (let i = 0; i < this.points.length; i += 3) {
      const number = this.points[i];
      const at = filled[number]++;
      grouped[number].timestamps[at] = this.points[i + 1];
      grouped[number].values[at] = this.points[i + 2];
    }
    return new Map(this.seriesList.map((series, number) => [series, grouped[number]]));
  }

  /** Releases every message waiting for this batch. */
  settle(): void {
    this.onSettle?.();
    for (const ack of this.acks) ack.release();
  }
}

const PAYLOAD_OVERHEAD_BYTES = 16;
/** `{"timestamp":1700000000,"value":-1.2345678901234567e-300},` is 55 characters. */
const POINT_BYTES = 56;

function seriesOverheadBytes(series: Series): number {
  let bytes = 80 + series.metric.length + (series.unit?.length ?? 0);
  // Tags are JSON-escaped when serialized; non-ASCII characters may take up to 6 bytes each.
  for (const tag of series.tags) bytes += 3 + tag.length * 6;
  return bytes;
}
