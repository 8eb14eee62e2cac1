import type { Batch } from '../batch/batch';
import { SubmitAborted, type SubmitOutcome, type Submitter } from './submitter';

export interface SubmitQueueOptions {
  readonly submitter: Submitter;
  /** Batches sent at once. More hides latency; each holds up to one batch in memory. */
  readonly maxInFlight: number;
  /** Called once per batch when it is settled (not when aborted). */
  readonly onSettled: (batch: Batch, outcome: SubmitOutcome) => void;
  readonly onError: (error: unknown) => void;
}

/** Closed batches waiting for, or in, an HTTP request. */
export class SubmitQueue {
  private readonly waiting: Batch[] = [];
  private inFlight = 0;
  private points = 0;
  private readonly abortController = new AbortController();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: SubmitQueueOptions) {}

  enqueue(batch: Batch): void {
    this.points += batch.pointCount;
    this.waiting.push(batch);
    this.pump();
  }

  /** Points queued or being sent. */
  get bufferedPoints(): number {
    return this.points;
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Gives up on every batch not yet settled: they stay uncommitted and will be read again. */
  abort(): void {
    this.abortController.abort();
    for (const batch of this.waiting) this.points -= batch.pointCount;
    this.waiting.length = 0;
    this.notifyIfIdle();
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0 && !this.abortController.signal.aborted) {
      const batch = this.waiting.shift() as Batch;
      this.inFlight++;
      this.options.submitter
        .submit(batch, this.abortController.signal)
        .then(
          (outcome) => {
            // Lowered before onSettled, so that what it reports (gauges, readiness) is already true.
            this.points -= batch.pointCount;
            this.options.onSettled(batch, outcome);
          },
          (error) => {
            this.points -= batch.pointCount;
            if (!(error instanceof SubmitAborted)) this.options.onError(error);
          },
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
          this.notifyIfIdle();
        });
    }
  }

  private notifyIfIdle(): void {
    if (this.inFlight > 0 || this.waiting.length > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
