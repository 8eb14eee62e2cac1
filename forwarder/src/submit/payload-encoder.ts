/**
 * Request bodies: a batch's series → JSON → gzip. This is most of the work of sending, and none
 * of it needs the main thread, which is busy reading Kafka: by default it runs in a worker thread
 * of its own (encode-worker.ts), so serializing and compressing overlap with consuming and use the
 * second core. Where the compiled worker is not available (the stages' unit tests run the
 * TypeScript sources), it runs in this thread, gzip in libuv's pool.
 */
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback, gzipSync } from 'node:zlib';
import type { SeriesPoints } from '../batch/batch';
import { serializeSeries } from '../batch/payload';
import { JobWorker } from '../threads/job-worker';

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

/** What the encoding thread answers: the body arrives as a plain Uint8Array. */
export type EncodedBody = Omit<EncodedPayload, 'bytes'> & { readonly bytes: Uint8Array };

/** A job of the encoding thread. */
export interface EncodeJob {
  readonly series: readonly SeriesPoints[];
  readonly v2: boolean;
  readonly oldestAccepted: number;
}

export const ENCODE_WORKER_FILE = path.join(__dirname, 'encode-worker.js');
/** The worker's heap: a few bodies of up to 5 MB of JSON at a time. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 };

/** Encodes in one worker thread (encode-worker.ts), jobs in order; in this thread if it dies. */
export class WorkerEncoder implements PayloadEncoder {
  private readonly worker: JobWorker<EncodeJob, EncodedBody>;

  constructor(level: number, workerFile = ENCODE_WORKER_FILE) {
    const fallback = new InThreadEncoder(level);
    this.worker = new JobWorker<EncodeJob, EncodedBody>({
      file: workerFile,
      workerData: { level },
      resourceLimits: WORKER_LIMITS,
      fallback: (job) => fallback.encode(job.series, job.v2, job.oldestAccepted),
      describeError: (message) => `encoding a request body failed: ${message}`,
    });
  }

  async encode(series: readonly SeriesPoints[], v2: boolean, oldestAccepted: number): Promise<EncodedPayload> {
    const encoded = await this.worker.run({ series, v2, oldestAccepted });
    // Transferred as a Uint8Array: a Buffer again, over the same memory.
    const { bytes } = encoded;
    return { ...encoded, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}

/** The worker when the compiled worker file is there (the built forwarder), else this thread. */
export function defaultEncoder(level: number): PayloadEncoder {
  return JobWorker.available(ENCODE_WORKER_FILE) ? new WorkerEncoder(level) : new InThreadEncoder(level);
}
