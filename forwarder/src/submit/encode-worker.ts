/** The thread that serializes and compresses request bodies (payload-encoder.ts). */
import { workerData } from 'node:worker_threads';
import { serveJobs } from '../threads/job-worker';
import { encodeSync, type EncodedBody, type EncodeJob } from './payload-encoder';

const { level } = workerData as { level: number | undefined };

serveJobs<EncodeJob, EncodedBody>((job) => {
  const encoded = encodeSync(job, level);
  // A body of its own to move: a small Buffer may be a slice of a shared pool.
  const { bytes } = encoded;
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
  return { answer: { ...encoded, bytes: own }, transfer: [own.buffer as ArrayBuffer] };
});
