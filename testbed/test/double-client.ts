/** A plain HTTP client for the double's tests, so that each test controls headers and bytes exactly. */
import http from 'node:http';
import zlib from 'node:zlib';

import { DatadogDouble } from '../src/datadog/datadog-double';

export const API_KEY = 'test-key';
export const NOW_MS = 1_700_000_000_000;
export const NOW = NOW_MS / 1000;

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { errors?: string[] } & Record<string, unknown>;
}

export interface PostOptions {
  apiKey?: string | null;
  encoding?: 'gzip' | 'deflate' | 'zstd1' | 'identity' | 'br';
  contentType?: string;
  timeoutMs?: number;
  raw?: Buffer;
}

/** A plain node:http client, so that each test controls headers and bytes exactly. */
export function post(double: DatadogDouble, path: string, payload: unknown, options: PostOptions = {}): Promise<Reply> {
  const json = Buffer.from(JSON.stringify(payload));
  const encoding = options.encoding ?? 'identity';
  const body = options.raw ?? encode(encoding, json);
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': options.contentType ?? 'application/json',
    'Content-Length': body.length,
  };
  if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
  const apiKey = options.apiKey === undefined ? API_KEY : options.apiKey;
  if (apiKey !== null) headers['DD-API-KEY'] = apiKey;
  return new Promise((resolve, reject) => {
    const request = http.request(`${double.url}${path}`, { method: 'POST', headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text ? JSON.parse(text) : {} });
      });
    });
    request.on('error', reject);
    if (options.timeoutMs) {
      request.setTimeout(options.timeoutMs, () => request.destroy(new Error('client timeout')));
    }
    request.end(body);
  });
}

export const zstdCompressSync = (zlib as unknown as { zstdCompressSync?: (input: Buffer) => Buffer }).zstdCompressSync;

function encode(encoding: NonNullable<PostOptions['encoding']>, json: Buffer): Buffer {
  if (encoding === 'gzip') return zlib.gzipSync(json);
  if (encoding === 'deflate') return zlib.deflateSync(json);
  if (encoding === 'br') return zlib.brotliCompressSync(json);
  if (encoding === 'zstd1') {
    if (!zstdCompressSync) throw new Error('this Node.js has no zstd');
    return zstdCompressSync(json);
  }
  return json;
}

export function v2(metric: string, points: Array<[number, number]>, extra: Record<string, unknown> = {}): unknown {
  return {
    series: [{ metric, type: 3, points: points.map(([timestamp, value]) => ({ timestamp, value })), ...extra }],
  };
}

/** A double for each test, at a fixed clock; `current()` is the one of the running test. */
export function doublePerTest(): { current: () => DatadogDouble } {
  let double: DatadogDouble | undefined;
  beforeEach(async () => {
    double = await DatadogDouble.start({ apiKey: API_KEY, nowMs: () => NOW_MS });
  });
  afterEach(async () => {
    await double?.close();
  });
  return { current: () => double as DatadogDouble };
}
