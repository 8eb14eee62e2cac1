/**
 * The forwarder as users run it (the test bed's ForwarderProcess: its launcher, with the heap
 * flags users get), measured: its CPU and peak RSS from /proc/<pid>, how often it joined its group
 * and paused, and its counters from its own /metrics.
 */
import path from 'node:path';
import { ForwarderProcess, type ForwarderExit } from '@algorithmia-datadog/testbed';
import { ProcSampler, type ProcUsage } from './proc';

/**
 * FORWARDER_* variables of the bench's own environment (e.g. FORWARDER_COMPRESSION_LEVEL=1, or
 * FORWARDER_NODE_OPTIONS to replace the launcher's heap flags), and node flags from
 * BENCH_NODE_ARGS added to the launcher's, for experiments.
 */
export function benchOverrides(): { env: Record<string, string>; nodeArgs: string[] } {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (name.startsWith('FORWARDER_') && value !== undefined) env[name] = value;
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return { env, nodeArgs };
}

export interface BenchForwarderOptions {
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir', dir]. */
  nodeArgs?: string[];
  name?: string;
}

/** Lines of its output kept for a failure's report. */
const KEPT_LINES = 200;

export class BenchForwarder {
  readonly process: ForwarderProcess;
  readonly sampler: ProcSampler;
  /** Date.now() when it last logged that it joined its consumer group. */
  joinedAt: number | undefined;
  joins = 0;
  /** Times it logged that its send buffer was full and it paused consumption. */
  pauses = 0;
  /** Milliseconds spent paused (from its "send buffer full" line to its "consumption resumed"). */
  pausedMs = 0;
  private pausedAt: number | undefined;
  private joinWaiters: (() => void)[] = [];

  constructor(
    env: Record<string, string>,
    readonly options: BenchForwarderOptions = {},
  ) {
    this.process = new ForwarderProcess(
      { PATH: forwarderPath(), FORWARDER_HTTP_PORT: '0', FORWARDER_HTTP_HOST: '127.0.0.1', ...env },
      {
        nodeArgs: options.nodeArgs,
        // BENCH_FORWARDER_DIR: another built forwarder package (e.g. an older commit's) to measure instead.
        forwarderDir: process.env.BENCH_FORWARDER_DIR ? path.resolve(process.env.BENCH_FORWARDER_DIR) : undefined,
        keepLines: KEPT_LINES,
      },
    );
    this.sampler = new ProcSampler(this.process.pid);
    this.process.onLine((line) => {
      if (line.includes('"msg":"send buffer full')) {
        this.pauses++;
        this.pausedAt = Date.now();
      } else if (line.includes('"msg":"consumption resumed"')) {
        if (this.pausedAt !== undefined) this.pausedMs += Date.now() - this.pausedAt;
        this.pausedAt = undefined;
      } else if (line.includes('"msg":"joined consumer group"')) {
        this.joinedAt = Date.now();
        this.joins++;
        for (const waiter of this.joinWaiters.splice(0)) waiter();
      }
    });
    void this.process.exited.then(() => this.sampler.stop());
  }

  get pid(): number {
    return this.process.pid;
  }

  get running(): boolean {
    return this.process.running;
  }

  /** The last lines it wrote (for diagnosing a failure). */
  output(): string {
    return this.process.output();
  }

  usage(): ProcUsage {
    return this.running ? this.sampler.sample() : this.sampler.last;
  }

  /** Resolves once it has joined its group `count` times in total. */
  waitForJoin(timeoutMs: number, count = 1): Promise<void> {
    if (this.joins >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`forwarder ${this.options.name ?? this.pid} did not join its group within ${timeoutMs} ms:\n${this.output()}`)),
        timeoutMs,
      );
      const check = (): void => {
        if (this.joins >= count) {
          clearTimeout(timer);
          resolve();
        } else this.joinWaiters.push(check);
      };
      this.joinWaiters.push(check);
      void this.process.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`forwarder exited before joining:\n${this.output()}`));
      });
    });
  }

  /** Its /metrics as name{labels} → value. */
  async metrics(): Promise<Map<string, number>> {
    const port = await this.process.port;
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    return parsePrometheus(await response.text());
  }

  kill9(): Promise<ForwarderExit> {
    this.sampler.sample();
    return this.process.kill9();
  }

  /** SIGTERM, and SIGKILL if it has not exited after `graceMs`. */
  terminate(graceMs = 30_000): Promise<ForwarderExit> {
    this.sampler.sample();
    return this.process.terminate(graceMs);
  }
}

/** BENCH_NODE: another node binary for the forwarder only (the launcher runs the first `node` on PATH). */
function forwarderPath(): string {
  const node = process.env.BENCH_NODE;
  const inherited = process.env.PATH ?? '';
  return node ? `${path.dirname(path.resolve(node))}:${inherited}` : inherited;
}

/** Prometheus text → `name{a="b",...}` → value (labels as written). */
export function parsePrometheus(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    values.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return values;
}

/** Sum of the series of `name` whose labels include every `labels` pair. */
export function metricSum(metrics: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [key, value] of metrics) {
    if (key !== name && !key.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => key.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}

/** `name{label="x"}` values of `name` by one label. */
export function metricByLabel(metrics: Map<string, number>, name: string, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of metrics) {
    if (!key.startsWith(`${name}{`)) continue;
    const found = new RegExp(`${label}="([^"]*)"`).exec(key)?.[1];
    if (found !== undefined && value !== 0) out[found] = (out[found] ?? 0) + value;
  }
  return out;
}
