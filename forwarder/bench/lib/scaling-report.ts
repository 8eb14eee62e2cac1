/**
 * npm run bench:scaling's one table and its results' rows: per point, each tool's medians, the
 * forwarder ÷ Telegraf ratios (medians of per-round ratios, as npm run bench) against issue 26's
 * targets, and the forwarder's peak RSS against its own at the base shape.
 */
import { pointsPerMessage } from './messages';
import { table } from './report';
import type { Contender, RunResult } from './runs';
import { AXIS_VALUES, type ScalingAxis, type ScalingPoint } from './scaling-points';
import { deliveryFailures, type BenchShape } from './throughput-bench';
import { medianRatios, roundRatios, summarize, type ContenderSummary } from './throughput-report';

/** Issue 26: at every point, against Telegraf on the same runs; RSS against the forwarder's own at the base shape. */
export const SCALING_TARGETS = { messagesPerSecond: 1.5, messagesPerCpuSecond: 1.3, forwarderRssGrowth: 1.5 };

export interface ScalingRow {
  axis: ScalingAxis;
  value: number;
  shape: BenchShape;
  pointsPerMessage: number;
  forwarder?: ContenderSummary;
  telegraf?: ContenderSummary;
  /** forwarder ÷ Telegraf, medians of the per-round ratios. */
  ratios?: { messagesPerSecond: number; messagesPerCpuSecond: number };
  /** The forwarder's median peak RSS ÷ its median at the base shape (when the base was measured). */
  forwarderRssGrowth?: number;
  /** Runs that did not prove every point delivered once and exact, each as `tool run n: why`. */
  failures: string[];
  /** The tools with such a run. */
  failedTools: Contender[];
}

export function scalingRow(point: ScalingPoint, results: readonly RunResult[], baseForwarderRssMb: number | undefined): ScalingRow {
  const forwarder = summarize(results, 'forwarder');
  const med = medianRatios(roundRatios(results));
  return {
    axis: point.axis,
    value: point.value,
    shape: point.shape,
    pointsPerMessage: pointsPerMessage(point.shape),
    forwarder,
    telegraf: summarize(results, 'telegraf'),
    ratios: med && { messagesPerSecond: med.messagesPerSecond, messagesPerCpuSecond: med.messagesPerCpuSecond },
    forwarderRssGrowth: forwarder && baseForwarderRssMb ? forwarder.peakRssMb / baseForwarderRssMb : undefined,
    failures: results.flatMap((r) => deliveryFailures(r).map((why) => `${r.kind} run ${r.run}: ${why}`)),
    failedTools: [...new Set(results.filter((r) => deliveryFailures(r).length > 0).map((r) => r.kind))],
  };
}

/** A ratio and its verdict; none where a run failed (a tool that did not deliver has no rate). */
function ratio(row: ScalingRow, value: number | undefined, ok: (v: number) => boolean): string {
  if (value === undefined) return '-';
  if (row.failures.length > 0) return `${value.toFixed(2)}× (run failed)`;
  return `${value.toFixed(2)}× ${ok(value) ? 'met' : 'MISSED'}`;
}
const num = (value: number | undefined): string | number => value ?? '-';
const delivery = (s: ContenderSummary | undefined): string => (s ? `${s.lost}/${s.duplicates}/${s.wrong}` : '-');

export function scalingTable(rows: readonly ScalingRow[]): string {
  const { messagesPerSecond, messagesPerCpuSecond, forwarderRssGrowth } = SCALING_TARGETS;
  return table(
    [
      'axis',
      'value',
      'messages',
      'msg/s fwd',
      'msg/s Telegraf',
      `÷ msg/s (≥ ${messagesPerSecond}×)`,
      'CPU s fwd',
      'CPU s Telegraf',
      'msg/CPU s fwd',
      'msg/CPU s Telegraf',
      `÷ per CPU s (≥ ${messagesPerCpuSecond}×)`,
      'peak RSS MB fwd',
      'peak RSS MB Telegraf',
      `fwd RSS ÷ base (≤ ${forwarderRssGrowth}×)`,
      'B/point fwd',
      'B/point Telegraf',
      'lost/dup/wrong fwd; Telegraf',
    ],
    rows.map((row) => [
      AXIS_VALUES[row.axis].label,
      row.value,
      row.shape.messages,
      num(row.forwarder?.messagesPerSecond),
      num(row.telegraf?.messagesPerSecond),
      ratio(row, row.ratios?.messagesPerSecond, (v) => v >= messagesPerSecond),
      num(row.forwarder?.cpuSeconds),
      num(row.telegraf?.cpuSeconds),
      num(row.forwarder?.messagesPerCpuSecond),
      num(row.telegraf?.messagesPerCpuSecond),
      ratio(row, row.ratios?.messagesPerCpuSecond, (v) => v >= messagesPerCpuSecond),
      num(row.forwarder?.peakRssMb),
      num(row.telegraf?.peakRssMb),
      ratio(row, row.forwarderRssGrowth, (v) => v <= forwarderRssGrowth),
      num(row.forwarder?.bytesPerPoint),
      num(row.telegraf?.bytesPerPoint),
      `${delivery(row.forwarder)}; ${delivery(row.telegraf)}`,
    ]),
  );
}
