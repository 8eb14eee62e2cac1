/**
 * The broker for benchmarks and drills. KAFKA_BROKER set: that cluster is used and left alone
 * (a restart drill then needs BENCH_KAFKA_STATE_DIR naming the state dir of a scripts/kafka.sh
 * broker). Otherwise scripts/kafka.sh starts a private instance in BENCH_KAFKA_STATE_DIR (default
 * <repo>/.kafka/bench, jars copied from <repo>/.kafka/lib when present) so that the bench never
 * shares a broker with test runs, and stops it at the end.
 *
 * `restart()` stops the broker JVM and starts it again with the same command line and the same
 * data directory (scripts/kafka.sh start would wipe the data, which is not what a broker restart
 * in production does).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, openSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { pollUntil } from '@algorithmia-datadog/testbed';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const SCRIPT = path.join(REPO_ROOT, 'scripts', 'kafka.sh');

export interface Broker {
  readonly brokers: string;
  /** Stops it if we started it. */
  stop(): Promise<void>;
  /** Stops the JVM, waits `downMs`, starts it again on the same port with its data. */
  restart(downMs: number): Promise<void>;
}

function runScript(command: string, stateDir: string): string {
  const result = spawnSync('bash', [SCRIPT, command], {
    env: { ...process.env, KAFKA_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`scripts/kafka.sh ${command} failed (exit ${result.status})`);
  return result.stdout.trim().split('\n').pop() ?? '';
}

export async function useBroker(log: (line: string) => void = () => undefined): Promise<Broker> {
  const stateDir = path.resolve(process.env.BENCH_KAFKA_STATE_DIR ?? path.join(REPO_ROOT, '.kafka', 'bench'));
  if (process.env.KAFKA_BROKER) {
    const brokers = process.env.KAFKA_BROKER;
    log(`broker: using KAFKA_BROKER=${brokers}`);
    return { brokers, stop: async () => undefined, restart: (downMs) => restartJvm(stateDir, brokers, downMs, log) };
  }
  const sharedLib = path.join(REPO_ROOT, '.kafka', 'lib');
  if (!existsSync(path.join(stateDir, 'lib')) && existsSync(sharedLib)) cpSync(sharedLib, path.join(stateDir, 'lib'), { recursive: true });
  log(`broker: starting a private broker (KAFKA_STATE_DIR=${stateDir})`);
  const brokers = runScript('start', stateDir);
  log(`broker: ${brokers}`);
  return {
    brokers,
    stop: async () => {
      runScript('stop', stateDir);
    },
    restart: (downMs) => restartJvm(stateDir, brokers, downMs, log),
  };
}

async function restartJvm(stateDir: string, brokers: string, downMs: number, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(stateDir, 'run', 'broker.pid');
  if (!existsSync(pidFile)) throw new Error(`no broker pid file in ${stateDir}: set BENCH_KAFKA_STATE_DIR to the broker's KAFKA_STATE_DIR`);
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const cwd = readlinkSync(`/proc/${pid}/cwd`);
  const started = Date.now();
  process.kill(pid, 'SIGTERM');
  await pollUntil(() => !alive(pid), { timeoutMs: 60_000, intervalMs: 50, describe: () => `broker ${pid} still running` });
  log(`broker: stopped (pid ${pid}) in ${Date.now() - started} ms; down for ${downMs} ms`);
  await new Promise((resolve) => setTimeout(resolve, downMs));
  const out = openSync(path.join(stateDir, 'log', 'jvm.out'), 'a');
  const child = spawn(argv[0], argv.slice(1), { cwd, stdio: ['ignore', out, out] });
  writeFileSync(pidFile, `${child.pid}\n`);
  child.unref();
  const restarted = Date.now();
  await waitUntilReady(brokers, 120_000);
  log(`broker: restarted (pid ${child.pid}) and ready in ${Date.now() - restarted} ms`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (killed, not yet reaped by its parent) counts as gone.
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

export async function waitUntilReady(brokers: string, timeoutMs: number): Promise<void> {
  const kafka = new Kafka({
    clientId: 'bench-probe',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1000,
  });
  await pollUntil(
    async () => {
      const admin = kafka.admin();
      try {
        await admin.connect();
        await admin.listTopics();
        return true;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
    { timeoutMs, intervalMs: 250, describe: () => `broker ${brokers} not answering` },
  );
}
