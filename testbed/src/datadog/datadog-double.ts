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

import { waitForEvent } from '../wait';
import { AcceptedPoints, type DoubleStats } from './accepted-points';
import { CountStore } from './count-store';
import { handleControl } from './control-routes';
import { preloadModels } from './datadog-models';
import { ENDPOINT_BY_PATH, LIMITS, type AcceptedPoint } from './datadog-payload';
import { FaultQueue, type Fault, type RateLimitOptions } from './faults';
import { headerValue, readBody, sendJson, statusText } from './http';
import { judgeRequest } from './judge';
import type { RequestSummary } from './request-summary';

export type { AcceptedPoint, DatadogEndpoint, MetricKind } from './datadog-payload';
export type { DoubleStats } from './accepted-points';
export type { RateLimitOptions } from './faults';
export { formatRequestSummary, type FaultKind, type RequestSummary } from './request-summary';

export const DEFAULT_API_KEY = 'testbed-api-key';
/** Datadog's API key check (the forwarder calls it at start). */
export const VALIDATE_PATH = '/api/v1/validate';

export interface DatadogDoubleOptions {
  /** The one API key accepted (DD-API-KEY header or api_key query parameter); any other, or none, gets 403. Default DEFAULT_API_KEY. */
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
  /** Called with the points of every accepted request as they are recorded (the bench's own bookkeeping). */
  onAccepted?: (points: readonly AcceptedPoint[]) => void;
}

export class DatadogDouble {
  private currentApiKey: string;
  private readonly options: Required<Omit<DatadogDoubleOptions, 'apiKey' | 'onRequest' | 'onAccepted'>> &
    Pick<DatadogDoubleOptions, 'onRequest' | 'onAccepted'>;
  private readonly server: http.Server;
  private readonly changes = new EventEmitter();
  private readonly faults = new FaultQueue();
  private readonly accepted: AcceptedPoints;
  private readonly counts = new CountStore();
  /** Status of every `GET /api/v1/validate` answered, in order. */
  readonly keyValidations: number[] = [];
  private readonly pendingDelays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

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
      onAccepted: options.onAccepted,
    };
    this.accepted = new AcceptedPoints(this.options);
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

  /** Every request, in arrival order. */
  get requests(): RequestSummary[] {
    return this.accepted.requests;
  }

  /** Every accepted point in arrival order (empty with recordPoints false). */
  points(): readonly AcceptedPoint[] {
    return this.accepted.all();
  }

  /** The accepted points of one metric (empty with recordPoints false; use pointCount). */
  pointsFor(metric: string): readonly AcceptedPoint[] {
    return this.accepted.of(metric);
  }

  /** Accepted points of `metric`, or of all metrics; kept with recordPoints false too. */
  pointCount(metric?: string): number {
    return this.accepted.count(metric);
  }

  metrics(): string[] {
    return this.accepted.metrics();
  }

  /** Points accepted more than once (see pointKey), with how often. */
  duplicates(): Array<{ key: string; count: number }> {
    return this.accepted.duplicates();
  }

  /**
   * What Datadog would answer for `metric`'s count series summed (each series and timestamp keeps
   * its last write): the total, under '', or with `byTag` the total per value of that tag key.
   */
  countTotals(metric: string, byTag?: string): Record<string, number> {
    return this.counts.totals(metric, byTag);
  }

  /** Count series of `metric` stored (distinct tag sets). */
  countSeries(metric: string): number {
    return this.counts.seriesCount(metric);
  }

  stats(): DoubleStats {
    return this.accepted.stats();
  }

  /**
   * Resolves once `predicate(this)` holds, re-checked after every request; rejects after
   * `timeoutMs` with what was received so far.
   */
  waitFor(predicate: (double: DatadogDouble) => boolean, timeoutMs = 10_000, description = 'condition'): Promise<void> {
    return waitForEvent(this.changes, 'request', () => predicate(this), {
      timeoutMs,
      describe: () => `${description}; received ${this.accepted.describe()}`,
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
    this.accepted.clear();
    this.counts.clear();
  }

  // ---- misbehaviour -------------------------------------------------------------------------

  /**
   * The next `count` requests are answered `status` (default 500) and not recorded; with
   * `only.metric`, the next `count` valid bodies that carry a point of that metric (others pass).
   */
  failNext(count: number, status = 500, only: { metric?: string } = {}): this {
    if (only.metric !== undefined) {
      this.faults.addForMetric(count, status, only.metric);
      return this;
    }
    return this.enqueue(count, { kind: 'status', status });
  }

  /** The next `count` requests are answered 429 with X-RateLimit-* headers. */
  rateLimitNext(count: number, options: RateLimitOptions = {}): this {
    return this.enqueue(count, FaultQueue.rateLimit(options));
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
    this.faults.goDown(status);
    return this;
  }

  comeBack(): this {
    this.faults.comeBack();
    return this;
  }

  /** Forgets queued faults and the outage. */
  behave(): this {
    this.faults.clear();
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
    this.faults.add(count, fault);
    return this;
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
      handleControl(this, request, response, path);
      return;
    }

    if (path === VALIDATE_PATH) {
      request.resume();
      this.validateKey(request, response);
      return;
    }

    const endpoint = ENDPOINT_BY_PATH[path];
    const fault = endpoint && request.method === 'POST' ? this.faults.take() : undefined;
    if (fault) summary.fault = fault.kind === 'status' && this.faults.outageStatus !== undefined ? 'down' : fault.kind;

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

    const verdict = judgeRequest(request, endpoint, body, wireBytes, {
      apiKey: this.apiKey,
      limits,
      nowSeconds: Math.floor(this.options.nowMs() / 1000),
      outOfWindowTimestamps: this.options.outOfWindowTimestamps,
    });
    summary.decodedBytes = verdict.decodedBytes;
    summary.series = verdict.series;
    summary.points = verdict.points.length;
    summary.droppedPoints = verdict.droppedPoints;
    const metricFault = verdict.status === 202 ? this.faults.takeForMetrics(verdict.points) : undefined;
    if (metricFault !== undefined) {
      this.respond(response, summary, metricFault, [statusText(metricFault)]);
      return;
    }
    if (verdict.status === 202) {
      this.accepted.addAccepted(verdict);
      this.counts.add(verdict.points);
      this.options.onAccepted?.(verdict.points);
    }

    if (fault?.kind === 'delay') await this.delay(fault.delayMs);
    if (fault?.kind === 'drop') {
      request.socket.destroy();
      summary.status = 0;
      this.finish(summary);
      return;
    }
    this.respond(response, summary, verdict.status, verdict.errors);
  }

  /**
   * `GET /api/v1/validate` as Datadog answers it: 200 `{"valid":true}` for the right DD-API-KEY,
   * 403 `{"errors":["Forbidden"]}` otherwise; while down, the down status. Counted apart from the
   * intake's `requests` (in `keyValidations`), so that intake statistics stay about metrics.
   */
  private validateKey(request: http.IncomingMessage, response: http.ServerResponse): void {
    let status: number;
    const outage = this.faults.outageStatus;
    if (outage !== undefined) status = outage;
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
    this.accepted.addRequest(summary);
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
}
