/**
 * Runs scripts/kafka.sh (the test bed's broker) from TypeScript: used by the jest global setup and
 * teardown. The script prints the bootstrap address alone on stdout; its progress goes to stderr,
 * which is passed through so that a slow first start (jar download) explains itself.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../repository';

export const KAFKA_SCRIPT = path.join(REPO_ROOT, 'scripts', 'kafka.sh');

export interface ScriptResult {
  exitCode: number;
  stdout: string;
}

/** Runs `bash scripts/kafka.sh <command>`; rejects only when it cannot be run or exceeds timeoutMs. */
export function runKafkaScript(command: 'start' | 'stop' | 'status' | 'install' | 'env', timeoutMs: number): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [KAFKA_SCRIPT, command], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`scripts/kafka.sh ${command} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? 1, stdout: stdout.trim() });
    });
  });
}

/** The last line of the script's stdout: its bootstrap address (host:port). */
export function bootstrapAddressOf(result: ScriptResult): string {
  const address = result.stdout.split('\n').pop() ?? '';
  if (!/^[^\s:]+:\d+$/.test(address)) throw new Error(`scripts/kafka.sh printed no bootstrap address: ${JSON.stringify(result.stdout)}`);
  return address;
}

/**
 * The secured listeners of a running test-bed broker (`scripts/kafka.sh env`), as variables:
 * KAFKA_TESTBED_SASL_SSL_BROKER, KAFKA_TESTBED_SSL_BROKER, KAFKA_TESTBED_CA_FILE and the users'
 * KAFKA_TESTBED_<MECHANISM>_USERNAME / _PASSWORD. Empty when the broker is not the test bed's.
 */
export async function securedListeners(): Promise<Record<string, string>> {
  const result = await runKafkaScript('env', 30_000);
  if (result.exitCode !== 0) return {};
  const variables: Record<string, string> = {};
  for (const line of result.stdout.split('\n')) {
    const match = /^export (KAFKA_TESTBED_[A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) variables[match[1]] = match[2];
  }
  return variables;
}
