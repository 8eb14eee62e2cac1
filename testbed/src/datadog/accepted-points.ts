/** What the double accepted: every point (or only counts, for benchmarks), duplicates, totals. */
import { pointKey, type AcceptedPoint } from './datadog-payload';
import type { Verdict } from './judge';
import type { RequestSummary } from './request-summary';

export interface DoubleStats {
  requests: number;
  requestsByStatus: Record<number, number>;
  acceptedRequests: number;
  acceptedPoints: number;
  droppedPoints: number;
  duplicatePoints: number;
  wireBytes: number;
  decodedBytes: number;
  pointsByMetric: Record<string, number>;
}

const emptyTotals = () => ({ acceptedRequests: 0, acceptedPoints: 0, droppedPoints: 0, duplicatePoints: 0, wireBytes: 0, decodedBytes: 0 });

export class AcceptedPoints {
  /** Every request, in arrival order. */
  readonly requests: RequestSummary[] = [];
  private points: AcceptedPoint[] = [];
  private pointsByMetric = new Map<string, AcceptedPoint[]>();
  private countByMetric = new Map<string, number>();
  private countByPointKey = new Map<string, number>();
  private totals = emptyTotals();
  private requestsByStatus = new Map<number, number>();

  constructor(private readonly options: { readonly recordPoints: boolean; readonly trackDuplicates: boolean }) {}

  /** A request answered. */
  addRequest(summary: RequestSummary): void {
    this.totals.wireBytes += summary.wireBytes;
    this.totals.decodedBytes += summary.decodedBytes;
    this.requestsByStatus.set(summary.status, (this.requestsByStatus.get(summary.status) ?? 0) + 1);
    this.requests.push(summary);
  }

  /** The points of an accepted request. */
  addAccepted(verdict: Verdict): void {
    this.totals.acceptedRequests += 1;
    this.totals.acceptedPoints += verdict.points.length;
    this.totals.droppedPoints += verdict.droppedPoints;
    for (const point of verdict.points) {
      this.countByMetric.set(point.metric, (this.countByMetric.get(point.metric) ?? 0) + 1);
      if (this.options.recordPoints) {
        this.points.push(point);
        let ofMetric = this.pointsByMetric.get(point.metric);
        if (!ofMetric) this.pointsByMetric.set(point.metric, (ofMetric = []));
        ofMetric.push(point);
      }
      if (this.options.trackDuplicates) {
        const key = pointKey(point);
        const seen = this.countByPointKey.get(key) ?? 0;
        if (seen > 0) this.totals.duplicatePoints += 1;
        this.countByPointKey.set(key, seen + 1);
      }
    }
  }

  all(): readonly AcceptedPoint[] {
    return this.points;
  }

  of(metric: string): readonly AcceptedPoint[] {
    return this.pointsByMetric.get(metric) ?? [];
  }

  count(metric?: string): number {
    return metric === undefined ? this.totals.acceptedPoints : (this.countByMetric.get(metric) ?? 0);
  }

  metrics(): string[] {
    return [...this.countByMetric.keys()];
  }

  duplicates(): Array<{ key: string; count: number }> {
    const found: Array<{ key: string; count: number }> = [];
    for (const [key, count] of this.countByPointKey) if (count > 1) found.push({ key, count });
    return found;
  }

  stats(): DoubleStats {
    return {
      requests: this.requests.length,
      requestsByStatus: Object.fromEntries(this.requestsByStatus),
      ...this.totals,
      pointsByMetric: Object.fromEntries(this.countByMetric),
    };
  }

  clear(): void {
    this.requests.length = 0;
    this.points = [];
    this.pointsByMetric = new Map();
    this.countByMetric = new Map();
    this.countByPointKey = new Map();
    this.requestsByStatus = new Map();
    this.totals = emptyTotals();
  }

  /** For a wait that timed out: what arrived. */
  describe(): string {
    const byStatus = [...this.requestsByStatus].map(([status, count]) => `${count}×${status}`).join(', ') || 'none';
    const byMetric = [...this.countByMetric]
      .slice(0, 10)
      .map(([metric, count]) => `${metric}=${count}`)
      .join(', ');
    return `${this.requests.length} requests (${byStatus}), ${this.totals.acceptedPoints} points${byMetric ? ` (${byMetric})` : ''}`;
  }
}
