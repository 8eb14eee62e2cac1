/**
 * The forwarder as users run it: its launcher (forwarder/bin/algorithmia-datadog-forwarder, which
 * execs node with the heap flags users get, on forwarder/dist/bin/forwarder.js from
 * `npm run build`) in its own process, configured by environment. exec keeps the pid, so its CPU
 * and peak RSS come from /proc/<pid>; its counters from its own /metrics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ProcSampler, type ProcUsage } from './proc';

/** BENCH_FORWARDER_DIR: another built forwarder package (e.g. an older commit's) to measure instead. */
const FORWARDER_DIR = path.resolve(process.env.BENCH_FORWARDER_DIR ?? path.join(__dirname, '..', '..'));
export const FORWARDER_BIN = path.join(FORWARDER_DIR, 'dist', 'bin', 'forwarder.js');
export const FORWARDER_LAUNCHER = path.join(FORWARDER_DIR, 'bin', 'algorithmia-datadog-forwarder');

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

export interface ForwarderProcessOptions {
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir', dir]. */
  nodeArgs?: string[];
  name?: string;
}

export class ForwarderProcess {
  readonly child: ChildProcess;
  readonly sampler: ProcSampler;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The HTTP port of /metrics, once it listens. */
  readonly port: Promise<number>;
  /** Resolves (with Date.now()) when it logs that it joined its consumer group, every time. */
  joinedAt: number | undefined;
  joins = 0;
  /** Times it logged that its send buffer was full and it paused consumption. */
  pauses = 0;
  /** Milliseconds spent paused (from its "send buffer full" line to its "consumption resumed"). */
  pausedMs = 0;
  private pausedAt: number | undefined;
  private readonly tail: string[] = [];
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private joinWaiters: (() => void)[] = [];

  constructor(
    env: Record<string, string>,
    readonly options: ForwarderProcessOptions = {},
  ) {
    if (!existsSync(FORWARDER_BIN)) throw new Error(`${FORWARDER_BIN} is missing: run \`npm run build\` at the repository root`);
    const nodeArgs = options.nodeArgs ?? [];
    // The launcher when there is one (it is what users run), extra flags added to its own
    // (node refuses --cpu-prof in NODE_OPTIONS); the bin otherwise.
    const launcher = existsSync(FORWARDER_LAUNCHER);
    const launcherFlags = env.FORWARDER_NODE_OPTIONS ?? (launcher ? launcherDefaultFlags() : '');
    this.child = spawn(launcher ? FORWARDER_LAUNCHER : process.execPath, launcher ? [] : [...nodeArgs, FORWARDER_BIN], {
      env: {
        PATH: forwarderPath(),
        FORWARDER_HTTP_PORT: '0',
        FORWARDER_HTTP_HOST: '127.0.0.1',
        ...env,
        ...(launcher && nodeArgs.length > 0 ? { FORWARDER_NODE_OPTIONS: `${launcherFlags} ${nodeArgs.join(' ')}`.trim() } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.sampler = new ProcSampler(this.child.pid as number);
    let resolvePort: (port: number) => void = () => undefined;
    let rejectPort: (error: Error) => void = () => undefined;
    this.port = new Promise((resolve, reject) => {
      resolvePort = resolve;
      rejectPort = reject;
    });
    this.port.catch(() => undefined);
    let partial = '';
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        this.keep(line);
        if (line.includes('"msg":"health and metrics server listening')) {
          const port = /"port":(\d+)/.exec(line)?.[1];
          if (port) resolvePort(Number(port));
        } else if (line.includes('"msg":"send buffer full')) {
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
      }
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) this.keep(`stderr: ${line}`);
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        this.sampler.stop();
        rejectPort(new Error(`forwarder exited (code ${code}, signal ${signal}) before listening:\n${this.output()}`));
        resolve({ code, signal });
      }),
    );
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last lines it wrote (for diagnosing a failure). */
  output(): string {
    return this.tail.join('\n');
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
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`forwarder exited before joining:\n${this.output()}`));
      });
    });
  }

  /** Its /metrics as name{labels} → value. */
  async metrics(): Promise<Map<string, number>> {
    const port = await this.port;
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    return parsePrometheus(await response.text());
  }

  kill9(): Promise<unknown> {
    this.sampler.sample();
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM, and SIGKILL if it has not exited after `graceMs`. */
  async terminate(graceMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.sampler.sample();
    if (this.running) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const info = await this.exited;
    clearTimeout(timer);
    return info;
  }

  private keep(line: string): void {
    this.tail.push(line);
    if (this.tail.length > 200) this.tail.shift();
  }
}

/** BENCH_NODE: another node binary for the forwarder only (the launcher runs the first `node` on PATH). */
function forwarderPath(): string {
  const node = process.env.BENCH_NODE;
  const inherited = process.env.PATH ?? '';
  return node ? `${path.dirname(path.resolve(node))}:${inherited}` : inherited;
}

/** The node flags the launcher uses when FORWARDER_NODE_OPTIONS is unset (`${FORWARDER_NODE_OPTIONS:-…}`). */
function launcherDefaultFlags(): string {
  return /\$\{FORWARDER_NODE_OPTIONS:-([^}]*)\}/.exec(readFileSync(FORWARDER_LAUNCHER, 'utf8'))?.[1] ?? '';
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
