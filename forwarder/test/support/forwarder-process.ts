/**
 * The forwarder as users start it, in its own process: the launcher (npm bin, image entrypoint),
 * `npm run forward`, or any command line. Output is collected; signals go to exactly one pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The launcher users run: it execs node on the built bin. */
export const FORWARDER_BIN = join(__dirname, '..', '..', 'bin', 'algorithmia-datadog-forwarder');
export const REPO_ROOT = join(__dirname, '..', '..', '..');

export interface SpawnedForwarder {
  readonly child: ChildProcess;
  /** stdout and stderr, interleaved. */
  readonly output: () => string;
  readonly errors: () => string;
  /** Resolves with the exit code (null when killed by a signal) and how long the process ran. */
  readonly exited: Promise<number | null>;
  readonly elapsedMs: () => number;
}

export interface SpawnOptions {
  /** Default: the launcher with no arguments. */
  readonly command?: readonly string[];
  readonly cwd?: string;
  /** Own process group, as a supervisor starts it (so a test can signal the group). */
  readonly detached?: boolean;
}

export function spawnForwarder(env: Record<string, string>, options: SpawnOptions = {}): SpawnedForwarder {
  const [command, ...args] = options.command ?? [FORWARDER_BIN];
  const started = Date.now();
  let ended: number | undefined;
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    cwd: options.cwd,
    detached: options.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => {
    output += chunk;
    errors += chunk;
  });
  const exited = once(child, 'exit').then(([code]) => {
    ended = Date.now();
    return code as number | null;
  });
  return { child, output: () => output, errors: () => errors, exited, elapsedMs: () => (ended ?? Date.now()) - started };
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
