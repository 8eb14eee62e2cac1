/** npm run bench's tables: medians per contender, and forwarder/Telegraf ratios per round. */
import { median } from './proc';
import type { Contender, RunResult } from './runs';
import { table } from './report';

export interface ContenderSummary {
  runs: number;
  messagesPerSecond: number;
  pointsPerSecond: number;
  seconds: number;
  cpuSeconds: number;
  messagesPerCpuSecond: number;
  peakRssMb: number;
  bytesPerPoint: number;
  lost: number;
  duplicates: number;
  wrong: number;
  intakeCpuSeconds: number;
  verifierCpuSeconds: number;
}

export interface RoundRatio {
  run: number;
  messagesPerSecond: number;
  messagesPerCpuSecond: number;
  peakRss: number;
  bytesPerPoint: number;
}

/** Targets of issue 13: forwarder against Telegraf on the same run. */
export const TARGETS = { messagesPerSecond: 1.8, messagesPerCpuSecond: 1.8, peakRss: 1, bytesPerPoint: 4 };

export function summarize(results: readonly RunResult[], kind: Contender): ContenderSummary | undefined {
  const of = results.filter((r) => r.kind === kind);
  if (of.length === 0) return undefined;
  const pick = (f: (r: RunResult) => number | undefined): number => median(of.map((r) => f(r) ?? Number.NaN));
  const worst = (f: (r: RunResult) => number | undefined): number => Math.max(...of.map((r) => f(r) ?? 0));
  return {
    runs: of.length,
    messagesPerSecond: pick((r) => r.messagesPerSecond),
    pointsPerSecond: pick((r) => r.pointsPerSecond),
    seconds: pick((r) => r.seconds),
    cpuSeconds: pick((r) => r.cpuSeconds),
    messagesPerCpuSecond: pick((r) => r.messagesPerCpuSecond),
    peakRssMb: pick((r) => r.peakRssMb),
    bytesPerPoint: pick((r) => r.bytesPerPoint),
    lost: worst((r) => r.lost),
    duplicates: worst((r) => r.duplicates),
    wrong: worst((r) => r.wrong),
    intakeCpuSeconds: pick((r) => r.intakeCpuSeconds),
    verifierCpuSeconds: pick((r) => r.verifierCpuSeconds),
  };
}

/** forwarder ÷ Telegraf for each round that has both (for RSS and bytes, lower is better). */
export function roundRatios(results: readonly RunResult[]): RoundRatio[] {
  const ratios: RoundRatio[] = [];
  for (const forwarder of results.filter((r) => r.kind === 'forwarder')) {
    const telegraf = results.find((r) => r.kind === 'telegraf' && r.run === forwarder.run);
    if (!telegraf) continue;
    ratios.push({
      run: forwarder.run,
      messagesPerSecond: forwarder.messagesPerSecond / telegraf.messagesPerSecond,
      messagesPerCpuSecond: forwarder.messagesPerCpuSecond / telegraf.messagesPerCpuSecond,
      peakRss: forwarder.peakRssMb / telegraf.peakRssMb,
      bytesPerPoint: (forwarder.bytesPerPoint ?? Number.NaN) / (telegraf.bytesPerPoint ?? Number.NaN),
    });
  }
  return ratios;
}

const LABELS: Record<Contender, string> = {
  ceiling: 'bare kafkajs consumer (ceiling)',
  forwarder: 'forwarder (launcher, defaults)',
  telegraf: 'Telegraf 1.37.2',
};

export function perRunTable(results: readonly RunResult[]): string {
  return table(
    [
      'round',
      'contender',
      'msg/s',
      'CPU s',
      'msg/CPU s',
      'peak RSS MB',
      'B/point',
      'encoding',
      'lost/dup/wrong',
      'requests',
      'intake CPU s (verifier)',
      'load',
    ],
    results.map((r) => [
      r.run,
      r.kind,
      r.messagesPerSecond,
      r.cpuSeconds,
      r.messagesPerCpuSecond,
      r.peakRssMb,
      r.bytesPerPoint ?? '-',
      r.encodings || '-',
      r.kind === 'ceiling' ? '-' : `${r.lost}/${r.duplicates}/${r.wrong}`,
      r.requests ?? '-',
      r.intakeCpuSeconds === undefined ? '-' : `${r.intakeCpuSeconds.toFixed(1)} (${(r.verifierCpuSeconds ?? 0).toFixed(1)})`,
      r.loadAverage,
    ]),
  );
}

export function mediansTable(results: readonly RunResult[]): string {
  const rows: (string | number)[][] = [];
  for (const kind of ['telegraf', 'forwarder', 'ceiling'] as const) {
    const s = summarize(results, kind);
    if (!s) continue;
    rows.push([
      LABELS[kind],
      s.messagesPerSecond,
      s.cpuSeconds,
      s.messagesPerCpuSecond,
      s.peakRssMb,
      kind === 'ceiling' ? '-' : s.bytesPerPoint,
      kind === 'ceiling' ? '-' : `${s.lost}/${s.duplicates}/${s.wrong}`,
    ]);
  }
  return table(['medians', 'messages/s', 'CPU s', 'messages/CPU s', 'peak RSS MB', 'bytes/point', 'lost/dup/wrong (worst)'], rows);
}

export function ratioTable(ratios: readonly RoundRatio[]): string {
  const fmt = (n: number): string => `${n.toFixed(2)}×`;
  const rows: (string | number)[][] = ratios.map((r) => [
    `round ${r.run}`,
    fmt(r.messagesPerSecond),
    fmt(r.messagesPerCpuSecond),
    fmt(r.peakRss),
    fmt(r.bytesPerPoint),
  ]);
  const med = medianRatios(ratios);
  if (med) rows.push(['median', fmt(med.messagesPerSecond), fmt(med.messagesPerCpuSecond), fmt(med.peakRss), fmt(med.bytesPerPoint)]);
  rows.push([
    'target',
    `≥ ${TARGETS.messagesPerSecond}×`,
    `≥ ${TARGETS.messagesPerCpuSecond}×`,
    `≤ ${TARGETS.peakRss}×`,
    `(≤ ${TARGETS.bytesPerPoint} B/point)`,
  ]);
  return table(['forwarder ÷ Telegraf', 'messages/s', 'messages/CPU s', 'peak RSS', 'bytes/point'], rows);
}

export function medianRatios(ratios: readonly RoundRatio[]): Omit<RoundRatio, 'run'> | undefined {
  if (ratios.length === 0) return undefined;
  return {
    messagesPerSecond: median(ratios.map((r) => r.messagesPerSecond)),
    messagesPerCpuSecond: median(ratios.map((r) => r.messagesPerCpuSecond)),
    peakRss: median(ratios.map((r) => r.peakRss)),
    bytesPerPoint: median(ratios.map((r) => r.bytesPerPoint)),
  };
}
