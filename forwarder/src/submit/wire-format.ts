/**
 * How a request body goes on the wire, per endpoint: its Content-Type and Content-Encoding, as
 * Datadog's published API (the OpenAPI description its official clients are generated from) lists
 * them. The test bed checks these tables against the official client's models.
 */
import zlib from 'node:zlib';
import type { Endpoint } from '../batch/batch';

/** Content-Encoding values the forwarder can send. */
export const CONTENT_ENCODINGS = ['zstd1', 'gzip', 'deflate'] as const;
export type ContentEncoding = (typeof CONTENT_ENCODINGS)[number];

/** FORWARDER_CONTENT_ENCODING: `auto`, or one encoding for every endpoint. */
export const CONTENT_ENCODING_CHOICES = ['auto', ...CONTENT_ENCODINGS] as const;
export type ContentEncodingChoice = (typeof CONTENT_ENCODING_CHOICES)[number];

/**
 * What the spec lists for each endpoint, in the order `auto` prefers them: v2 `MetricContentEncoding`
 * (deflate, zstd1, gzip) and v1 `DistributionPointsContentEncoding` (deflate only).
 */
export const ENDPOINT_ENCODINGS: Readonly<Record<Endpoint, readonly ContentEncoding[]>> = {
  series: ['zstd1', 'gzip', 'deflate'],
  distribution_points: ['deflate'],
};

/** The request media type the spec gives each endpoint. */
export const MEDIA_TYPES: Readonly<Record<Endpoint, string>> = {
  series: 'application/json',
  distribution_points: 'text/json',
};

// zstd is in node:zlib since Node 22.15 / 23.8 (the image's Node 26 has it); @types/node 20 does
// not know it.
type CompressOptions = zlib.ZlibOptions | { params: Record<number, number> };
type SyncCompress = (input: Buffer, options: CompressOptions) => Buffer;
type AsyncCompress = (input: Buffer, options: CompressOptions, callback: (error: Error | null, result: Buffer) => void) => void;
const zstd = zlib as unknown as { zstdCompressSync?: SyncCompress; zstdCompress?: AsyncCompress };

/** Whether this Node.js can make zstd bodies. */
export function runtimeHasZstd(): boolean {
  return typeof zstd.zstdCompressSync === 'function' && typeof zstd.zstdCompress === 'function';
}

/** The encoding of each endpoint's bodies for a choice, or why it cannot be done (one line). */
export function resolveEncodings(
  choice: ContentEncodingChoice,
  usedEndpoints: readonly Endpoint[],
  hasZstd = runtimeHasZstd(),
): { encodings: Record<Endpoint, ContentEncoding> } | { problem: string } {
  if (choice === 'zstd1' && !hasZstd) {
    return { problem: `needs Node.js 22.15 or later (zlib.zstdCompress), this is Node.js ${process.version}: use auto or gzip` };
  }
  const pick = (endpoint: Endpoint): ContentEncoding | undefined => {
    const listed = ENDPOINT_ENCODINGS[endpoint];
    if (choice !== 'auto') return listed.includes(choice) ? choice : undefined;
    return listed.find((encoding) => encoding !== 'zstd1' || hasZstd);
  };
  for (const endpoint of usedEndpoints) {
    if (pick(endpoint) === undefined) {
      const listed = ENDPOINT_ENCODINGS[endpoint].join(', ');
      return {
        problem: `Datadog takes only ${listed} on ${endpointPath(endpoint)}, where declared distributions go: use auto or ${listed}`,
      };
    }
  }
  // An endpoint no metric goes to keeps the encoding auto would give it.
  const fallback = (endpoint: Endpoint): ContentEncoding =>
    pick(endpoint) ?? (ENDPOINT_ENCODINGS[endpoint].find((encoding) => encoding !== 'zstd1' || hasZstd) as ContentEncoding);
  return { encodings: { series: fallback('series'), distribution_points: fallback('distribution_points') } };
}

function endpointPath(endpoint: Endpoint): string {
  return endpoint === 'series' ? '/api/v2/series' : '/api/v1/distribution_points';
}

/** zlib's level for gzip and deflate, zstd's for zstd1 (both 1–9 here; 3 is zstd's own default). */
function options(encoding: ContentEncoding, level: number): CompressOptions {
  if (encoding !== 'zstd1') return { level };
  return { params: { [(zlib.constants as unknown as Record<string, number>).ZSTD_c_compressionLevel]: level } };
}

export function compressSync(encoding: ContentEncoding, raw: Buffer, level: number): Buffer {
  if (encoding === 'gzip') return zlib.gzipSync(raw, { level });
  if (encoding === 'deflate') return zlib.deflateSync(raw, { level });
  return (zstd.zstdCompressSync as SyncCompress)(raw, options(encoding, level));
}

/** In libuv's thread pool. */
export function compress(encoding: ContentEncoding, raw: Buffer, level: number): Promise<Buffer> {
  const run: AsyncCompress =
    encoding === 'gzip'
      ? (zlib.gzip as unknown as AsyncCompress)
      : encoding === 'deflate'
        ? (zlib.deflate as unknown as AsyncCompress)
        : (zstd.zstdCompress as AsyncCompress);
  return new Promise((resolve, reject) => run(raw, options(encoding, level), (error, result) => (error ? reject(error) : resolve(result))));
}
