import type { Batch, SeriesPoints } from '../batch/batch';
import { MAX_POINT_AGE_SECONDS } from '../common/datadog-window';
import { sleep, type RetryPolicy } from '../common/retry-policy';
import { MAX_COMPRESSED_BYTES, type DatadogClient } from './datadog-client';
import { splitSeries } from './payload';
import { defaultEncoder, type PayloadEncoder } from './payload-encoder';
import type { ContentEncoding, Endpoint } from './wire-format';

/** How a batch ended. Only then may its messages be committed. */
export interface SubmitOutcome {
  readonly accepted: number;
  /** Refused by Datadog for what the body says (400, 415, 422, ...), or too large even alone (413). */
  readonly rejected: number;
  /** Became older than Datadog accepts while waiting to be sent. */
  readonly tooOld: number;
}

/** What the submitter reports as it goes, for metrics and logs. */
export interface SubmitObserver {
  request(endpoint: Endpoint, outcome: string, seconds: number, compressedBytes: number, points: number): void;
  retry(endpoint: Endpoint, reason: string, delayMs: number): void;
  rejected(endpoint: Endpoint, status: number, detail: string, points: number): void;
}

/** A refused body is halved at most this many times: at most 2^4 parts, 31 requests. */
const MAX_REJECTION_SPLIT_DEPTH = 4;

export class SubmitAborted extends Error {
  constructor() {
    super('submission aborted');
    this.name = 'SubmitAborted';
  }
}

export interface SubmitterOptions {
  readonly client: DatadogClient;
  readonly retryPolicy: RetryPolicy;
  readonly observer: SubmitObserver;
  /** Each endpoint's Content-Encoding (wire-format.ts resolveEncodings). */
  readonly encodings: Readonly<Record<Endpoint, ContentEncoding>>;
  /** The compression level of the bodies (FORWARDER_COMPRESSION_LEVEL); undefined: each encoding's own. */
  readonly compressionLevel: number | undefined;
  readonly nowSeconds?: () => number;
  /** Serializes and compresses bodies. @default a worker thread in the built forwarder (payload-encoder.ts) */
  readonly encoder?: PayloadEncoder;
}

/**
 * Delivers one batch completely: splits what is too large, retries what failed for a reason that
 * may pass, and resolves only when every point is accepted or deliberately dropped. It rejects
 * only with `SubmitAborted` (shutdown), and then nothing of the batch may be committed.
 */
export class Submitter {
  private readonly nowSeconds: () => number;
  private readonly encoder: PayloadEncoder;

  constructor(private readonly options: SubmitterOptions) {
    this.nowSeconds = options.nowSeconds ?? (() => Date.now() / 1000);
    this.encoder = options.encoder ?? defaultEncoder(options.compressionLevel);
  }

  /** Stops the encoder's worker thread (bodies encoded after this use the main thread). */
  close(): Promise<void> {
    return this.encoder.close();
  }

  async submit(batch: Batch, signal: AbortSignal): Promise<SubmitOutcome> {
    const totals = { accepted: 0, rejected: 0, tooOld: 0 };
    // Each part remembers how many 400-splits made it; 413-splits do not count.
    const pending: { part: SeriesPoints[]; depth: number }[] = [{ part: [...batch.series.values()], depth: 0 }];
    while (pending.length > 0) {
      const { part, depth } = pending.pop() as { part: SeriesPoints[]; depth: number };
      const split = await this.deliver(batch.endpoint, part, depth, totals, signal);
      if (split) pending.push({ part: split.halves[1], depth: split.depth }, { part: split.halves[0], depth: split.depth });
    }
    return totals;
  }

  /** Sends one part until it is settled; returns halves when it must be split. */
  private async deliver(
    endpoint: Endpoint,
    part: SeriesPoints[],
    depth: number,
    totals: { accepted: number; rejected: number; tooOld: number },
    signal: AbortSignal,
  ): Promise<{ halves: [SeriesPoints[], SeriesPoints[]]; depth: number } | undefined> {
    const { client, retryPolicy, observer } = this.options;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw new SubmitAborted();
      // Encoded again on each attempt so points that aged past the window are left out.
      const payload = await this.encoder.encode({
        series: part,
        endpoint,
        oldestAccepted: Math.ceil(this.nowSeconds()) - MAX_POINT_AGE_SECONDS,
        encoding: this.options.encodings[endpoint],
      });
      if (signal.aborted) throw new SubmitAborted();
      if (payload.pointCount === 0) {
        totals.tooOld += payload.tooOld;
        return undefined;
      }
      const body = payload;
      if (body.bytes.length > MAX_COMPRESSED_BYTES) {
        const halves = splitSeries(part);
        if (halves) return { halves, depth };
      }
      const started = process.hrtime.bigint();
      const result = await client.post(endpoint, body);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      observer.request(
        endpoint,
        result.status !== undefined ? String(result.status) : result.kind,
        seconds,
        body.bytes.length,
        payload.pointCount,
      );

      switch (result.kind) {
        case 'accepted':
          totals.accepted += payload.pointCount;
          totals.tooOld += payload.tooOld;
          return undefined;
        case 'rejected': {
          // One bad series makes Datadog refuse the whole body: halve a few times to keep the
          // good points, but not down to single series, which could multiply the requests.
          const halves = result.splittable && depth < MAX_REJECTION_SPLIT_DEPTH ? splitSeries(part) : undefined;
          if (halves) return { halves, depth: depth + 1 };
          observer.rejected(endpoint, result.status, result.detail, payload.pointCount);
          totals.rejected += payload.pointCount;
          totals.tooOld += payload.tooOld;
          return undefined;
        }
        case 'too_large': {
          const halves = splitSeries(part);
          if (halves) return { halves, depth };
          observer.rejected(endpoint, 413, 'a single point is larger than Datadog accepts', payload.pointCount);
          totals.rejected += payload.pointCount;
          return undefined;
        }
        case 'retry': {
          const delay = retryPolicy.delayMs(attempt, result.retryAfterMs);
          observer.retry(endpoint, result.reason, delay);
          if (signal.aborted) throw new SubmitAborted();
          // Cut short by a stop: the next attempt finds the signal aborted.
          await sleep(delay, signal);
        }
      }
    }
  }
}
