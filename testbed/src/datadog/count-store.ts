/**
 * Count points as Datadog stores them: a v2 series of type count (1) keeps, for each series
 * (metric and tag set, in any order) and timestamp, the value of the last write. Nothing is added
 * up on intake: two writes of 1 to one series and second leave 1. A query's total is the sum of
 * the stored values over the series it covers.
 */
import { tagSetKey, type AcceptedPoint } from './datadog-payload';

/** A count series: v2 type 1 (datadog-payload.ts reads it, and v1's "count", as `type: 'count'`). */
const COUNT = 'count';

export class CountStore {
  /** metric → series key (sorted tags) → timestamp → last value written. */
  private readonly byMetric = new Map<string, Map<string, { tags: readonly string[]; values: Map<number, number> }>>();

  /** Takes in the count points of an accepted request, in the order they were written. */
  add(points: readonly AcceptedPoint[]): void {
    for (const point of points) {
      if (point.type !== COUNT || point.value === undefined) continue;
      let ofMetric = this.byMetric.get(point.metric);
      if (ofMetric === undefined) this.byMetric.set(point.metric, (ofMetric = new Map()));
      const key = tagSetKey(point.tags);
      let series = ofMetric.get(key);
      if (series === undefined) ofMetric.set(key, (series = { tags: point.tags, values: new Map() }));
      series.values.set(point.timestamp, point.value);
    }
  }

  /**
   * The stored values of `metric` summed over every series and timestamp; with `byTag`, summed
   * per value of that tag key (series without it under '').
   */
  totals(metric: string, byTag?: string): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const { tags, values } of this.byMetric.get(metric)?.values() ?? []) {
      const group = byTag === undefined ? '' : (tagValue(tags, byTag) ?? '');
      for (const value of values.values()) totals[group] = (totals[group] ?? 0) + value;
    }
    return totals;
  }

  /** Series of `metric` stored (distinct tag sets). */
  seriesCount(metric: string): number {
    return this.byMetric.get(metric)?.size ?? 0;
  }

  clear(): void {
    this.byMetric.clear();
  }
}

function tagValue(tags: readonly string[], key: string): string | undefined {
  const prefix = `${key}:`;
  return tags.find((tag) => tag.startsWith(prefix))?.slice(prefix.length);
}
