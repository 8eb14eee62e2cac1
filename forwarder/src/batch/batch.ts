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
  readonly timestamps: number[];
  readonly values: number[];
}

/** Points bound for one request, with the messages that wait for them. */
export class Batch {
  readonly series = new Map<Series, SeriesPoints>();
  readonly acks: Ack[] = [];
  pointCount = 0;
  /** Upper bound of the serialized JSON size, kept under the API's decompressed limit. */
  estimatedBytes = PAYLOAD_OVERHEAD_BYTES;

  /**
   * Told how the batch ended, once, before its messages are released: the count aggregator sends
   * one count batch at a time, and learns here when it may send the next.
   */
  onSettle: (() => void) | undefined;

  constructor(readonly endpoint: Endpoint) {}

  addValue(of: Series, timestamp: number, value: number): void {
    let series = this.series.get(of);
    if (series === undefined) {
      series = { metric: of.metric, kind: of.kind, tags: of.tags, unit: of.unit, timestamps: [], values: [] };
      this.series.set(of, series);
      this.estimatedBytes += seriesOverheadBytes(of);
    }
    series.timestamps.push(timestamp);
    series.values.push(value);
    this.pointCount++;
    this.estimatedBytes += POINT_BYTES;
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
