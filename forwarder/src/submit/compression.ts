/**
 * Compressing request bodies with the Content-Encoding chosen for their endpoint (wire-format.ts):
 * gzip and deflate from node:zlib, zstd1 from node:zlib where this Node.js has zstd.
 */
import zlib from 'node:zlib';
import { DEFAULT_COMPRESSION_LEVELS } from '@algorithmia-datadog/metric-declaration';
import type { ContentEncoding } from './wire-format';

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

interface Compressor {
  readonly sync: SyncCompress;
  readonly async: AsyncCompress;
  /** zlib's level for gzip and deflate, zstd's for zstd1 (both 1–9 here). */
  readonly options: (level: number) => CompressOptions;
}

const zlibLevel = (level: number): CompressOptions => ({ level });

/** One per encoding the settings allow: a new choice does not compile without its compressor. */
const COMPRESSORS: Readonly<Record<ContentEncoding, Compressor>> = {
  gzip: { sync: zlib.gzipSync as SyncCompress, async: zlib.gzip as unknown as AsyncCompress, options: zlibLevel },
  deflate: { sync: zlib.deflateSync as SyncCompress, async: zlib.deflate as unknown as AsyncCompress, options: zlibLevel },
  zstd1: {
    sync: (input, options) => (zstd.zstdCompressSync as SyncCompress)(input, options),
    async: (input, options, callback) => (zstd.zstdCompress as AsyncCompress)(input, options, callback),
    options: (level) => ({ params: { [(zlib.constants as unknown as Record<string, number>).ZSTD_c_compressionLevel]: level } }),
  },
};

/** @param level undefined: the encoding's own (DEFAULT_COMPRESSION_LEVELS) */
export function compressSync(encoding: ContentEncoding, raw: Buffer, level: number | undefined): Buffer {
  return COMPRESSORS[encoding].sync(raw, optionsFor(encoding, level));
}

/** In libuv's thread pool. */
export function compress(encoding: ContentEncoding, raw: Buffer, level: number | undefined): Promise<Buffer> {
  const options = optionsFor(encoding, level);
  return new Promise((resolve, reject) =>
    COMPRESSORS[encoding].async(raw, options, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

function optionsFor(encoding: ContentEncoding, level: number | undefined): CompressOptions {
  return COMPRESSORS[encoding].options(level ?? DEFAULT_COMPRESSION_LEVELS[encoding]);
}
