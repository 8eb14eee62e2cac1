/** The thread that serializes and compresses request bodies (payload-encoder.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { encodeSync, type EncodeAnswer, type EncodeJob } from './payload-encoder';

const { level } = workerData as { level: number };

parentPort?.on('message', (job: EncodeJob) => {
  let answer: EncodeAnswer;
  let transfer: ArrayBuffer[] = [];
  try {
    const encoded = encodeSync(job.series, job.v2, job.oldestAccepted, level);
    // A body of its own to transfer: a small Buffer may be a slice of a shared pool.
    const own =
      encoded.bytes.byteOffset === 0 && encoded.bytes.byteLength === encoded.bytes.buffer.byteLength
        ? encoded.bytes
        : new Uint8Array(encoded.bytes);
    answer = {
      id: job.id,
      ok: true,
      bytes: own,
      uncompressedBytes: encoded.uncompressedBytes,
      pointCount: encoded.pointCount,
      tooOld: encoded.tooOld,
    };
    transfer = [own.buffer as ArrayBuffer];
  } catch (error) {
    answer = { id: job.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(answer, transfer);
});
