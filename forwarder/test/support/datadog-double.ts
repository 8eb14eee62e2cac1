/**
 * A local stand-in for the Datadog metrics intake (POST /api/v2/series, /api/v1/series,
 * /api/v1/distribution_points) that checks requests the way Datadog does (datadog-payload.ts),
 * records what it accepted, and can be told to misbehave: errors, rate limiting, slow answers,
 * dropped connections, an outage.
 *
 *   const datadog = await DatadogDouble.start({ apiKey: 'k' });
 *   // point the forwarder at datadog.url with DD-API-KEY: k
 *   await datadog.waitFor((dd) => dd.pointCount('algorithmia.duration_ms') >= 3, 10_000);
 *   await datadog.close();
 *
 * Faults are queued and consumed one per request in arrival order; `goDown()` overrides them all
 * until `comeBack()`. Faulted requests are counted in `requests` but record no point, except
 * `delayNext` and `dropNext({ afterAccept: true })`: there the points are recorded on receipt, as a
 * real intake that answers late (or whose answer is lost) has them, so a client retrying after
 * its timeout produces the duplicates that `duplicates()` shows.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { BodyDecodeError, decodeBody } from './content-encoding';
import { allowedEncodings, encodingAllowed, ENDPOINT_MODELS, mediaTypeAllowed, preloadModels } from './datadog-models';
import { AcceptedPoint, DatadogEndpoint, ENDPOINT_BY_PATH, LIMITS, PayloadLimits, pointKey, validatePayload } from './datadog-payload';
import { waitForEvent } from './wait';

export type { AcceptedPoint, DatadogEndpoint, MetricKind } from './datadog-payload';

export const DEFAULT_API_KEY = 'testbed-api-key';
/** Datadog's API key check (the forwarder calls it at start). */
export const VALIDATE_PATH = '/api/v1/validate';

export interface DatadogDoubleOptions {
  /** The one DD-API-KEY accepted; any other, or none, gets 403. Default DEFAULT_API_KEY. */
  apiKey?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port chosen by the OS. */
  port?: number;
  /** Keep every accepted point (default). false: only counts per metric, for benchmarks. */
  recordPoints?: boolean;
  /** Count points per (metric, tags, timestamp, value) to find duplicates. Default true. */
  trackDuplicates?: boolean;
  /** See datadog-payload.ts. Default 'reject' (400), 'drop' is what Datadog does (202, not ingested). */
  outOfWindowTimestamps?: 'reject' | 'drop';
  /** The clock for the timestamp window, in ms. Default Date.now. */
  nowMs?: () => number;
  /** Serve /_double/* control routes (for a double running in another process). Default false. */
  controlRoutes?: boolean;
  /** Called after every request with its summary (the CLI prints it). */
  onRequest?: (summary: RequestSummary) => void;
}

export type FaultKind = 'status' | 'rate-limit' | 'delay' | 'drop' | 'down';

/** What happened to one request. status 0: the connection was dropped without an answer. */
export interface RequestSummary {
  seq: number;
  method: string;
  path: string;
  endpoint?: DatadogEndpoint;
  status: number;
  fault?: FaultKind;
  contentEncoding: string;
  wireBytes: number;
  decodedBytes: number;
  series: number;
  points: number;
  /** Points skipped for their timestamp with outOfWindowTimestamps 'drop'. */
  droppedPoints: number;
  errors: string[];
  receivedAtMs: number;
  durationMs: number;
}

export interface RateLimitOptions {
  /** X-RateLimit-Reset: seconds until the limit resets. Default 1. */
  resetSeconds?: number;
  /** X-RateLimit-Limit. Default 100. */
  limit?: number;
  /** X-RateLimit-Period, seconds. Default 10. */
  periodSeconds?: number;
  /** X-RateLimit-Name. Default 'metrics_submission'. */
  name?: string;
}

export interface DoubleStats {
  requests: number;
  requestsByStatus: Record<number, number>;
  acceptedRequests: number;
  acceptedPoints: number;
  droppedPoints: number;
  duplicatePoints: number;
  wireBytes: number;
  decodedBytes: number;
  pointsByMetric: Record<string, number>;
}

type Fault =
  | { kind: 'status'; status: number }
  | { kind: 'rate-limit'; options: Required<RateLimitOptions> }
  | { kind: 'delay'; delayMs: number }
  | { kind: 'drop'; afterAccept: boolean };

interface QueuedFault {
  fault: Fault;
  remaining: number;
}

interface Verdict {
  status: number;
  errors: string[];
  decodedBytes: number;
  series: number;
  points: AcceptedPoint[];
  droppedPoints: number;
}

export class DatadogDouble {
  private currentApiKey: string;
  /** Every request, in arrival order. */
  readonly requests: RequestSummary[] = [];

  private readonly options: Required<Omit<DatadogDoubleOptions, 'apiKey' | 'onRequest'>> & Pick<DatadogDoubleOptions, 'onRequest'>;
  private readonly server: http.Server;
  private readonly changes = new EventEmitter();
  private readonly faults: QueuedFault[] = [];
  private downStatus: number | undefined;
  /** Status of every `GET /api/v1/validate` answered, in order. */
  readonly keyValidations: number[] = [];
  private readonly pendingDelays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  private acceptedPoints: AcceptedPoint[] = [];
  private pointsByMetric = new Map<string, AcceptedPoint[]>();
  private countByMetric = new Map<string, number>();
  private countByPointKey = new Map<string, number>();
  private totals = { acceptedRequests: 0, acceptedPoints: 0, droppedPoints: 0, duplicatePoints: 0, wireBytes: 0, decodedBytes: 0 };
  private requestsByStatus = new Map<number, number>();

  private constructor(options: DatadogDoubleOptions) {
    this.currentApiKey = options.apiKey ?? DEFAULT_API_KEY;
    this.options = {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      recordPoints: options.recordPoints ?? true,
      trackDuplicates: options.trackDuplicates ?? true,
      outOfWindowTimestamps: options.outOfWindowTimestamps ?? 'reject',
      nowMs: options.nowMs ?? Date.now,
      controlRoutes: options.controlRoutes ?? false,
      onRequest: options.onRequest,
    };
    this.changes.setMaxListeners(0);
    this.server = http.createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        // A bug in the double itself: answer 500 rather than hang the client, and say so.
        process.stderr.write(`datadog double: ${error instanceof Error ? error.stack : String(error)}\n`);
        if (!response.headersSent) sendJson(response, 500, { errors: ['datadog double failed'] });
      });
    });
  }

  static async start(options: DatadogDoubleOptions = {}): Promise<DatadogDouble> {
    preloadModels();
    const double = new DatadogDouble(options);
    await new Promise<void>((resolve, reject) => {
      double.server.once('error', reject);
      double.server.listen(double.options.port, double.options.host, () => {
        double.server.off('error', reject);
        resolve();
      });
    });
    return double;
  }

  /** The one DD-API-KEY accepted. */
  get apiKey(): string {
    return this.currentApiKey;
  }

  /** From now on only `key` is accepted, on metrics and on validation: the old key was revoked. */
  rotateApiKey(key: string): this {
    this.currentApiKey = key;
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Base URL, like https://api.datadoghq.com: the paths /api/... go after it. */
  get url(): string {
    return `http://${this.options.host}:${this.port}`;
  }

  // ---- what was accepted --------------------------------------------------------------------

  /** Every accepted point in arrival order (empty with recordPoints false). */
  points(): readonly AcceptedPoint[] {
    return this.acceptedPoints;
  }

  /** The accepted points of one metric (empty with recordPoints false; use pointCount). */
  pointsFor(metric: string): readonly AcceptedPoint[] {
    return this.pointsByMetric.get(metric) ?? [];
  }

  /** Accepted points of `metric`, or of all metrics; kept with recordPoints false too. */
  pointCount(metric?: string): number {
    return metric === undefined ? this.totals.acceptedPoints : (this.countByMetric.get(metric) ?? 0);
  }

  metrics(): string[] {
    return [...this.countByMetric.keys()];
  }

  /** Points accepted more than once (see pointKey), with how often. */
  duplicates(): Array<{ key: string; count: number }> {
    const found: Array<{ key: string; count: number }> = [];
    for (const [key, count] of this.countByPointKey) if (count > 1) found.push({ key, count });
    return found;
  }

  stats(): DoubleStats {
    return {
      requests: this.requests.length,
      requestsByStatus: Object.fromEntries(this.requestsByStatus),
      ...this.totals,
      pointsByMetric: Object.fromEntries(this.countByMetric),
    };
  }

  /**
   * Resolves once `predicate(this)` holds, re-checked after every request; rejects after
   * `timeoutMs` with what was received so far.
   */
  waitFor(predicate: (double: DatadogDouble) => boolean, timeoutMs = 10_000, description = 'condition'): Promise<void> {
    return waitForEvent(this.changes, 'request', () => predicate(this), {
      timeoutMs,
      describe: () => `${description}; received ${this.describeState()}`,
    });
  }

  /** Resolves with the points of `metric` once at least `count` were accepted. */
  async waitForPoints(metric: string, count: number, timeoutMs = 10_000): Promise<readonly AcceptedPoint[]> {
    await this.waitFor((double) => double.pointCount(metric) >= count, timeoutMs, `${count} points of ${metric}`);
    return this.pointsFor(metric);
  }

  /** Resolves once `count` requests (of any outcome) arrived. */
  async waitForRequests(count: number, timeoutMs = 10_000): Promise<void> {
    await this.waitFor((double) => double.requests.length >= count, timeoutMs, `${count} requests`);
  }

  /** Forgets everything recorded (not the queued faults). */
  clear(): void {
    this.requests.length = 0;
    this.acceptedPoints = [];
    this.pointsByMetric = new Map();
    this.countByMetric = new Map();
    this.countByPointKey = new Map();
    this.requestsByStatus = new Map();
    this.totals = { acceptedRequests: 0, acceptedPoints: 0, droppedPoints: 0, duplicatePoints: 0, wireBytes: 0, decodedBytes: 0 };
  }

  // ---- misbehaviour -------------------------------------------------------------------------

  /** The next `count` requests are answered `status` (default 500) and not recorded. */
  failNext(count: number, status = 500): this {
    return this.enqueue(count, { kind: 'status', status });
  }

  /** The next `count` requests are answered 429 with X-RateLimit-* headers. */
  rateLimitNext(count: number, options: RateLimitOptions = {}): this {
    return this.enqueue(count, {
      kind: 'rate-limit',
      options: {
        resetSeconds: options.resetSeconds ?? 1,
        limit: options.limit ?? 100,
        periodSeconds: options.periodSeconds ?? 10,
        name: options.name ?? 'metrics_submission',
      },
    });
  }

  /** The next `count` requests are handled normally (recorded when valid) but answered after `delayMs`. */
  delayNext(count: number, delayMs: number): this {
    return this.enqueue(count, { kind: 'delay', delayMs });
  }

  /**
   * The next `count` requests get their connection destroyed instead of an answer; with
   * afterAccept, only after their points were recorded (the answer was "lost").
   */
  dropNext(count: number, options: { afterAccept?: boolean } = {}): this {
    return this.enqueue(count, { kind: 'drop', afterAccept: options.afterAccept ?? false });
  }

  /** Every request is answered `status` (default 503) until comeBack(). */
  goDown(status = 503): this {
    this.downStatus = status;
    return this;
  }

  comeBack(): this {
    this.downStatus = undefined;
    return this;
  }

  /** Forgets queued faults and the outage. */
  behave(): this {
    this.faults.length = 0;
    this.downStatus = undefined;
    return this;
  }

  async close(): Promise<void> {
    for (const pending of this.pendingDelays) {
      clearTimeout(pending.timer);
      pending.resolve();
    }
    this.pendingDelays.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  // ---- request handling ---------------------------------------------------------------------

  private enqueue(count: number, fault: Fault): this {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
    this.faults.push({ fault, remaining: count });
    return this;
  }

  private takeFault(): Fault | undefined {
    if (this.downStatus !== undefined) return { kind: 'status', status: this.downStatus };
    const head = this.faults[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining === 0) this.faults.shift();
    return head.fault;
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const receivedAtMs = Date.now();
    const path = (request.url ?? '/').split('?')[0];
    const summary: RequestSummary = {
      seq: this.requests.length + 1,
      method: request.method ?? '',
      path,
      status: 0,
      contentEncoding: headerValue(request, 'content-encoding') ?? 'identity',
      wireBytes: 0,
      decodedBytes: 0,
      series: 0,
      points: 0,
      droppedPoints: 0,
      errors: [],
      receivedAtMs,
      durationMs: 0,
    };

    if (this.options.controlRoutes && path.startsWith('/_double/')) {
      request.resume();
      this.handleControl(request, response, path);
      return;
    }

    if (path === VALIDATE_PATH) {
      request.resume();
      this.validateKey(request, response);
      return;
    }

    const endpoint = ENDPOINT_BY_PATH[path];
    const fault = endpoint && request.method === 'POST' ? this.takeFault() : undefined;
    if (fault) summary.fault = fault.kind === 'status' && this.downStatus !== undefined ? 'down' : fault.kind;

    if (fault?.kind === 'drop' && !fault.afterAccept) {
      request.socket.destroy();
      this.finish(summary);
      return;
    }

    const limits = endpoint ? LIMITS[endpoint] : LIMITS['v2/series'];
    const { body, wireBytes } = await readBody(request, limits.maxWireBytes);
    summary.wireBytes = wireBytes;

    if (!endpoint) {
      this.respond(response, summary, 404, [`no such endpoint: ${path}`]);
      return;
    }
    summary.endpoint = endpoint;
    if (request.method !== 'POST') {
      this.respond(response, summary, 405, [`${request.method} not allowed, use POST`]);
      return;
    }
    if (fault?.kind === 'status') {
      this.respond(response, summary, fault.status, [statusText(fault.status)]);
      return;
    }
    if (fault?.kind === 'rate-limit') {
      const { limit, periodSeconds, resetSeconds, name } = fault.options;
      response.setHeader('X-RateLimit-Limit', String(limit));
      response.setHeader('X-RateLimit-Period', String(periodSeconds));
      response.setHeader('X-RateLimit-Remaining', '0');
      response.setHeader('X-RateLimit-Reset', String(resetSeconds));
      response.setHeader('X-RateLimit-Name', name);
      this.respond(response, summary, 429, ['Too many requests']);
      return;
    }

    const verdict = await this.judge(request, endpoint, body, wireBytes, limits);
    summary.decodedBytes = verdict.decodedBytes;
    summary.series = verdict.series;
    summary.points = verdict.points.length;
    summary.droppedPoints = verdict.droppedPoints;
    if (verdict.status === 202) this.record(verdict);

    if (fault?.kind === 'delay') await this.delay(fault.delayMs);
    if (fault?.kind === 'drop') {
      request.socket.destroy();
      summary.status = 0;
      this.finish(summary);
      return;
    }
    this.respond(response, summary, verdict.status, verdict.errors);
  }

  /** The checks Datadog makes, in the order that decides which error a bad request gets. */
  private async judge(
    request: http.IncomingMessage,
    endpoint: DatadogEndpoint,
    body: Buffer | undefined,
    wireBytes: number,
    limits: PayloadLimits,
  ): Promise<Verdict> {
    const refuse = (status: number, error: string, decodedBytes = 0): Verdict => ({
      status,
      errors: [error],
      decodedBytes,
      series: 0,
      points: [],
      droppedPoints: 0,
    });

    const key = headerValue(request, 'dd-api-key');
    if (!key) return refuse(403, 'Forbidden: DD-API-KEY header missing');
    if (key !== this.apiKey) return refuse(403, 'Forbidden: invalid DD-API-KEY');
    if (body === undefined) {
      return refuse(413, `Payload too large: ${wireBytes} bytes on the wire, at most ${limits.maxWireBytes}`);
    }
    const contentType = headerValue(request, 'content-type') ?? '';
    if (!mediaTypeAllowed(endpoint, contentType)) {
      const mediaTypes = [...new Set(['application/json', ENDPOINT_MODELS[endpoint].mediaType])].join(' or ');
      return refuse(400, `Content-Type must be ${mediaTypes}, got ${JSON.stringify(contentType)}`);
    }

    const encoding = (headerValue(request, 'content-encoding') ?? 'identity').toLowerCase();
    if (!encodingAllowed(endpoint, encoding)) {
      const allowed = allowedEncodings(endpoint).join(', ');
      return refuse(415, `Content-Encoding ${encoding} is not accepted on /api/${endpoint}: Datadog's API lists ${allowed}`);
    }
    let decoded: Buffer;
    try {
      decoded = decodeBody(encoding, body, limits.maxDecodedBytes);
    } catch (error) {
      if (!(error instanceof BodyDecodeError)) throw error;
      return refuse(error.tooLarge ? 413 : 400, error.tooLarge ? `Payload too large: ${error.message}` : `body is ${error.message}`);
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(decoded.toString('utf8'));
    } catch (error) {
      return refuse(400, `body is not JSON: ${(error as Error).message}`, decoded.length);
    }
    const verdict = validatePayload(endpoint, parsed, {
      nowSeconds: Math.floor(this.options.nowMs() / 1000),
      maxAgeSeconds: 3600,
      maxAheadSeconds: 600,
      outOfWindow: this.options.outOfWindowTimestamps,
    });
    if (!verdict.ok) return { ...refuse(400, '', decoded.length), errors: verdict.errors };
    return {
      status: 202,
      errors: [],
      decodedBytes: decoded.length,
      series: verdict.series,
      points: verdict.points,
      droppedPoints: verdict.droppedPoints,
    };
  }

  private record(verdict: Verdict): void {
    this.totals.acceptedRequests += 1;
    this.totals.acceptedPoints += verdict.points.length;
    this.totals.droppedPoints += verdict.droppedPoints;
    for (const point of verdict.points) {
      this.countByMetric.set(point.metric, (this.countByMetric.get(point.metric) ?? 0) + 1);
      if (this.options.recordPoints) {
        this.acceptedPoints.push(point);
        let ofMetric = this.pointsByMetric.get(point.metric);
        if (!ofMetric) this.pointsByMetric.set(point.metric, (ofMetric = []));
        ofMetric.push(point);
      }
      if (this.options.trackDuplicates) {
        const key = pointKey(point);
        const seen = this.countByPointKey.get(key) ?? 0;
        if (seen > 0) this.totals.duplicatePoints += 1;
        this.countByPointKey.set(key, seen + 1);
      }
    }
  }

  /**
   * `GET /api/v1/validate` as Datadog answers it: 200 `{"valid":true}` for the right DD-API-KEY,
   * 403 `{"errors":["Forbidden"]}` otherwise; while down, the down status. Counted apart from the
   * intake's `requests` (in `keyValidations`), so that intake statistics stay about metrics.
   */
  private validateKey(request: http.IncomingMessage, response: http.ServerResponse): void {
    let status: number;
    if (this.downStatus !== undefined) status = this.downStatus;
    else if (request.method !== 'GET') status = 405;
    else status = headerValue(request, 'dd-api-key') === this.apiKey ? 200 : 403;
    this.keyValidations.push(status);
    sendJson(response, status, status === 200 ? { valid: true } : { errors: [status === 403 ? 'Forbidden' : statusText(status)] });
    this.changes.emit('request');
  }

  private respond(response: http.ServerResponse, summary: RequestSummary, status: number, errors: string[]): void {
    summary.status = status;
    summary.errors = errors;
    if (!response.destroyed) sendJson(response, status, { errors });
    this.finish(summary);
  }

  private finish(summary: RequestSummary): void {
    summary.durationMs = Date.now() - summary.receivedAtMs;
    this.totals.wireBytes += summary.wireBytes;
    this.totals.decodedBytes += summary.decodedBytes;
    this.requestsByStatus.set(summary.status, (this.requestsByStatus.get(summary.status) ?? 0) + 1);
    this.requests.push(summary);
    this.options.onRequest?.(summary);
    this.changes.emit('request', summary);
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const pending = {
        resolve,
        timer: setTimeout(() => {
          this.pendingDelays.delete(pending);
          resolve();
        }, ms),
      };
      this.pendingDelays.add(pending);
    });
  }

  private describeState(): string {
    const byStatus = [...this.requestsByStatus].map(([status, count]) => `${count}×${status}`).join(', ') || 'none';
    const byMetric = [...this.countByMetric]
      .slice(0, 10)
      .map(([metric, count]) => `${metric}=${count}`)
      .join(', ');
    return `${this.requests.length} requests (${byStatus}), ${this.totals.acceptedPoints} points${byMetric ? ` (${byMetric})` : ''}`;
  }

  /** /_double/* routes: the same controls as the methods, for a double in another process. */
  private handleControl(request: http.IncomingMessage, response: http.ServerResponse, path: string): void {
    const query = new URL(request.url ?? '/', 'http://double').searchParams;
    const number = (name: string, fallback: number): number => (query.has(name) ? Number(query.get(name)) : fallback);
    try {
      switch (path) {
        case '/_double/stats':
          sendJson(response, 200, this.stats());
          return;
        case '/_double/down':
          this.goDown(number('status', 503));
          break;
        case '/_double/up':
          this.comeBack();
          break;
        case '/_double/fail':
          this.failNext(number('count', 1), number('status', 500));
          break;
        case '/_double/rate-limit':
          this.rateLimitNext(number('count', 1), { resetSeconds: number('reset', 1) });
          break;
        case '/_double/delay':
          this.delayNext(number('count', 1), number('ms', 1000));
          break;
        case '/_double/drop':
          this.dropNext(number('count', 1), { afterAccept: query.get('afterAccept') === 'true' });
          break;
        case '/_double/behave':
          this.behave();
          break;
        case '/_double/clear':
          this.clear();
          break;
        default:
          sendJson(response, 404, { errors: [`no such control: ${path}`] });
          return;
      }
      sendJson(response, 200, { ok: true });
    } catch (error) {
      sendJson(response, 400, { errors: [(error as Error).message] });
    }
  }
}

/** Reads the whole body; keeps at most `maxBytes` of it (body undefined when it was longer). */
async function readBody(request: http.IncomingMessage, maxBytes: number): Promise<{ body: Buffer | undefined; wireBytes: number }> {
  const chunks: Buffer[] = [];
  let wireBytes = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      wireBytes += chunk.length;
      // Past the limit the rest is read and thrown away, so the client still gets its 413.
      if (wireBytes <= maxBytes) chunks.push(chunk);
    }
  } catch {
    // The client went away mid-body: nothing to answer; treat as an oversized/unusable body.
    return { body: undefined, wireBytes };
  }
  return { body: wireBytes <= maxBytes ? Buffer.concat(chunks, wireBytes) : undefined, wireBytes };
}

function headerValue(request: http.IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

function statusText(status: number): string {
  return http.STATUS_CODES[status] ?? `HTTP ${status}`;
}

/** One line per request, for the CLI and for debugging a test. */
export function formatRequestSummary(summary: RequestSummary): string {
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)}KB`;
  const status = summary.status === 0 ? 'dropped' : String(summary.status);
  const parts = [
    `#${summary.seq}`,
    summary.method,
    summary.path,
    status,
    summary.fault ? `fault=${summary.fault}` : '',
    summary.contentEncoding,
    `wire=${kb(summary.wireBytes)}`,
    `decoded=${kb(summary.decodedBytes)}`,
    `series=${summary.series}`,
    `points=${summary.points}`,
    summary.droppedPoints ? `dropped=${summary.droppedPoints}` : '',
    `${summary.durationMs}ms`,
    summary.errors.length && summary.status !== 202 ? `errors=${JSON.stringify(summary.errors.slice(0, 3))}` : '',
  ];
  return parts.filter(Boolean).join(' ');
}
