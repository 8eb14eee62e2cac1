import { existsSync } from 'node:fs';
import path from 'node:path';
import zlib, { gunzipSync, inflateSync } from 'node:zlib';
import { DEFAULT_COMPRESSION_LEVELS, type MetricKind } from '@algorithmia-datadog/metric-declaration';
import type { SeriesPoints } from '../../../src/batch/batch';
import { runtimeHasZstd } from '../../../src/submit/compression';
import { serializeSeries } from '../../../src/submit/payload';
import {
  encodeSync,
  ENCODE_IN_PLACE_BELOW_POINTS,
  InThreadEncoder,
  WorkerEncoder,
  type EncodeJob,
} from '../../../src/submit/payload-encoder';
import { endpointFor, type ContentEncoding } from '../../../src/submit/wire-format';

/** The compiled worker: the encoder runs it in the built forwarder (`npm run build`, which npm test runs first). */
const WORKER_FILE = path.resolve(__dirname, '../../../dist/submit/encode-worker.js');

function series(count: number, points: number, at = 1_700_000_000, kind: MetricKind = 'gauge'): SeriesPoints[] {
  return Array.from({ length: count }, (_, s) => ({
    metric: `algorithmia.m${s}`,
    kind,
    tags: [`algorithm_name:a${s}`, 'algorithm_version:1.0.0'],
    unit: s === 0 ? 'millisecond' : undefined,
    timestamps: Array.from({ length: points }, (_, p) => at + p),
    values: Array.from({ length: points }, (_, p) => s * 1000 + p + 0.5),
  }));
}

const body = (bytes: Buffer): string => (bytes.length === 0 ? '' : gunzipSync(bytes).toString('utf8'));
/** The series' endpoint follows their kind, as in a batch. */
const job = (input: SeriesPoints[], oldestAccepted: number, encoding: ContentEncoding = 'gzip'): EncodeJob => ({
  series: input,
  endpoint: endpointFor(input[0].kind),
  oldestAccepted,
  encoding,
});
const zstdDecompressSync = (zlib as unknown as { zstdDecompressSync?: (input: Buffer) => Buffer }).zstdDecompressSync;
const decoders: Record<ContentEncoding, ((input: Buffer) => Buffer) | undefined> = {
  gzip: gunzipSync,
  deflate: inflateSync,
  zstd1: zstdDecompressSync,
};

describe('encodeSync', () => {
  it('is the serialized batch, gzipped, with what it carries', () => {
    const input = series(3, 4);
    const encoded = encodeSync(job(input, 0), 3);
    expect(body(encoded.bytes)).toBe(serializeSeries(input, 'series', 0).json);
    expect(encoded).toMatchObject({
      pointCount: 12,
      tooOld: 0,
      uncompressedBytes: Buffer.byteLength(serializeSeries(input, 'series', 0).json),
    });
  });

  it('leaves out points older than the window and counts them; none left: an empty body', () => {
    expect(encodeSync(job(series(1, 4), 1_700_000_002), 3)).toMatchObject({ pointCount: 2, tooOld: 2 });
    expect(encodeSync(job(series(1, 4), 1_800_000_000), 3)).toMatchObject({ pointCount: 0, tooOld: 4, uncompressedBytes: 0 });
  });

  it.each(['gzip', 'deflate', 'zstd1'] as const)('compresses with %s when asked (zstd1 where this Node.js has it)', (encoding) => {
    if (encoding === 'zstd1' && !runtimeHasZstd()) {
      expect(() => encodeSync(job(series(1, 1), 0, encoding), 3)).toThrow();
      return;
    }
    const input = series(2, 3, undefined, 'distribution');
    const encoded = encodeSync(job(input, 0, encoding), 3);
    expect(encoded.encoding).toBe(encoding);
    expect(decoders[encoding]?.(encoded.bytes).toString('utf8')).toBe(serializeSeries(input, 'distribution_points', 0).json);
  });
});

describe('compression levels', () => {
  // Bodies of the shape levels tell apart: many points whose values differ.
  const input = series(20, 200).map((s, i) => ({ ...s, values: s.values.map((v, p) => v + ((p * 7919 + i * 104_729) % 1000) / 8) }));
  const bytesAt = (encoding: ContentEncoding, level: number | undefined) => encodeSync(job(input, 0, encoding), level).bytes;

  it.each(Object.entries(DEFAULT_COMPRESSION_LEVELS))('unset, %s compresses at its own level, %i', (encoding, level) => {
    if (encoding === 'zstd1' && !runtimeHasZstd()) return;
    const own = bytesAt(encoding as ContentEncoding, undefined);
    expect(own.equals(bytesAt(encoding as ContentEncoding, level))).toBe(true);
    expect(own.equals(bytesAt(encoding as ContentEncoding, level > 1 ? 1 : 9))).toBe(false);
  });
});

describe('WorkerEncoder (the compiled worker thread)', () => {
  beforeAll(() => {
    if (!existsSync(WORKER_FILE)) throw new Error(`${WORKER_FILE} is missing: run \`npm run build\` first`);
  });

  it('encodes exactly what this thread would, jobs answered in order, also concurrently', async () => {
    const encoder = new WorkerEncoder(3, WORKER_FILE, 0);
    const local = new InThreadEncoder(3);
    try {
      const inputs = [series(2, 3), series(50, 200), series(1, 1), series(3, 2, 1_600_000_000)];
      const [viaWorker, here] = await Promise.all([
        Promise.all(inputs.map((input) => encoder.encode(job(input, 1_650_000_000)))),
        Promise.all(inputs.map((input) => local.encode(job(input, 1_650_000_000)))),
      ]);
      expect(viaWorker.map((e) => [body(e.bytes), e.pointCount, e.tooOld])).toEqual(
        here.map((e) => [body(e.bytes), e.pointCount, e.tooOld]),
      );
      expect(viaWorker.map((e) => e.pointCount)).toEqual([6, 10_000, 1, 0]);
    } finally {
      await encoder.close();
    }
  });

  it('encodes a small body in place without starting the thread, and a large one in the thread', async () => {
    const encoder = new WorkerEncoder(3, WORKER_FILE);
    const local = new InThreadEncoder(3);
    try {
      const small = job(series(10, 100), 0);
      expect(body((await encoder.encode(small)).bytes)).toEqual(body((await local.encode(small)).bytes));
      expect(encoder.threadsStarted).toBe(0);
      const large = job(series(100, ENCODE_IN_PLACE_BELOW_POINTS / 100), 0);
      const encoded = await encoder.encode(large);
      expect(encoded.pointCount).toBe(ENCODE_IN_PLACE_BELOW_POINTS);
      expect(body(encoded.bytes)).toEqual(body((await local.encode(large)).bytes));
      expect(encoder.threadsStarted).toBe(1);
    } finally {
      await encoder.close();
    }
  });

  it('still encodes every body when its worker is gone (in this thread)', async () => {
    const encoder = new WorkerEncoder(3, WORKER_FILE, 0);
    const pending = encoder.encode(job(series(2, 2), 0));
    await encoder.close();
    await expect(pending).resolves.toMatchObject({ pointCount: 4 });
    const distributions = series(1, 3, undefined, 'distribution');
    const after = await encoder.encode(job(distributions, 0, 'deflate'));
    expect(JSON.parse(inflateSync(after.bytes).toString('utf8'))).toEqual(
      JSON.parse(serializeSeries(distributions, 'distribution_points', 0).json),
    );
  });
});
