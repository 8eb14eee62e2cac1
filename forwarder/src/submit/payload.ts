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

/** v2: `{"timestamp":t,"value":v}` for each point. */
function seriesPoints(s: SeriesPoints, oldestAccepted: number): { json: string; count: number } {
  const items: string[] = [];
  for (let i = 0; i < s.timestamps.length; i++) {
    if (s.timestamps[i] < oldestAccepted) continue;
    items.push(`{"timestamp":${s.timestamps[i]},"value":${s.values[i]}}`);
  }
  return { json: items.join(','), count: items.length };
}

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
