/**
 * Request bodies in Datadog's JSON: a batch's series as the v2 series payload (each series with
 * the type of its kind, wire-format.ts) or as distribution points.
 */
import type { SeriesPoints } from '../batch/batch';
import { v2IntervalOf, v2TypeOf, type Endpoint } from './wire-format';

/** A request body and what it carries. */
export interface Payload {
  readonly json: string;
  readonly pointCount: number;
  /** Points left out because they became older than Datadog accepts while waiting. */
  readonly tooOld: number;
}

/**
 * Series → JSON body for `endpoint`. Points older than `oldestAccepted` are left out (they would
 * be refused), which matters when a batch is retried after a long outage.
 */
export function serializeSeries(series: readonly SeriesPoints[], endpoint: Endpoint, oldestAccepted: number): Payload {
  const v2 = endpoint === 'series';
  const parts: string[] = [];
  let pointCount = 0;
  let tooOld = 0;
  for (const s of series) {
    const points = v2 ? seriesPoints(s, oldestAccepted) : distributionPoints(s, oldestAccepted);
    tooOld += s.timestamps.length - points.count;
    if (points.count === 0) continue;
    pointCount += points.count;
    const tags = s.tags.length > 0 ? `,"tags":${JSON.stringify(s.tags)}` : '';
    if (v2) {
      const unit = s.unit ? `,"unit":${JSON.stringify(s.unit)}` : '';
      const interval = v2IntervalOf(s.kind);
      const intervalField = interval === undefined ? '' : `,"interval":${interval}`;
      parts.push(
        `{"metric":${JSON.stringify(s.metric)},"type":${v2TypeOf(s.kind)}${intervalField},"points":[${points.json}]${tags}${unit}}`,
      );
    } else {
      parts.push(`{"metric":${JSON.stringify(s.metric)},"points":[${points.json}]${tags}}`);
    }
  }
  return { json: `{"series":[${parts.join(',')}]}`, pointCount, tooOld };
}

/**
 * v2: `{"timestamp":t,"value":v}` for each point, in time order. A batch holds a series' points
 * as they arrived, one increasing run per partition read; merged by time, neighbouring points
 * share their timestamp's text and the compressor finds longer matches (on the bench, zstd level
 * 3: 4.7 bytes per point before, 4.3-4.6 after; docs/benchmarks.md). Points of one second keep their order,
 * so the one Datadog keeps of a gauge's second (the last) is the same as before.
 */
function seriesPoints(s: SeriesPoints, oldestAccepted: number): { json: string; count: number } {
  const { timestamps, values } = s;
  const order = timeOrder(timestamps);
  const items: string[] = [];
  for (let k = 0; k < timestamps.length; k++) {
    const i = order === undefined ? k : order[k];
    if (timestamps[i] < oldestAccepted) continue;
    items.push(`{"timestamp":${timestamps[i]},"value":${values[i]}}`);
  }
  return { json: items.join(','), count: items.length };
}

/** Indices of `timestamps` in time order, ties in their order; undefined when already in order. */
export function timeOrder(timestamps: ArrayLike<number>): Uint32Array | undefined {
  const n = timestamps.length;
  let sorted = true;
  let whole = true;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = timestamps[i];
    if (i > 0 && timestamps[i - 1] > t) sorted = false;
    if (t < min) min = t;
    if (t > max) max = t;
    if (t !== Math.floor(t)) whole = false;
  }
  if (sorted) return undefined;
  const order = new Uint32Array(n);
  const span = max - min + 1;
  if (whole && span <= COUNTING_SORT_SPAN_PER_POINT * n) {
    // Whole seconds over a short span (a body's points cover seconds to minutes): a counting
    // sort, stable, in two passes; the comparison sort below took 0.3 s of CPU per million messages.
    const next = new Uint32Array(span + 1);
    for (let i = 0; i < n; i++) next[timestamps[i] - min + 1]++;
    for (let k = 1; k <= span; k++) next[k] += next[k - 1];
    for (let i = 0; i < n; i++) order[next[timestamps[i] - min]++] = i;
    return order;
  }
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => timestamps[a] - timestamps[b] || a - b);
}

/** Seconds of span per point up to which timeOrder counts instead of comparing. */
const COUNTING_SORT_SPAN_PER_POINT = 8;

/**
 * Distributions: `[t,[v1,v2,...]]`, values of the same second together. Datadog adds up points of
 * one series and second, so grouping them changes nothing but the size.
 */
function distributionPoints(s: SeriesPoints, oldestAccepted: number): { json: string; count: number } {
  const bySecond = new Map<number, number[]>();
  let count = 0;
  for (let i = 0; i < s.timestamps.length; i++) {
    const t = s.timestamps[i];
    if (t < oldestAccepted) continue;
    let values = bySecond.get(t);
    if (values === undefined) {
      values = [];
      bySecond.set(t, values);
    }
    values.push(s.values[i]);
    count++;
  }
  const items: string[] = [];
  for (const [t, values] of bySecond) items.push(`[${t},[${values.join(',')}]]`);
  return { json: items.join(','), count };
}

/**
 * Halves a body that Datadog found too large (413): by series, or by points when one series
 * holds them all. Returns undefined when there is a single point left.
 */
export function splitSeries(series: readonly SeriesPoints[]): [SeriesPoints[], SeriesPoints[]] | undefined {
  if (series.length > 1) {
    const middle = Math.ceil(series.length / 2);
    return [series.slice(0, middle), series.slice(middle)];
  }
  const only = series[0];
  if (only === undefined || only.timestamps.length < 2) return undefined;
  const middle = Math.ceil(only.timestamps.length / 2);
  const half = (from: number, to: number): SeriesPoints => ({
    ...only,
    timestamps: only.timestamps.slice(from, to),
    values: only.values.slice(from, to),
  });
  return [[half(0, middle)], [half(middle, only.timestamps.length)]];
}
