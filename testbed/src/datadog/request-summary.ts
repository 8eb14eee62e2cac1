/** What the double reports about each request: for tests, the CLI's lines, and a test that fails. */
import type { DatadogEndpoint } from './datadog-payload';

export type FaultKind = 'status' | 'rate-limit' | 'delay' | 'drop' | 'down';

/** What happened to one request. status 0: the connection was dropped without an answer. */
export interface RequestSummary {
  seq: number;
  method: string;
  path: string;
  endpoint?: DatadogEndpoint;
  status: number;
  fault?: FaultKind;
  contentEncoding: string;
  wireBytes: number;
  decodedBytes: number;
  series: number;
  points: number;
  /** Points skipped for their timestamp with outOfWindowTimestamps 'drop'. */
  droppedPoints: number;
  errors: string[];
  receivedAtMs: number;
  durationMs: number;
}

/** One line per request, for the CLI and for debugging a test. */
export function formatRequestSummary(summary: RequestSummary): string {
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)}KB`;
  const status = summary.status === 0 ? 'dropped' : String(summary.status);
  const parts = [
    `#${summary.seq}`,
    summary.method,
    summary.path,
    status,
    summary.fault ? `fault=${summary.fault}` : '',
    summary.contentEncoding,
    `wire=${kb(summary.wireBytes)}`,
    `decoded=${kb(summary.decodedBytes)}`,
    `series=${summary.series}`,
    `points=${summary.points}`,
    summary.droppedPoints ? `dropped=${summary.droppedPoints}` : '',
    `${summary.durationMs}ms`,
    summary.errors.length && summary.status !== 202 ? `errors=${JSON.stringify(summary.errors.slice(0, 3))}` : '',
  ];
  return parts.filter(Boolean).join(' ');
}
