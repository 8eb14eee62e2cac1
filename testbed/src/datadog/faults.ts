/**
 * The double's misbehaviour on request: faults queued and consumed one per request in arrival
 * order, and an outage that overrides them all until it ends.
 */

export interface RateLimitOptions {
  /** X-RateLimit-Reset: seconds until the limit resets. Default 1. */
  resetSeconds?: number;
  /** X-RateLimit-Limit. Default 100. */
  limit?: number;
  /** X-RateLimit-Period, seconds. Default 10. */
  periodSeconds?: number;
  /** X-RateLimit-Name. Default 'metrics_submission'. */
  name?: string;
}

export type Fault =
  | { kind: 'status'; status: number }
  | { kind: 'rate-limit'; options: Required<RateLimitOptions> }
  | { kind: 'delay'; delayMs: number }
  | { kind: 'drop'; afterAccept: boolean };

interface QueuedFault {
  fault: Fault;
  remaining: number;
}

/** A status for the next bodies that carry a metric (other bodies pass). */
interface MetricFault {
  readonly metric: string;
  readonly status: number;
  remaining: number;
}

export class FaultQueue {
  private readonly queued: QueuedFault[] = [];
  private readonly byMetric: MetricFault[] = [];
  /** The status every request gets during an outage. */
  private outage: number | undefined;

  /** `count` requests from now on get `fault`, after those already queued. */
  add(count: number, fault: Fault): void {
    checkCount(count);
    this.queued.push({ fault, remaining: count });
  }

  /** `count` bodies carrying a point of `metric` get `status`, in arrival order. */
  addForMetric(count: number, status: number, metric: string): void {
    checkCount(count);
    this.byMetric.push({ metric, status, remaining: count });
  }

  /** The status of a body of these points, if a metric fault is waiting for one of their metrics. */
  takeForMetrics(points: readonly { readonly metric: string }[]): number | undefined {
    // Bodies are looked at only while a metric fault waits.
    if (this.byMetric.length === 0) return undefined;
    const metrics = new Set(points.map((point) => point.metric));
    const at = this.byMetric.findIndex((fault) => metrics.has(fault.metric));
    if (at < 0) return undefined;
    const fault = this.byMetric[at];
    fault.remaining -= 1;
    if (fault.remaining === 0) this.byMetric.splice(at, 1);
    return fault.status;
  }

  static rateLimit(options: RateLimitOptions): Fault {
    return {
      kind: 'rate-limit',
      options: {
        resetSeconds: options.resetSeconds ?? 1,
        limit: options.limit ?? 100,
        periodSeconds: options.periodSeconds ?? 10,
        name: options.name ?? 'metrics_submission',
      },
    };
  }

  /** The fault of the next request, if any (the outage's status first). */
  take(): Fault | undefined {
    if (this.outage !== undefined) return { kind: 'status', status: this.outage };
    const head = this.queued[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining === 0) this.queued.shift();
    return head.fault;
  }

  /** The status of the outage under way, if one is. */
  get outageStatus(): number | undefined {
    return this.outage;
  }

  goDown(status: number): void {
    this.outage = status;
  }

  comeBack(): void {
    this.outage = undefined;
  }

  /** Forgets the queued faults and the outage. */
  clear(): void {
    this.queued.length = 0;
    this.byMetric.length = 0;
    this.outage = undefined;
  }
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
}
