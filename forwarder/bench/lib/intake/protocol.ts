/** Messages between the intake's HTTP thread, its verifier thread and the bench driver. */
import { type DatadogEndpoint } from '@algorithmia-datadog/testbed';
import type { ExpectedRun, LedgerCounts } from './point-ledger';

/** HTTP thread → verifier: one answered request. `body` is transferred, not copied. */
export interface BodyMessage {
  type: 'body';
  endpoint: DatadogEndpoint;
  encoding: string;
  body: Uint8Array;
  answeredAtMs: number;
}

export interface ResetMessage {
  type: 'reset';
  expected: ExpectedRun;
}

/** Verifier → HTTP thread → driver, after every body. */
export interface VerifierProgress {
  type: 'progress';
  ledger: LedgerCounts;
  verifiedRequests: number;
  refusedRequests: number;
  refusals: string[];
  decodedBytes: number;
  /** When the request that completed the expected set was answered (undefined until then). */
  completedAtMs?: number;
  /** The verifier thread's own CPU time (utime + stime of the thread). */
  verifierCpuSeconds: number;
  /** Set on the answer to a reset (not to a body). */
  resetAck?: boolean;
}

/** HTTP-side counters, merged into the summary the driver sees. */
export interface IntakeCounters {
  requests: number;
  requestsByStatus: Record<number, number>;
  /** Bytes on the wire of the requests answered 202. */
  wireBytes: number;
  /** Requests answered 202, by Content-Encoding (identity when none). */
  acceptedByEncoding: Record<string, number>;
  firstAnsweredAtMs?: number;
  lastAnsweredAtMs?: number;
  /** Most bodies answered but not yet verified at once, and their bytes. */
  maxBacklogRequests: number;
  maxBacklogBytes: number;
}

export interface IntakeSummary extends IntakeCounters, Omit<VerifierProgress, 'type'> {
  complete: boolean;
}

/** Driver → intake process. */
export type DriverMessage = { type: 'reset'; expected: ExpectedRun } | { type: 'settle' };
/** Intake process → driver. */
export type IntakeMessage =
  | { type: 'listening'; port: number }
  | { type: 'ready'; summary: IntakeSummary }
  | { type: 'progress'; summary: IntakeSummary }
  | { type: 'settled'; summary: IntakeSummary };
