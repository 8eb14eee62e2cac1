/** Realistic Insights messages for integration tests: unique values so every point is traceable. */

/** The Insights time format: ISO-8601, microseconds, no zone (UTC). */
export function insightsTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 23)}000`;
}

export interface GeneratedInsight {
  readonly json: string;
  readonly index: number;
  readonly timestamp: number;
  readonly algorithm: string;
  readonly version: string;
}

/** Message `index`: duration = index, risk_score = index / 1e6, timestamps a little in the past. */
export function insight(index: number, nowMs = Date.now()): GeneratedInsight {
  const epochMs = nowMs - 60_000 + (index % 50_000);
  const algorithm = `algo_${index % 7}`;
  const version = `1.0.${index % 3}`;
  const message = {
    risk_score: index / 1e6,
    duration_milliseconds: index,
    algorithm_version: version,
    session_id: `rses-${index}`,
    time: insightsTime(epochMs),
    algorithm_name: algorithm,
    request_id: `req-${index}`,
    algorithm_owner: 'asli',
  };
  return { json: JSON.stringify(message), index, timestamp: Math.floor(epochMs / 1000), algorithm, version };
}
