import {
  COUNT_INTERVAL_SECONDS,
  FORWARDER_HEALTH_METRICS,
  pipelineMetricName,
  tag,
  type ForwarderHealthMetric,
} from '@algorithmia-datadog/metric-declaration';
import { Batch } from '../batch/batch';
import { SubmitAborted, type SubmitOutcome } from '../submit/submitter';
import type { Series } from '../translate/point';
import type { HealthReading } from './health-readings';
import type { Logger } from './logger';

export interface HealthReporterOptions {
  /** Sends one batch (the forwarder's Submitter: retries, split, observer, as the data). */
  readonly submit: (batch: Batch, signal: AbortSignal) => Promise<SubmitOutcome>;
  /** Every health metric but the heartbeat, as /metrics has it now (health-readings.ts). */
  readonly readings: () => Promise<HealthReading[]>;
  /** The metric prefix (config/metrics.json, FORWARDER_METRIC_PREFIX). */
  readonly prefix: string;
  /** On every point: FORWARDER_TAGS and this process's instance tag. */
  readonly tags: readonly string[];
  readonly logger: Logger;
  /** @default COUNT_INTERVAL_SECONDS, the interval count points say they cover */
  readonly intervalMs?: number;
  readonly nowMs?: () => number;
}

/** A report in the making: its batch, and the running totals of its counts, kept once accepted. */
interface Report {
  readonly batch: Batch;
  readonly totals: Map<Series, number>;
}

/**
 * Sends the forwarder's own metrics (FORWARDER_HEALTH_METRICS) to Datadog: the first report when
 * `begin` is called (the forwarder joined its group), then every COUNT_INTERVAL_SECONDS, and a
 * last one at `stop`. Every metric goes out in every report, zeros included, so that metric
 * metadata and monitors always find their series.
 *
 * Counts are the increase since the last report Datadog accepted: a report that failed (network,
 * 5xx, timeouts: retried until given up) is not lost, its increase is in the next one, and
 * nothing is counted twice (unless Datadog kept a request whose answer never came, as for any
 * at-least-once delivery). A report Datadog refused for good (a 4xx that sending again cannot
 * fix) counts as settled, like a refused data body. The heartbeat is 1 per report, counted the
 * same way. Gauges are the value at the report.
 *
 * One report is in flight at a time, as one `series` request sent straight through the
 * submitter, never through the data's SubmitQueue: a stalled data body does not hold it, and it
 * takes no room from the data. A report not settled when the next is due is given up (its counts
 * go in the next), so a Datadog outage leaves at most one request of a few series retrying.
 */
export class HealthReporter {
  /** Running total of each count series in the last report Datadog accepted. */
  private readonly accepted = new Map<Series, number>();
  /** Series objects by key, made once: a batch groups points by series identity, and the accepted totals are kept by it. */
  private readonly series = new Map<string, Series>();
  private reports = 0;
  private lastTimestamp = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: { readonly abort: AbortController; readonly done: Promise<void> } | undefined;
  private began = false;
  private stopped = false;
  private readonly intervalMs: number;
  private readonly nowMs: () => number;

  constructor(private readonly options: HealthReporterOptions) {
    this.intervalMs = options.intervalMs ?? COUNT_INTERVAL_SECONDS * 1000;
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** Sends the first report now, then one every interval. Later calls do nothing. */
  begin(): void {
    if (this.began || this.stopped) return;
    this.began = true;
    void this.report();
    this.timer = setInterval(() => void this.report(), this.intervalMs);
    this.timer.unref();
  }

  /**
   * Sends a report now, giving up the one in flight (its counts go in this one). Resolves when
   * this report is settled: accepted, refused, or given up.
   */
  async report(signal?: AbortSignal): Promise<void> {
    if (this.inFlight) {
      this.inFlight.abort.abort();
      await this.inFlight.done;
    }
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    if (signal?.aborted) abort.abort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    const done = this.send(abort.signal).finally(() => {
      signal?.removeEventListener('abort', onAbort);
      if (this.inFlight?.done === done) this.inFlight = undefined;
    });
    this.inFlight = { abort, done };
    await done;
  }

  /**
   * No more reports: the one in flight may settle, and a last one (counts since the last accepted
   * report) is sent if reports had begun, both within `deadlineMs`.
   */
  async stop(deadlineMs: number): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    if (!this.began) {
      this.inFlight?.abort.abort();
      return;
    }
    const deadline = AbortSignal.timeout(Math.max(1, deadlineMs));
    // The report in flight may be only an answer away: given up, its counts would go out twice.
    if (this.inFlight) await Promise.race([this.inFlight.done, aborted(deadline)]);
    await this.report(deadline);
  }

  private async send(signal: AbortSignal): Promise<void> {
    const report = await this.build();
    if (signal.aborted) return;
    // Given up at once when aborted, even with a request under way (it ends at the request
    // timeout): a stop keeps its deadline, and the next report need not wait.
    const outcome = await Promise.race([
      this.options.submit(report.batch, signal).catch((err: unknown) => {
        if (!(err instanceof SubmitAborted)) this.options.logger.error({ err }, 'sending the health report failed');
        return undefined;
      }),
      aborted(signal),
    ]);
    // Settled: every point accepted or refused for good (counted in points.rejected, logged; sending
    // it again would be refused again). Failed (retried until given up): its counts go in the next.
    if (outcome !== undefined && !signal.aborted) {
      for (const [series, total] of report.totals) this.accepted.set(series, total);
    }
  }

  /** This report's points: one per series, counts as increases since the last accepted report. */
  private async build(): Promise<Report> {
    this.reports += 1;
    const readings: HealthReading[] = [{ metric: 'heartbeat', tags: {}, value: this.reports }, ...(await this.options.readings())];
    // Datadog keeps the last count point of a series and second: two reports never share one.
    const timestamp = Math.max(Math.floor(this.nowMs() / 1000), this.lastTimestamp + 1);
    this.lastTimestamp = timestamp;
    const batch = new Batch('series');
    const totals = new Map<Series, number>();
    for (const reading of readings) {
      const series = this.seriesOf(reading.metric, reading.tags);
      if (series.kind === 'count') {
        totals.set(series, reading.value);
        batch.addValue(series, timestamp, Math.max(0, reading.value - (this.accepted.get(series) ?? 0)));
      } else {
        batch.addValue(series, timestamp, reading.value);
      }
    }
    return { batch, totals };
  }

  private seriesOf(metric: ForwarderHealthMetric, tags: Readonly<Record<string, string>>): Series {
    const declared = FORWARDER_HEALTH_METRICS[metric];
    const name = pipelineMetricName(this.options.prefix, declared);
    const own = declared.tagKeys.filter((k) => tags[k] !== undefined).map((k) => tag(k, tags[k]));
    const allTags = [...this.options.tags, ...own];
    const key = name + '\u0000' + allTags.join(',');
    let series = this.series.get(key);
    if (series === undefined) {
      const { kind, unit } = declared;
      series = { metric: name, kind, tags: allTags, ...(unit !== undefined ? { unit } : {}) };
      this.series.set(key, series);
    }
    return series;
  }
}

/** Resolves when `signal` is aborted. */
function aborted(signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
}
