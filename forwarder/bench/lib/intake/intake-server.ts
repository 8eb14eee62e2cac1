/**
 * The bench's Datadog intake, a process of its own (started by intake.ts): it answers a metrics
 * request as soon as its body is read, as Datadog does (202), and leaves the checking to its
 * verifier thread (verifier-worker.ts), so the measured process never waits on verification.
 * What can be judged without reading the body is judged here, like Datadog: unknown path (404),
 * method (405), API key (403, from the DD-API-KEY header or the api_key query parameter that
 * Telegraf uses), Content-Type (400), Content-Encoding (415: one the spec does not list for the
 * endpoint, from Datadog's own API models), wire size (413). GET /api/v1/validate answers as Datadog's
 * key validation does.
 *
 * Env: INTAKE_API_KEY. IPC with the driver: see protocol.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { encodingAllowed, ENDPOINT_BY_PATH, LIMITS, mediaTypeAllowed, preloadModels } from '@algorithmia-datadog/testbed';
import type { BodyMessage, DriverMessage, IntakeCounters, IntakeMessage, IntakeSummary, VerifierProgress } from './protocol';

const API_KEY = process.env.INTAKE_API_KEY ?? '';
const VALIDATE_PATH = '/api/v1/validate';

const worker = new Worker(
  `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(__dirname, 'verifier-worker.ts'))});`,
  { eval: true },
);

let counters: IntakeCounters = freshCounters();
let latest: VerifierProgress | undefined;
/** Sizes of the bodies handed to the verifier and not yet reported back, in order. */
const backlog: number[] = [];
let backlogBytes = 0;
let settleWaiting = false;

function freshCounters(): IntakeCounters {
  return { requests: 0, requestsByStatus: {}, wireBytes: 0, acceptedByEncoding: {}, maxBacklogRequests: 0, maxBacklogBytes: 0 };
}

function send(message: IntakeMessage): void {
  process.send?.(message);
}

function summary(): IntakeSummary {
  if (!latest) throw new Error('the verifier has not answered its reset');
  const { type: _type, resetAck: _resetAck, ...rest } = latest;
  return { ...counters, ...rest, complete: latest.completedAtMs !== undefined };
}

worker.on('message', (progress: VerifierProgress) => {
  latest = progress;
  if (progress.resetAck) {
    send({ type: 'ready', summary: summary() });
    return;
  }
  backlogBytes -= backlog.shift() ?? 0;
  send({ type: 'progress', summary: summary() });
  if (settleWaiting && backlog.length === 0) {
    settleWaiting = false;
    send({ type: 'settled', summary: summary() });
  }
});
worker.on('error', (error) => {
  process.stderr.write(`intake verifier failed: ${error.stack ?? String(error)}\n`);
  process.exit(1);
});

process.on('message', (message: DriverMessage) => {
  if (message.type === 'reset') {
    counters = freshCounters();
    worker.postMessage({ type: 'reset', expected: message.expected });
  } else if (message.type === 'settle') {
    if (backlog.length === 0) send({ type: 'settled', summary: summary() });
    else settleWaiting = true;
  }
});
process.on('disconnect', () => process.exit(0));

function answer(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
  counters.requests++;
  counters.requestsByStatus[status] = (counters.requestsByStatus[status] ?? 0) + 1;
}

const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://intake');
  const endpoint = ENDPOINT_BY_PATH[url.pathname];
  const maxWireBytes = endpoint ? LIMITS[endpoint].maxWireBytes : LIMITS['v2/series'].maxWireBytes;
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= maxWireBytes) chunks.push(chunk);
  });
  request.on('error', () => response.destroy());
  request.on('end', () => {
    if (url.pathname === VALIDATE_PATH && request.method === 'GET') {
      // Datadog's key validation, which the forwarder calls at start; not a metrics request.
      const valid = (request.headers['dd-api-key'] ?? url.searchParams.get('api_key')) === API_KEY;
      const text = valid ? '{"valid":true}' : '{"errors":["Forbidden"]}';
      response.writeHead(valid ? 200 : 403, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      response.end(text);
      return;
    }
    if (!endpoint) return answer(response, 404, { errors: [`no such endpoint: ${url.pathname}`] });
    if (request.method !== 'POST') return answer(response, 405, { errors: ['use POST'] });
    const key = request.headers['dd-api-key'] ?? url.searchParams.get('api_key');
    if (key !== API_KEY) return answer(response, 403, { errors: ['Forbidden'] });
    if (!mediaTypeAllowed(endpoint, request.headers['content-type'] ?? ''))
      return answer(response, 400, { errors: ['Content-Type must be application/json'] });
    const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (!encodingAllowed(endpoint, encoding))
      return answer(response, 415, { errors: [`Content-Encoding ${encoding} is not accepted on ${url.pathname}`] });
    if (size > maxWireBytes) return answer(response, 413, { errors: [`Payload too large: ${size} bytes, at most ${maxWireBytes}`] });

    // A body of its own (Buffer.concat may hand out a slice of a shared pool), to transfer.
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.length;
    }
    answer(response, 202, endpoint === 'v2/series' ? { errors: [] } : { status: 'ok' });
    const answeredAtMs = Date.now();
    counters.wireBytes += size;
    counters.acceptedByEncoding[encoding] = (counters.acceptedByEncoding[encoding] ?? 0) + 1;
    counters.firstAnsweredAtMs ??= answeredAtMs;
    counters.lastAnsweredAtMs = answeredAtMs;
    backlog.push(size);
    backlogBytes += size;
    counters.maxBacklogRequests = Math.max(counters.maxBacklogRequests, backlog.length);
    counters.maxBacklogBytes = Math.max(counters.maxBacklogBytes, backlogBytes);
    const message: BodyMessage = {
      type: 'body',
      endpoint,
      encoding,
      body,
      answeredAtMs,
    };
    worker.postMessage(message, [body.buffer]);
  });
});
server.keepAliveTimeout = 60_000;
preloadModels();
server.listen(0, '127.0.0.1', () => send({ type: 'listening', port: (server.address() as AddressInfo).port }));
