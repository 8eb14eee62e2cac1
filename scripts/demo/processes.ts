import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
const KAFKA_SH = join(REPO_ROOT, 'scripts', 'kafka.sh');

/**
 * The test bed's broker (scripts/kafka.sh) in its own state directory, so that the demo never
 * starts, reuses or stops a test run's broker (which lives in .kafka/). Port: KAFKA_PORT when set,
 * else 19092 or any free port (kafka.sh's choice).
 */
export class DemoBroker {
  address?: string;

  constructor(readonly stateDir = process.env.DEMO_KAFKA_STATE_DIR ?? join(REPO_ROOT, '.kafka', 'demo')) {}

  private run(command: 'start' | 'stop' | 'status', inheritStderr: boolean): Promise<{ code: number; stdout: string }> {
    return new Promise((resolve, reject) => {
      // detached: the JVM gets its own process group, so Ctrl-C reaches only the demo, which then
      // stops the forwarder first (it commits its offsets) and the broker last.
      const child = spawn('bash', [KAFKA_SH, command], {
        env: { ...process.env, KAFKA_STATE_DIR: this.stateDir },
        stdio: ['ignore', 'pipe', inheritStderr ? 'inherit' : 'ignore'],
        detached: true,
      });
      let stdout = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stdout: stdout.trim() }));
    });
  }

  /** Reuses the test bed's downloaded jars when there are some, instead of resolving them again. */
  private shareJars(): void {
    const shared = join(REPO_ROOT, '.kafka', 'lib');
    const own = join(this.stateDir, 'lib');
    if (existsSync(shared) && !existsSync(own)) {
      mkdirSync(this.stateDir, { recursive: true });
      symlinkSync(shared, own, 'dir');
    }
  }

  async start(): Promise<string> {
    this.shareJars();
    // A broker left by a demo that was killed: restart it, so that the demo starts from empty topics.
    if ((await this.run('status', false)).code === 0) {
      process.stderr.write('demo: a demo broker from an earlier run is still up: restarting it with empty storage\n');
      await this.run('stop', true);
    }
    const { code, stdout } = await this.run('start', true);
    if (code !== 0 || !stdout) throw new Error(`scripts/kafka.sh start failed (exit ${code}); its log is in ${join(this.stateDir, 'log')}`);
    this.address = stdout.split('\n').pop();
    return this.address as string;
  }

  async stop(): Promise<void> {
    const { code } = await this.run('stop', true);
    if (code !== 0) throw new Error(`scripts/kafka.sh stop failed (exit ${code})`);
  }
}

/** Waits for a child to exit, sending SIGKILL to its group after `timeoutMs`. */
export function stopChild(
  child: ChildProcess,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode, killed: false });
      return;
    }
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      signalGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, killed });
    });
    signalGroup(child, 'SIGTERM');
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // its process group (it was started detached)
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** A port that was free a moment ago on 127.0.0.1 (for the forwarder's HTTP endpoints). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
