/**
 * Request bodies: a batch's series → JSON → compressed with the endpoint's Content-Encoding
 * (payload.ts, compression.ts). This is most of the work of sending, and none of it needs the main thread, which is busy reading Kafka: by default it runs in a worker thread
 * of its own (encode-worker.ts), so serializing and compressing overlap with consuming and use the
 * second core. Where the compiled worker is not available (the stages' unit tests run the
 * TypeScript sources), it runs in this thread, compression in libuv's pool.
 */
import path from 'node:path';
import type { SeriesPoints } from '../batch/batch';
import { JobWorker } from '../threads/job-worker';
import { compress, compressSync } from './compression';
import { serializeSeries } from './payload';
import type { ContentEncoding, Endpoint } from './wire-format';

/** A compressed body and what it carries. */
export interface EncodedPayload {
  readonly bytes: Buffer;
  readonly encoding: ContentEncoding;
  readonly uncompressedBytes: number;
  readonly pointCount: number;
  /** Points left out because they became older than Datadog accepts while waiting. */
  readonly tooOld: number;
}

/** A job: the series of one request, and how to send them. */
export interface EncodeJob {
  readonly series: readonly SeriesPoints[];
  /** Where the body goes, which decides its JSON (payload.ts). */
  readonly endpoint: Endpoint;
  /** Points older than this (seconds) are left out. */
  readonly oldestAccepted: number;
  readonly encoding: ContentEncoding;
}

export interface PayloadEncoder {
  /** No points left: an empty body. */
  encode(job: EncodeJob): Promise<EncodedPayload>;
  /** Stops a worker, if any; later encodes run in this thread. */
  close(): Promise<void>;
}

/** The whole job, synchronously: what the worker thread runs. */
export function encodeSync(job: EncodeJob, level: number | undefined): EncodedPayload {
  const { encoding } = job;
  const payload = serializeSeries(job.series, job.endpoint, job.oldestAccepted);
  if (payload.pointCount === 0) return { bytes: Buffer.alloc(0), encoding, uncompressedBytes: 0, pointCount: 0, tooOld: payload.tooOld };
  const raw = Buffer.from(payload.json, 'utf8');
  const bytes = compressSync(encoding, raw, level);
  return { bytes, encoding, uncompressedBytes: raw.length, pointCount: payload.pointCount, tooOld: payload.tooOld };
}

/** Serializes in this thread, compresses in libuv's thread pool. */
export class InThreadEncoder implements PayloadEncoder {
  constructor(private readonly level: number | undefined) {}

  async encode(job: EncodeJob): Promise<EncodedPayload> {
    const { encoding } = job;
    const payload = serializeSeries(job.series, job.endpoint, job.oldestAccepted);
    if (payload.pointCount === 0) return { bytes: Buffer.alloc(0), encoding, uncompressedBytes: 0, pointCount: 0, tooOld: payload.tooOld };
    const raw = Buffer.from(payload.json, 'utf8');
    const bytes = await compress(encoding, raw, this.level);
    return { bytes, encoding, uncompressedBytes: raw.length, pointCount: payload.pointCount, tooOld: payload.tooOld };
  }

  async close(): Promise<void> {}
}

/** What the encoding thread answers: the body arrives as a plain Uint8Array. */
export type EncodedBody = Omit<EncodedPayload, 'bytes'> & { readonly bytes: Uint8Array };

export const ENCODE_WORKER_FILE = path.join(__dirname, 'encode-worker.js');
/** The worker's heap: a few bodies of up to 5 MB of JSON at a time. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 };

/**
 * Bodies of fewer points are encoded in this thread while the worker has nothing in hand: about
 * 1 MB of JSON, 7 ms of serializing. At a steady, moderate rate (5 000 messages/s sends ~7 500
 * points every half second) the thread is then never started; at full rate (bodies of ~35 000
 * points) every body goes to it.
 */
export const ENCODE_IN_PLACE_BELOW_POINTS = 20_000;

/** Encodes large bodies in one worker thread (encode-worker.ts), jobs in order; in this thread if it dies. */
export class WorkerEncoder implements PayloadEncoder {
  private readonly worker: JobWorker<EncodeJob, EncodedBody>;
  private readonly here: InThreadEncoder;

  constructor(
    level: number | undefined,
    workerFile = ENCODE_WORKER_FILE,
    private readonly inPlaceBelowPoints = ENCODE_IN_PLACE_BELOW_POINTS,
  ) {
    const here = (this.here = new InThreadEncoder(level));
    this.worker = new JobWorker<EncodeJob, EncodedBody>({
      file: workerFile,
      workerData: { level },
      resourceLimits: WORKER_LIMITS,
      fallback: (job) => here.encode(job),
      describeError: (message) => `encoding a request body failed: ${message}`,
    });
  }

  /** Threads started so far (the bench and tests read it). */
  get threadsStarted(): number {
    return this.worker.threadsStarted;
  }

  async encode(job: EncodeJob): Promise<EncodedPayload> {
    if (!this.worker.busy && pointsOf(job) < this.inPlaceBelowPoints) return this.here.encode(job);
    const encoded = await this.worker.run(job);
    // Transferred as a Uint8Array: a Buffer again, over the same memory.
    const { bytes } = encoded;
    return { ...encoded, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}

function pointsOf(job: EncodeJob): number {
  let points = 0;
  for (const series of job.series) points += series.values.length;
  return points;
}

/** The worker when the compiled worker file is there (the built forwarder), else this thread. */
export function defaultEncoder(level: number | undefined): PayloadEncoder {
  return JobWorker.available(ENCODE_WORKER_FILE) ? new WorkerEncoder(level) : new InThreadEncoder(level);
}
