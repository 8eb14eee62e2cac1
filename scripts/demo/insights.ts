import { randomUUID } from 'node:crypto';

/**
 * Realistic Algorithmia Insights traffic (see /work/shared/reference/insights-payload.md): a few
 * algorithms with their own latency and inference metrics, an occasional slow run that would trip
 * the "Excessive Algorithm Runtime" monitor, an algorithm that is always slow (which an average
 * over all algorithms hides), a new model version whose predictions drift, and now and then a
 * malformed message.
 */

/** Seconds over which the drifting version's risk score moves from its usual spread to near 1. */
export const DRIFT_SECONDS = 10;

export interface AlgorithmProfile {
  readonly name: string;
  readonly owner: string;
  readonly version: string;
  /** Relative share of the traffic. */
  readonly weight: number;
  /** Typical duration range, ms. */
  readonly durationMs: readonly [number, number];
  /** Share of runs that take 11 to 25 s (over the monitor's 10 s). */
  readonly slowShare: number;
  /**
   * The inference metrics the algorithm reports, given a random source and the seconds since the
   * traffic started (for a drifting model).
   */
  readonly metrics: (random: () => number, elapsedSeconds: number) => Record<string, number>;
}

export const ALGORITHMS: readonly AlgorithmProfile[] = [
  {
    name: 'credit_card_approval',
    owner: 'asli',
    version: '1.0.6',
    weight: 5,
    durationMs: [6, 45],
    slowShare: 0,
    metrics: (random) => {
      const riskScore = round(Math.pow(random(), 1.6), 3);
      return { risk_score: riskScore, approved: riskScore < 0.55 ? 1 : 0 };
    },
  },
  {
    // A new version of the same model whose predictions drift towards "risky" within DRIFT_SECONDS:
    // the per-version risk_score monitor and the drift monitors are about this.
    name: 'credit_card_approval',
    owner: 'asli',
    version: '1.1.0',
    weight: 2,
    durationMs: [6, 45],
    slowShare: 0,
    metrics: (random, elapsedSeconds) => {
      const drift = Math.min(1, Math.max(0, elapsedSeconds / DRIFT_SECONDS));
      const usual = Math.pow(random(), 1.6);
      const riskScore = round(usual * (1 - drift) + (0.97 + 0.03 * random()) * drift, 3);
      return { risk_score: riskScore, approved: riskScore < 0.55 ? 1 : 0 };
    },
  },
  {
    name: 'fraud_detection',
    owner: 'payments',
    version: '2.3.1',
    weight: 3,
    durationMs: [20, 160],
    slowShare: 0,
    metrics: (random) => ({ risk_score: round(Math.pow(random(), 4), 3) }),
  },
  {
    name: 'churn_predictor',
    owner: 'ml-platform',
    version: '0.4.2',
    weight: 2,
    durationMs: [200, 900],
    slowShare: 0,
    // Declared as a distribution in config/metrics.json: every value kept, percentiles in Datadog.
    metrics: (random) => ({ churn_probability: round(random() * 0.6, 3) }),
  },
  {
    // Always slow (20 to 28 s), yet rare enough that the average over all algorithms stays low.
    name: 'speech_to_text',
    owner: 'voice',
    version: '1.4.0',
    weight: 1,
    durationMs: [20_500, 28_000],
    slowShare: 0,
    // Not declared in config/metrics.json: with "onlyDeclared": false it is forwarded too.
    metrics: (random) => ({ words_per_second: round(2 + random() * 1.5, 2) }),
  },
  {
    name: 'document_ocr',
    owner: 'vision',
    version: '3.0.0',
    weight: 1,
    durationMs: [1500, 6000],
    slowShare: 0.08,
    metrics: () => ({}),
  },
];

/** Datadog's monitor threshold the demo points at: the integration's default critical. */
export const SLOW_THRESHOLD_MS = 10_000;

export interface GeneratedMessage {
  readonly value: string | Buffer;
  readonly key?: string;
  /** The algorithm, for a well-formed message. */
  readonly algorithm?: string;
  /** What is wrong with it, for a malformed one. */
  readonly malformed?: MalformedKind;
  readonly slow?: boolean;
}

export type MalformedKind = 'truncated_json' | 'json_array' | 'not_utf8' | 'string_metric';

/** The message `time` as the platform writes it: ISO-8601, microseconds, no zone (UTC). */
export function insightsTime(date: Date, microseconds = 0): string {
  return `${date.toISOString().slice(0, 23)}${String(microseconds % 1000).padStart(3, '0')}`;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export class InsightsGenerator {
  private readonly totalWeight: number;
  private readonly sessions = new Map<string, string[]>();
  /** When the first message was made: the drifting version drifts from there. */
  private startedAt?: number;

  constructor(
    private readonly random: () => number = Math.random,
    private readonly algorithms: readonly AlgorithmProfile[] = ALGORITHMS,
    /** Share of malformed messages. */
    private readonly malformedShare = 0.02,
  ) {
    this.totalWeight = algorithms.reduce((sum, algorithm) => sum + algorithm.weight, 0);
  }

  next(now = new Date()): GeneratedMessage {
    this.startedAt ??= now.getTime();
    if (this.random() < this.malformedShare) return this.malformed(now);
    return this.insight(this.pick(), now);
  }

  private pick(): AlgorithmProfile {
    let ticket = this.random() * this.totalWeight;
    for (const algorithm of this.algorithms) {
      ticket -= algorithm.weight;
      if (ticket < 0) return algorithm;
    }
    return this.algorithms[this.algorithms.length - 1];
  }

  /** A session id reused for a while, as a client calling an algorithm several times would. */
  private session(algorithm: string): string {
    const pool = this.sessions.get(algorithm) ?? [];
    this.sessions.set(algorithm, pool);
    if (pool.length < 5 || this.random() < 0.05) {
      pool.push(`rses-${randomUUID()}`);
      if (pool.length > 5) pool.shift();
    }
    return pool[Math.floor(this.random() * pool.length)];
  }

  insight(algorithm: AlgorithmProfile, now: Date): GeneratedMessage {
    const slow = this.random() < algorithm.slowShare;
    const [low, high] = slow ? [SLOW_THRESHOLD_MS + 1000, 25_000] : algorithm.durationMs;
    const payload = {
      ...algorithm.metrics(this.random, (now.getTime() - (this.startedAt ?? now.getTime())) / 1000),
      duration_milliseconds: Math.round(low + this.random() * (high - low)),
      algorithm_version: algorithm.version,
      session_id: this.session(algorithm.name),
      time: insightsTime(now, Math.floor(this.random() * 1000)),
      algorithm_name: algorithm.name,
      request_id: `req-${randomUUID()}`,
      algorithm_owner: algorithm.owner,
    };
    return { value: JSON.stringify(payload), key: algorithm.name, algorithm: algorithm.name, slow };
  }

  malformed(now: Date): GeneratedMessage {
    const kinds: MalformedKind[] = ['truncated_json', 'json_array', 'not_utf8', 'string_metric'];
    const kind = kinds[Math.floor(this.random() * kinds.length)];
    const good = JSON.parse(this.insight(this.algorithms[0], now).value as string);
    switch (kind) {
      case 'truncated_json':
        return { value: JSON.stringify(good).slice(0, 57), malformed: kind };
      case 'json_array':
        return { value: JSON.stringify([good]), malformed: kind };
      case 'not_utf8':
        return { value: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), malformed: kind };
      case 'string_metric':
        // Decodable: the message is forwarded, the non-numeric value is dropped and counted.
        return { value: JSON.stringify({ ...good, risk_score: 'high' }), key: good.algorithm_name, algorithm: good.algorithm_name, malformed: kind };
    }
  }
}
