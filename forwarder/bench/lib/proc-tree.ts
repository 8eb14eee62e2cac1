/**
 * A measured process and everything it starts: CPU seconds of the process, its live descendants
 * and its reaped children (utime + stime + cutime + cstime from /proc/<pid>/stat), and peak
 * resident memory (the larger of the process's own VmHWM and the highest sampled sum of VmRSS
 * over the tree). Sampled every `intervalMs` with a history, so the CPU used up to a moment in the
 * past (when the last point was accepted) can be read after the fact.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { median } from './proc';

const CLK_TCK = 100;

interface ProcReading {
  cpuSeconds: number;
  rssMb: number;
  hwmMb: number;
}

function readProc(pid: number): ProcReading | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime: fields 14-17 of stat(5), 11-14 after the command name.
    const cpuSeconds = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLK_TCK;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { cpuSeconds, rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) for (const child of text.split(' ')) children.push(Number(child));
    }
  } catch {
    // gone, or no CONFIG_PROC_CHILDREN: the process alone is measured
  }
  return children;
}

export interface TreeUsage {
  cpuSeconds: number;
  peakRssMb: number;
  rssMb: number;
  processes: number;
}

/** One reading of the tree's resident memory (the sum of VmRSS), at `atMs`. */
export interface RssSample {
  atMs: number;
  rssMb: number;
}

/**
 * Resident memory once settled in a window: the median of the samples taken in its second half
 * (the first half holds the climb from start-up to the working set, which a pod's request need
 * not cover, and the median ignores a lone GC spike). NaN when no sample fell there.
 */
export function steadyRssMb(samples: readonly RssSample[], fromMs: number, toMs: number): number {
  const secondHalfFromMs = fromMs + (toMs - fromMs) / 2;
  return median(samples.filter((sample) => sample.atMs >= secondHalfFromMs && sample.atMs <= toMs).map((sample) => sample.rssMb));
}

export class ProcTreeSampler {
  last: TreeUsage = { cpuSeconds: 0, peakRssMb: 0, rssMb: 0, processes: 0 };
  private readonly history: (RssSample & { cpuSeconds: number })[] = [];
  private readonly timer: NodeJS.Timeout;
  readonly startedAtMs = Date.now();

  constructor(
    readonly pid: number,
    intervalMs = 100,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    this.sample();
  }

  sample(): TreeUsage {
    const root = readProc(this.pid);
    if (!root) return this.last;
    let cpuSeconds = root.cpuSeconds;
    let rssMb = root.rssMb;
    let processes = 1;
    const pending = childrenOf(this.pid);
    while (pending.length > 0) {
      const pid = pending.pop() as number;
      const reading = readProc(pid);
      if (!reading) continue;
      cpuSeconds += reading.cpuSeconds;
      rssMb += reading.rssMb;
      processes++;
      pending.push(...childrenOf(pid));
    }
    cpuSeconds = Math.max(cpuSeconds, this.last.cpuSeconds);
    this.last = {
      cpuSeconds,
      rssMb,
      processes: Math.max(processes, this.last.processes),
      peakRssMb: Math.max(this.last.peakRssMb, root.hwmMb, rssMb),
    };
    this.history.push({ atMs: Date.now(), cpuSeconds, rssMb });
    return this.last;
  }

  /** CPU seconds used up to `atMs` (interpolated between the samples around it). */
  cpuAt(atMs: number): number {
    const after = this.history.findIndex((entry) => entry.atMs >= atMs);
    if (after < 0) return this.last.cpuSeconds;
    if (after === 0) return this.history[0].cpuSeconds;
    const a = this.history[after - 1];
    const b = this.history[after];
    return a.cpuSeconds + ((b.cpuSeconds - a.cpuSeconds) * (atMs - a.atMs)) / Math.max(1, b.atMs - a.atMs);
  }

  /** See steadyRssMb: the tree's settled resident memory over [fromMs, toMs]. */
  steadyRssMb(fromMs: number, toMs: number): number {
    return steadyRssMb(this.history, fromMs, toMs);
  }

  /** `seconds:MB` of resident memory from `fromMs`, one entry per `stepMs`: where the peak is. */
  rssTimeline(fromMs: number, stepMs = 250): string {
    const entries: string[] = [];
    let next = fromMs;
    for (const { atMs, rssMb } of this.history) {
      if (atMs < next) continue;
      entries.push(`${((atMs - fromMs) / 1000).toFixed(1)}:${rssMb.toFixed(0)}`);
      next = atMs + stepMs;
    }
    return entries.join(' ');
  }

  stop(): TreeUsage {
    this.sample();
    clearInterval(this.timer);
    return this.last;
  }
}

/**
 * CPU seconds of a process's main thread (tid = pid: Node's JavaScript thread, Go's first
 * thread) and of all its other threads together (libuv's pool, where zlib runs; V8's GC and
 * compiler helpers). Node names every thread "node", so they cannot be told apart further.
 */
export function threadCpu(pid: number): { main: number; others: number } {
  let main = 0;
  let others = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpu = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
      if (Number(task) === pid) main += cpu;
      else others += cpu;
    }
  } catch {
    // gone
  }
  return { main, others };
}

/** Resident memory of a process by mapping (file, [heap], [stack], anonymous), largest first, in MB. */
export function residentByMapping(pid: number, top = 8): string {
  const byName = new Map<string, number>();
  try {
    let name = '';
    for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (header) {
        name = header[1] || '(anonymous)';
        continue;
      }
      const rss = /^Rss:\s+(\d+) kB/.exec(line);
      if (rss) byName.set(name, (byName.get(name) ?? 0) + Number(rss[1]) / 1024);
    }
  } catch {
    return 'n/a';
  }
  return [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, mb]) => `${path.basename(name)} ${mb.toFixed(0)}`)
    .join(', ');
}
