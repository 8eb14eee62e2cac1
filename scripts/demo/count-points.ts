import type { ReceivedPoint } from './live-summary';

/**
 * Count points as Datadog stores them: one value per series (metric and tags) and second, the last
 * one written. The forwarder sends the running total of each open count interval again and again
 * (metric-declaration/src/pipeline-metrics.ts), so summing every point received would count a
 * model's executions several times over; keeping the last write per second counts them once.
 */

/** Whether the double received the point as a count (v2 type 1, or v1 "count"). */
export function isCount(point: ReceivedPoint): boolean {
  return point.type === 'count';
}

/** The series a point belongs to: its metric and its tags, in any order. */
export function seriesKey(point: ReceivedPoint): string {
  return `${point.metric}|${[...point.tags].sort().join(',')}`;
}

export class CountPoints {
  private readonly byKey = new Map<string, ReceivedPoint>();

  /** Keeps each point, replacing the one of the same series and second: the last write wins. */
  add(points: Iterable<ReceivedPoint>): void {
    for (const point of points) {
      this.byKey.set(`${seriesKey(point)}|${point.timestamp}`, point);
    }
  }

  /** The stored points: one per series and second. */
  points(): ReceivedPoint[] {
    return [...this.byKey.values()];
  }

  /** Forgets the points older than `sinceSeconds`. */
  prune(sinceSeconds: number): void {
    for (const [key, point] of this.byKey) if (point.timestamp < sinceSeconds) this.byKey.delete(key);
  }

  get size(): number {
    return this.byKey.size;
  }
}
