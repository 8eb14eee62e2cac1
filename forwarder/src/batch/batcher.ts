import type { Ack } from '../commit/offset-ledger';
import { endpointFor, type Endpoint } from '../submit/wire-format';
import type { Series } from '../translate/point';
import { Batch } from './batch';

export interface BatcherOptions {
  /** Close a batch when its serialized size may pass this. Under the API's 5 242 880. */
  readonly maxBatchBytes: number;
  /** Close a non-empty batch this long after its first point, so quiet topics still flow. */
  readonly flushIntervalMs: number;
  /** Receives every closed batch. */
  readonly onBatch: (batch: Batch) => void;
  /**
   * With `senderIdle`: a non-empty batch is closed already this long after its first point if
   * the sender has nothing in flight then (sending it delays nothing else), and checked again as
   * often until `flushIntervalMs`. Keeps the tail of a backlog and a quiet topic from waiting the
   * whole interval. @default undefined (only `flushIntervalMs`)
   */
  readonly idleFlushMs?: number;
  /** True when nothing is being sent: see `idleFlushMs`. */
  readonly senderIdle?: () => boolean;
}

/**
 * Points → batches, one open batch per endpoint. A message's points always go into the batch
 * that is open when it arrives, so each message waits on at most one batch per endpoint.
 */
export class Batcher {
  private readonly open = new Map<Endpoint, Batch>();
  private timer: NodeJS.Timeout | undefined;
  private openPoints = 0;
  private openedAt = 0;

  constructor(private readonly options: BatcherOptions) {}

  /**
   * Adds one point. A message's points must be added one after another (its ack is held once per
   * batch it joins), then `messageDone` called.
   */
  addPoint(series: Series, timestamp: number, value: number, ack: Ack): void {
    const endpoint = endpointFor(series.kind);
    let batch = this.open.get(endpoint);
    if (batch === undefined) {
      batch = new Batch(endpoint);
      this.open.set(endpoint, batch);
    }
    // A message's points arrive together, so its ack is the batch's last one if it is there.
    if (batch.acks[batch.acks.length - 1] !== ack) {
      ack.hold();
      batch.acks.push(ack);
    }
    batch.addValue(series, timestamp, value);
    this.openPoints++;
    if (this.timer === undefined && this.openPoints > 0) {
      this.openedAt = Date.now();
      this.schedule();
    }
  }

  /** After a message's points: closes the batches that are full (never in the middle of a message). */
  messageDone(): void {
    for (const [endpoint, batch] of this.open) {
      if (batch.estimatedBytes >= this.options.maxBatchBytes) this.close(endpoint, batch);
    }
  }

  /** Closes every open batch now. */
  flush(): void {
    for (const [endpoint, batch] of this.open) this.close(endpoint, batch);
  }

  /** Points in batches not yet closed. */
  get bufferedPoints(): number {
    return this.openPoints;
  }

  private schedule(): void {
    const { flushIntervalMs, idleFlushMs, senderIdle } = this.options;
    const remaining = Math.max(0, flushIntervalMs - (Date.now() - this.openedAt));
    const idleCheck = idleFlushMs !== undefined && senderIdle !== undefined && idleFlushMs < remaining;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (!idleCheck || senderIdle?.()) this.flush();
        else this.schedule();
      },
      idleCheck ? idleFlushMs : remaining,
    );
  }

  private close(endpoint: Endpoint, batch: Batch): void {
    this.open.delete(endpoint);
    this.openPoints -= batch.pointCount;
    if (this.open.size === 0 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (batch.pointCount > 0) this.options.onBatch(batch);
    else batch.settle();
  }
}
