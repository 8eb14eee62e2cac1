/**
 * Request bodies: a batch's series → JSON → gzip. This is most of the work of sending, and none
 * of it needs the main thread, which is busy reading Kafka: by default it runs in a worker thread
 * of its own (encode-worker.ts), so serializing and compressing overlap with consuming and use the
 * second core. Where the compiled worker is not available (the stages' unit tests run the
 * TypeScript sources), it runs in this thread, gzip in libuv's pool.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { gzip as gzipCallback, gzipSync } from 'node:zlib';
import type { SeriesPoints } from '../batch/batch';
import { serializeSeries } from '../batch/payload';

const gzip = promisify(gzipCallback);

/** A gzip body and what it carries. */
export interface EncodedPayload {
  readonly bytes: Buffer;
  readonly uncompressedBytes: number;
  readonly pointCount: number;
  /** Points left out because they became older than Datadog accepts while waiting. */
  readonly tooOld: number;
}

export interface PayloadEncoder {
  /** Points older than `oldestAccepted` (seconds) are left out; no points: an empty body. */
  encode(series: readonly SeriesPoints[], v2: boolean, oldestAccepted: number): Promise<EncodedPayload>;
  /** Stops a worker, if any; later encodes run in this thread. */
  close(): Promise<void>;
}

/** The whole job, synchronously: what the worker thread runs. */
export function encodeSync(series: readonly SeriesPoints[], v2: boolean, oldestAccepted: number, level: number): EncodedPayload {
  const payload = serializeSeries(series, v2, oldestAccepted);
  if (payload.pointCount === 0) return { bytes: Buffer.alloc(0), uncompressedBytes: 0, pointCount: 0, tooOld: payload.tooOld };
  const raw = Buffer.from(payload.json, 'utf8');
  return { bytes: gzipSync(raw, { level }), uncompressedBytes: raw.length, pointCount: payload.pointCount, tooOld: payload.tooOld };
}

/** Serializes in this thread, compresses in libuv's thread pool. */
export class InThreadEncoder implements PayloadEncoder {
  constructor(private readonly level: number) {}

  async encode(series: readonly SeriesPoints[], v2: boolean, oldestAccepted: number): Promise<EncodedPayload> {
    const payload = serializeSeries(series, v2, oldestAccepted);
    if (payload.pointCount === 0) return { bytes: Buffer.alloc(0), uncompressedBytes: 0, pointCount: 0, tooOld: payload.tooOld };
    const raw = Buffer.from(payload.json, 'utf8');
    return {
      bytes: await gzip(raw, { level: this.level }),
      uncompressedBytes: raw.length,
      pointCount: payload.pointCount,
      tooOld: payload.tooOld,
    };
  }

  async close(): Promise<void> {}
}

/** Job sent to the worker; its answer carries the body in a transferred buffer. */
export interface EncodeJob {
  readonly id: number;
  readonly series: readonly SeriesPoints[];
  readonly v2: boolean;
  readonly oldestAccepted: number;
}
export type EncodeAnswer =
  | {
      readonly id: number;
      readonly ok: true;
      readonly bytes: Uint8Array;
      readonly uncompressedBytes: number;
      readonly pointCount: number;
      readonly tooOld: number;
    }
  | { readonly id: number; readonly ok: false; readonly error: string };

export const ENCODE_WORKER_FILE = path.join(__dirname, 'encode-worker.js');
/** The worker's heap: a few bodies of up to 5 MB of JSON at a time. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 };

interface Pending {
  readonly job: EncodeJob;
  readonly resolve: (payload: EncodedPayload) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Encodes in one worker thread, jobs in order. If the worker dies, what it held and everything
 * after is encoded in this thread instead: a batch is never left unsent because of it.
 */
export class WorkerEncoder implements PayloadEncoder {
  private worker: Worker | undefined;
  private readonly fallback: InThreadEncoder;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(level: number, workerFile = ENCODE_WORKER_FILE) {
    this.fallback = new InThreadEncoder(level);
    const worker = new Worker(workerFile, { workerData: { level }, resourceLimits: WORKER_LIMITS });
    worker.on('message', (answer: EncodeAnswer) => this.answered(answer));
    worker.on('error', () => this.abandon(worker));
    worker.on('exit', () => this.abandon(worker));
    worker.unref();
    this.worker = worker;
  }

  encode(series: readonly SeriesPoints[], v2: boolean, oldestAccepted: number): Promise<EncodedPayload> {
    const worker = this.worker;
    if (worker === undefined) return this.fallback.encode(series, v2, oldestAccepted);
    const job: EncodeJob = { id: this.nextId++, series, v2, oldestAccepted };
    return new Promise((resolve, reject) => {
      this.pending.set(job.id, { job, resolve, reject });
      // Referenced while it holds work, so the process waits for the answer.
      if (this.pending.size === 1) worker.ref();
      worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    this.abandon(worker);
    await worker.terminate();
  }

  private answered(answer: EncodeAnswer): void {
    const pending = this.pending.get(answer.id);
    if (pending === undefined) return;
    this.pending.delete(answer.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (!answer.ok) {
      pending.reject(new Error(`encoding a request body failed: ${answer.error}`));
      return;
    }
    const { bytes, uncompressedBytes, pointCount, tooOld } = answer;
    pending.resolve({ bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), uncompressedBytes, pointCount, tooOld });
  }

  /** The worker is gone: its jobs are done here, and so is everything after. */
  private abandon(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const jobs = [...this.pending.values()];
    this.pending.clear();
    for (const { job, resolve, reject } of jobs) this.fallback.encode(job.series, job.v2, job.oldestAccepted).then(resolve, reject);
  }
}

/** The worker when the compiled worker file is there (the built forwarder), else this thread. */
export function defaultEncoder(level: number): PayloadEncoder {
  return existsSync(ENCODE_WORKER_FILE) ? new WorkerEncoder(level) : new InThreadEncoder(level);
}
