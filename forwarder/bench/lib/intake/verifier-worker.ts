/**
 * The intake's verifier thread: checks every answered body (verify-body.ts) into the run's
 * ledger and reports progress after each. It runs at a lower CPU priority than the processes
 * being measured (nice 10 on this thread only), so on a busy machine it lags instead of taking
 * their CPU; bodies wait for it in the message queue.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { PointLedger } from './point-ledger';
import type { BodyMessage, ResetMessage, VerifierProgress } from './protocol';
import { verifyBody } from './verify-body';

const VERIFIER_NICE = 10;
const CLK_TCK = 100;
const MAX_REFUSALS = 5;

let ledger: PointLedger | undefined;
let verifiedRequests = 0;
let refusedRequests = 0;
let refusals: string[] = [];
let decodedBytes = 0;
let completedAtMs: number | undefined;

function threadCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

try {
  // /proc/thread-self → "<pid>/task/<tid>"; setpriority on a tid affects that thread alone.
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  setPriority(tid, VERIFIER_NICE);
} catch {
  // Not Linux, or not allowed: the verifier then competes at normal priority.
}

function progress(): VerifierProgress {
  return {
    type: 'progress',
    ledger: ledger
      ? ledger.summary()
      : { expectedPoints: 0, unique: 0, received: 0, executions: 0, ownPoints: 0, duplicates: 0, lost: 0, mismatches: {}, examples: [] },
    verifiedRequests,
    refusedRequests,
    refusals,
    decodedBytes,
    completedAtMs,
    verifierCpuSeconds: threadCpuSeconds(),
  };
}

parentPort?.on('message', (message: BodyMessage | ResetMessage) => {
  if (message.type === 'reset') {
    ledger = new PointLedger(message.expected);
    verifiedRequests = 0;
    refusedRequests = 0;
    refusals = [];
    decodedBytes = 0;
    completedAtMs = undefined;
    parentPort?.postMessage({ ...progress(), resetAck: true });
    return;
  }
  if (!ledger) throw new Error('body before reset');
  const verdict = verifyBody(ledger, message.endpoint, message.encoding, message.body, Date.now());
  verifiedRequests++;
  decodedBytes += verdict.decodedBytes;
  if (verdict.refused !== undefined) {
    refusedRequests++;
    if (refusals.length < MAX_REFUSALS) refusals.push(`${message.endpoint}: ${verdict.refused}`);
  }
  if (completedAtMs === undefined && ledger.complete) completedAtMs = message.answeredAtMs;
  parentPort?.postMessage(progress());
});
