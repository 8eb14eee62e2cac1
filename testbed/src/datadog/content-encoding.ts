/**
 * Undoing a request's Content-Encoding, for the double and the bench intake: gzip, deflate (zlib
 * format, as HTTP and Datadog's client mean it) and zstd1 (a zstd frame). zstd comes from node:zlib
 * where the runtime has it (Node 22.15 / 23.8 and later) and from fzstd otherwise, so that a
 * harness on an older Node still reads what a forwarder on the image's Node sends.
 */
import zlib from 'node:zlib';
import { decompress as fzstdDecompress } from 'fzstd';

/** Why a body could not be decoded: too large once decoded (413), or not valid (400). */
export class BodyDecodeError extends Error {
  constructor(
    readonly tooLarge: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'BodyDecodeError';
  }
}

type SyncDecoder = (input: Buffer, options: zlib.ZlibOptions) => Buffer;

const nativeZstd = (zlib as unknown as { zstdDecompressSync?: SyncDecoder }).zstdDecompressSync;

const decoders: Readonly<Record<string, SyncDecoder>> = {
  gzip: zlib.gunzipSync,
  deflate: zlib.inflateSync,
  zstd1: nativeZstd ?? ((input) => Buffer.from(fzstdDecompress(input))),
};

/** The encodings this module can undo (besides identity). */
export const DECODABLE_ENCODINGS: readonly string[] = Object.keys(decoders);

/** The decoded body, at most `maxDecodedBytes` long; throws BodyDecodeError. */
export function decodeBody(encoding: string, body: Buffer, maxDecodedBytes: number): Buffer {
  if (encoding === 'identity') return body;
  const decode = decoders[encoding];
  if (!decode) throw new BodyDecodeError(false, `cannot decode Content-Encoding ${encoding}`);
  let decoded: Buffer;
  try {
    decoded = decode(body, { maxOutputLength: maxDecodedBytes + 1 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyDecodeError(true, `more than ${maxDecodedBytes} bytes once decoded`);
    }
    throw new BodyDecodeError(false, `not valid ${encoding}: ${(error as Error).message}`);
  }
  if (decoded.length > maxDecodedBytes) throw new BodyDecodeError(true, `${decoded.length} bytes once decoded, at most ${maxDecodedBytes}`);
  return decoded;
}
