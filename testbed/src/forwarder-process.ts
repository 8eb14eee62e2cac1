/**
 * The forwarder as users start it, in a process of its own: its launcher (the npm bin and the
 * image's entrypoint, forwarder/bin/algorithmia-datadog-forwarder, which execs node with the heap
 * flags users get on the built forwarder/dist/bin/forwarder.js), configured by environment. Or
 * another command line users run (`npm run forward`). The integration tests, the bench and the demo
 * all start it here. exec keeps the pid, so signals reach the forwarder and /proc/<pid> is its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './repository';

/** The forwarder package of this repository. */
export const FORWARDER_DIR = path.join(REPO_ROOT, 'forwarder');

/** The launcher of a forwarder package (by default this repository's). */
export function forwarderLauncher(forwarderDir = FORWARDER_DIR): string {
  return path.join(forwarderDir, 'bin', 'algorithmia-datadog-forwarder');
}

/** What the launcher runs: the built forwarder (`npm run build`). */
export function builtForwarder(forwarderDir = FORWARDER_DIR): string {
  return path.join(forwarderDir, 'dist', 'bin', 'forwarder.js');
}

/** The node flags a launcher uses when FORWARDER_NODE_OPTIONS is unset (`${FORWARDER_NODE_OPTIONS:-…}`). */
export function launcherDefaultNodeOptions(launcher = forwarderLauncher()): string {
  return /\$\{FORWARDER_NODE_OPTIONS:-([^}]*)\}/.exec(readFileSync(launcher, 'utf8'))?.[1] ?? '';
}

export interface ForwarderProcessOptions {
  /** Arguments to the launcher, e.g. ['--help']. */
  readonly args?: readonly string[];
  /** Another command line users run instead of the launcher, e.g. ['npm', 'run', 'forward']. */
  readonly command?: readonly string[];
  readonly cwd?: string;
  /** Its own process group, as a supervisor starts it (so the group can be signalled). */
  readonly detached?: boolean;
  /**
   * Node.js flags added to the launcher's heap flags (FORWARDER_NODE_OPTIONS, or the launcher's
   * default), e.g. ['--cpu-prof']: node refuses some of them in NODE_OPTIONS.
   */
  readonly nodeArgs?: readonly string[];
  /** Another built forwarder package to run (e.g. an older commit's), launcher included. */
  readonly forwarderDir?: string;
  /** Keep only this many last lines of output (a long run). Default: all of it. */
  readonly keepLines?: number;
}

export interface ForwarderExit {
  /** null when killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

type LineListener = (line: string, stream: 'stdout' | 'stderr') => void;

const LISTENING = /"port":(\d+),"msg":"health and metrics server listening/;

export class ForwarderProcess {
  readonly child: ChildProcess;
  /** Settles when the process has exited. */
  readonly exited: Promise<ForwarderExit>;
  /** The port of /healthz, /readyz and /metrics, once it listens; rejects if it exits first. */
  readonly port: Promise<number>;
  private readonly started = Date.now();
  private ended: number | undefined;
  private exit: ForwarderExit | undefined;
  private text = '';
  private errorText = '';
  private readonly listeners: LineListener[] = [];

  /**
   * @param env the forwarder's settings; PATH and HOME come from this process unless given, nothing
   *   else does (a stray variable of the caller's cannot change what is tested)
   */
  constructor(
    env: Readonly<Record<string, string>>,
    private readonly options: ForwarderProcessOptions = {},
  ) {
    const launcher = forwarderLauncher(options.forwarderDir);
    const built = builtForwarder(options.forwarderDir);
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` at the repository root`);
    const nodeArgs = options.nodeArgs ?? [];
    const [command, ...args] = options.command ?? [launcher, ...(options.args ?? [])];
    const extraNodeOptions =
      nodeArgs.length > 0
        ? { FORWARDER_NODE_OPTIONS: `${env.FORWARDER_NODE_OPTIONS ?? launcherDefaultNodeOptions(launcher)} ${nodeArgs.join(' ')}`.trim() }
        : {};
    this.child = spawn(command, args, {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, ...extraNodeOptions },
      cwd: options.cwd,
      detached: options.detached ?? false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let listening: (port: number) => void = () => undefined;
    let notListening: (error: Error) => void = () => undefined;
    this.port = new Promise((resolve, reject) => {
      listening = resolve;
      notListening = reject;
    });
    this.port.catch(() => undefined);
    this.onLine((line) => {
      const port = LISTENING.exec(line)?.[1];
      if (port !== undefined) listening(Number(port));
    });
    this.read('stdout');
    this.read('stderr');
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.ended = Date.now();
        this.exit = { code, signal };
        notListening(new Error(`forwarder exited (code ${code}, signal ${signal}) before listening:\n${this.output()}`));
        resolve(this.exit);
      }),
    );
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  // Bound, so that they can be handed on as they are (`describe: run.output`).
  /** Milliseconds from the start to the exit (or to now). */
  readonly elapsedMs = (): number => (this.ended ?? Date.now()) - this.started;
  /** stdout and stderr, interleaved, as written so far (the last `keepLines` lines of them). */
  readonly output = (): string => this.text;
  /** stderr alone. */
  readonly errors = (): string => this.errorText;

  /** Calls `listener` with every line it writes from now on. */
  onLine(listener: LineListener): void {
    this.listeners.push(listener);
  }

  /** SIGKILL: no chance to commit. */
  kill9(): Promise<ForwarderExit> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM, and SIGKILL if it has not exited after `graceMs`. */
  async terminate(graceMs = 30_000): Promise<ForwarderExit> {
    if (this.running) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  private read(stream: 'stdout' | 'stderr'): void {
    const source = this.child[stream];
    if (!source) return;
    source.setEncoding('utf8');
    let partial = '';
    source.on('data', (chunk: string) => {
      this.keep(chunk);
      if (stream === 'stderr') this.errorText += chunk;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) for (const listener of this.listeners) listener(line, stream);
    });
  }

  private keep(chunk: string): void {
    this.text += chunk;
    const { keepLines } = this.options;
    if (keepLines === undefined) return;
    const lines = this.text.split('\n');
    if (lines.length > keepLines + 1) this.text = lines.slice(-(keepLines + 1)).join('\n');
  }
}

/**
 * Pids of live forwarder processes (node running dist/bin/forwarder.js) whose environment carries
 * `marker` (e.g. a unique KAFKA_GROUP_ID=...), so that tests running in parallel never see each
 * other's. Zombies are not counted: they no longer run.
 */
export function forwarderPids(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes('dist/bin/forwarder.js')) continue;
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (state === 'Z') continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(marker)) pids.push(Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  return pids;
}
