/**
 * npm run bench:latency's results: one row per tool and rate, and the forwarder ÷ Telegraf ratios
 * per rate against issue 26's targets (sizing pods for the steady rate users run at).
 */
import { quantile } from './proc';
import { table } from './report';

export type LatencyTool = 'forwarder' | 'telegraf';

export interface LatencyResult {
  tool: LatencyTool;
  /** Messages per second asked of the producer. */
  rate: number;
  /** 1 when this tool ran first at this rate, 2 when second (the order alternates per rate). */
  order: number;
  /** Length of the produce window, over which CPU and steady RSS are measured. */
  windowSeconds: number;
  /**
   * From the window's end to the last point accepted: about one flush when the tool kept up; far
   * longer when it (or the machine) fell behind the rate, and then its CPU in the window undercounts.
   */
  drainSeconds: number;
  produced: number;
  /** Tracked points accepted by the double, duplicates included. */
  points: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU seconds of the tool's process tree during the produce window. */
  cpuSeconds: number;
  cpuSecondsPerMinute: number;
  /** The process's VmHWM or the highest sampled RSS of its tree, whichever is larger, over its life. */
  peakRssMb: number;
  /** Median RSS of the tree over the second half of the produce window (proc-tree.ts, steadyRssMb). */
  steadyRssMb: number;
  lost: number;
  duplicates: number;
  /**
   * The bench driver's own CPU (producer, Datadog double, bookkeeping) per second of the window:
   * near 1 it was saturated itself, and the latencies measure it as much as the tool.
   */
  driverCpuShare: number;
  loadAverage: string;
}

/** Issue 26's targets, stated at 5,000 messages/s: forwarder ÷ Telegraf, and the forwarder's p99. */
export const LATENCY_TARGETS = { rate: 5000, cpuRatio: 0.5, rssRatio: 1.25, p99Ms: 1000 } as const;

export interface Latencies {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The quantiles of `sorted` latencies (ascending). */
export function latencyQuantiles(sorted: ArrayLike<number>): Latencies {
  return {
    p50Ms: quantile(sorted, 0.5),
    p90Ms: quantile(sorted, 0.9),
    p99Ms: quantile(sorted, 0.99),
    maxMs: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1],
  };
}

export function perMinute(cpuSeconds: number, windowSeconds: number): number {
  return (cpuSeconds / windowSeconds) * 60;
}

export interface RateRatios {
  rate: number;
  /** forwarder ÷ Telegraf: CPU seconds per minute, steady RSS, peak RSS. */
  cpu: number;
  steadyRss: number;
  peakRss: number;
  forwarderP99Ms: number;
  telegrafP99Ms: number;
}

/** forwarder ÷ Telegraf at each rate that has both. */
export function rateRatios(results: readonly LatencyResult[]): RateRatios[] {
  const ratios: RateRatios[] = [];
  for (const forwarder of results.filter((r) => r.tool === 'forwarder')) {
    const telegraf = results.find((r) => r.tool === 'telegraf' && r.rate === forwarder.rate);
    if (!telegraf) continue;
    ratios.push({
      rate: forwarder.rate,
      cpu: forwarder.cpuSecondsPerMinute / telegraf.cpuSecondsPerMinute,
      steadyRss: forwarder.steadyRssMb / telegraf.steadyRssMb,
      peakRss: forwarder.peakRssMb / telegraf.peakRssMb,
      forwarderP99Ms: forwarder.p99Ms,
      telegrafP99Ms: telegraf.p99Ms,
    });
  }
  return ratios;
}

export interface Verdicts {
  cpu: boolean;
  steadyRss: boolean;
  peakRss: boolean;
  p99: boolean;
}

export function verdicts(ratios: RateRatios): Verdicts {
  return {
    cpu: ratios.cpu <= LATENCY_TARGETS.cpuRatio,
    steadyRss: ratios.steadyRss <= LATENCY_TARGETS.rssRatio,
    peakRss: ratios.peakRss <= LATENCY_TARGETS.rssRatio,
    p99: ratios.forwarderP99Ms <= LATENCY_TARGETS.p99Ms,
  };
}

export function resultsTable(results: readonly LatencyResult[]): string {
  return table(
    [
      'rate msg/s',
      'tool',
      'order',
      'produced',
      'CPU s/min',
      'peak RSS MB',
      'steady RSS MB',
      'p50 ms',
      'p90 ms',
      'p99 ms',
      'max ms',
      'lost/dup',
      'drain s',
      'driver CPU',
      'load',
    ],
    results.map((r) => [
      r.rate,
      r.tool,
      r.order,
      r.produced,
      r.cpuSecondsPerMinute,
      r.peakRssMb,
      r.steadyRssMb,
      r.p50Ms,
      r.p90Ms,
      r.p99Ms,
      r.maxMs,
      `${r.lost}/${r.duplicates}`,
      r.drainSeconds,
      `${(r.driverCpuShare * 100).toFixed(0)}%`,
      r.loadAverage,
    ]),
  );
}

export function ratioTable(ratios: readonly RateRatios[]): string {
  const times = (n: number): string => `${n.toFixed(2)}×`;
  const mark = (ok: boolean): string => (ok ? '' : ' (missed)');
  const rows: (string | number)[][] = ratios.map((r) => {
    const v = verdicts(r);
    return [
      r.rate,
      `${times(r.cpu)}${mark(v.cpu)}`,
      `${times(r.steadyRss)}${mark(v.steadyRss)}`,
      `${times(r.peakRss)}${mark(v.peakRss)}`,
      `${Math.round(r.forwarderP99Ms)} / ${Math.round(r.telegrafP99Ms)}${mark(v.p99)}`,
    ];
  });
  rows.push([
    `target (at ${LATENCY_TARGETS.rate})`,
    `≤ ${LATENCY_TARGETS.cpuRatio}×`,
    `≤ ${LATENCY_TARGETS.rssRatio}×`,
    `≤ ${LATENCY_TARGETS.rssRatio}×`,
    `≤ ${LATENCY_TARGETS.p99Ms} (forwarder)`,
  ]);
  return table(['forwarder ÷ Telegraf, rate msg/s', 'CPU s/min', 'steady RSS', 'peak RSS', 'p99 ms forwarder / Telegraf'], rows);
}

/** The line that says whether the targets were met at their rate, or why it cannot say. */
export function targetsLine(ratios: readonly RateRatios[]): string {
  const atTarget = ratios.find((r) => r.rate === LATENCY_TARGETS.rate);
  if (!atTarget) return `targets: not judged (they are stated at ${LATENCY_TARGETS.rate} msg/s, which did not run with Telegraf)`;
  const v = verdicts(atTarget);
  const say = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  return (
    `targets at ${LATENCY_TARGETS.rate} msg/s: CPU ${say(v.cpu)}, steady RSS ${say(v.steadyRss)}, ` +
    `peak RSS ${say(v.peakRss)}, forwarder p99 ${say(v.p99)}`
  );
}
