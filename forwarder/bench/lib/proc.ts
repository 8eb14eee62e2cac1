/**
 * A child process's own resource use, read from /proc (Linux): CPU seconds (utime + stime) and
 * peak resident set (VmHWM). Sampled periodically so that a process killed with SIGKILL still
 * has its last reading.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat; 100 on every Linux we run on. */
const CLK_TCK = 100;

export interface ProcUsage {
  cpuSeconds: number;
  peakRssMb: number;
  rssMb: number;
}

export function readProcUsage(pid: number): ProcUsage | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { cpuSeconds, peakRssMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return undefined;
  }
}

/** Keeps the latest reading of a process and the highest RSS seen, every `intervalMs`. */
export class ProcSampler {
  last: ProcUsage = { cpuSeconds: 0, peakRssMb: 0, rssMb: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly pid: number,
    intervalMs = 250,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    this.sample();
  }

  sample(): ProcUsage {
    const usage = readProcUsage(this.pid);
    if (usage) this.last = { ...usage, peakRssMb: Math.max(usage.peakRssMb, this.last.peakRssMb) };
    return this.last;
  }

  stop(): ProcUsage {
    this.sample();
    clearInterval(this.timer);
    return this.last;
  }
}

export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The q-quantile (0..1) of `sorted` (ascending), nearest rank. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}
