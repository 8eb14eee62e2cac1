import type { ReceivedPoint } from './live-summary';
import { breaches } from '../preview/query';
import { CountPoints, isCount } from './count-points';
import { SILENCE_WINDOW_SETTING } from './settings';

/**
 * What a configured monitor's condition says about the traffic the Datadog double received, for
 * the kinds that can be computed from the points alone: thresholds on an aggregate or a
 * percentile, whole or per group (`... by {algorithm_name}`), and counts (`.as_count()`, kept as
 * Datadog keeps them: the last write per series and second). Change, anomaly and outlier monitors
 * need history or Datadog's models: they are listed with the reason instead.
 */

/** A monitor as synthesized: the fields of `datadog_monitor` this needs. */
export interface SynthesizedMonitor {
  readonly name: string;
  readonly query: string;
  readonly monitor_thresholds?: { readonly critical?: string; readonly warning?: string };
  /** `default`: an empty sum or count is 0 (so that silence alerts); otherwise no data is no data. */
  readonly on_missing_data?: string;
}

export type ConditionState = 'ALERT' | 'WARN' | 'OK' | 'NO DATA';

export interface GroupResult {
  /** `algorithm_name:speech_to_text`, or `(all)` for an ungrouped monitor. */
  readonly group: string;
  readonly value: number;
  readonly state: Exclude<ConditionState, 'NO DATA'>;
}

export interface EvaluatedMonitor {
  readonly name: string;
  readonly query: string;
  readonly state: ConditionState;
  /** Worst first. */
  readonly groups: readonly GroupResult[];
  /** Set when the window is not the query's own: the seconds it was evaluated over (silenceWindowSeconds). */
  readonly evaluatedOverSeconds?: number;
}

export interface UnevaluatedMonitor {
  readonly name: string;
  readonly kind: string;
  readonly reason: string;
}

/** A threshold query taken apart: `avg(last_5m):p95:metric{scope} by {a,b} > 8000`, `sum(...):sum:count{*}.as_count() < 1`. */
export interface ThresholdQuery {
  readonly timeAggregation: 'avg' | 'sum' | 'min' | 'max';
  readonly windowSeconds: number;
  readonly spaceAggregation: string;
  readonly metric: string;
  readonly scope: readonly string[];
  readonly groupBy: readonly string[];
  readonly comparator: '>' | '>=' | '<' | '<=';
  readonly threshold: number;
  /** `.as_count()`: the values of a count, as sent (not per second). */
  readonly asCount?: true;
}

const THRESHOLD_QUERY =
  /^(avg|sum|min|max)\(last_(\d+)([mhdw])\):(avg|sum|min|max|p50|p75|p90|p95|p99):([A-Za-z0-9_.]+)\{([^}]*)\}(?: by \{([^}]*)\})?(\.as_count\(\))? (>=|<=|>|<) (-?[0-9.e+-]+)$/;
const UNIT_SECONDS = { m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

export function parseThresholdQuery(query: string): ThresholdQuery | undefined {
  const match = THRESHOLD_QUERY.exec(query);
  if (!match) return undefined;
  const list = (text: string | undefined) =>
    (text ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '' && part !== '*');
  return {
    timeAggregation: match[1] as ThresholdQuery['timeAggregation'],
    windowSeconds: Number(match[2]) * UNIT_SECONDS[match[3] as keyof typeof UNIT_SECONDS],
    spaceAggregation: match[4],
    metric: match[5],
    scope: list(match[6]),
    groupBy: list(match[7]),
    comparator: match[9] as ThresholdQuery['comparator'],
    threshold: Number(match[10]),
    ...(match[8] ? { asCount: true as const } : {}),
  };
}

/** Why a kind cannot be computed from a few minutes of points. */
export function unevaluableReason(query: string): { kind: string; reason: string } {
  const body = query.replace(/^[a-z]+\(last_\w+\):/, '');
  if (/^(pct_)?change\(/.test(query)) {
    const baseline = /^(?:pct_)?change\([a-z]+\(last_\w+\),(last_\w+)\)/.exec(query)?.[1] ?? 'the baseline';
    return { kind: 'change', reason: `compares with the same window ${baseline} earlier: the demo has no such history` };
  }
  if (body.startsWith('anomalies('))
    return { kind: 'anomaly', reason: "needs Datadog's model of weeks of history (seasonal algorithms: three seasons)" };
  if (body.startsWith('outliers(')) return { kind: 'outlier', reason: "needs Datadog's outlier algorithm over every group's series" };
  if (query.startsWith('burn_rate(')) return { kind: 'burn rate', reason: "reads an SLO's error budget, which Datadog computes over days" };
  return { kind: 'other', reason: 'this query form is not evaluated by the demo' };
}

function matchesScope(tags: readonly string[], scope: readonly string[]): boolean {
  return scope.every((term) => (term.startsWith('!') ? !tags.includes(term.slice(1)) : tags.includes(term)));
}

function aggregate(kind: string, values: readonly number[]): number {
  if (kind.startsWith('p')) {
    // Nearest-rank percentile over every value in the window (Datadog's is per rollup interval).
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.max(0, Math.ceil((Number(kind.slice(1)) / 100) * sorted.length) - 1)];
  }
  switch (kind) {
    case 'sum':
      return values.reduce((sum, value) => sum + value, 0);
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    default:
      return values.reduce((sum, value) => sum + value, 0) / values.length;
  }
}

/** The group a point's tags put it in: `algorithm_name:x,algorithm_version:y`, or `(all)` when ungrouped. */
export function groupOf(parsed: ThresholdQuery, tags: readonly string[]): string {
  if (parsed.groupBy.length === 0) return '(all)';
  return parsed.groupBy.map((key) => `${key}:${tags.find((tag) => tag.startsWith(`${key}:`))?.slice(key.length + 1) ?? 'N/A'}`).join(',');
}

/**
 * The value per group, as the query computes it: per second, the space aggregation over the
 * series (for a percentile, over every value of the window instead); then the time aggregation.
 * `windowSeconds`: the query's own window unless given.
 */
export function evaluateThreshold(
  parsed: ThresholdQuery,
  points: readonly ReceivedPoint[],
  nowSeconds: number,
  windowSeconds = parsed.windowSeconds,
): Map<string, number> {
  const since = nowSeconds - windowSeconds;
  const byGroup = new Map<string, Map<number, number[]>>();
  for (const point of points) {
    if (point.metric !== parsed.metric || point.timestamp < since || !matchesScope(point.tags, parsed.scope)) continue;
    const group = groupOf(parsed, point.tags);
    const bySecond = byGroup.get(group) ?? new Map<number, number[]>();
    byGroup.set(group, bySecond);
    const second = bySecond.get(point.timestamp) ?? [];
    bySecond.set(point.timestamp, second);
    second.push(...(point.values ?? (point.value !== undefined ? [point.value] : [])));
  }
  const values = new Map<string, number>();
  for (const [group, bySecond] of byGroup) {
    if (parsed.spaceAggregation.startsWith('p')) {
      values.set(group, aggregate(parsed.spaceAggregation, [...bySecond.values()].flat()));
    } else {
      values.set(
        group,
        aggregate(
          parsed.timeAggregation,
          [...bySecond.values()].map((second) => aggregate(parsed.spaceAggregation, second)),
        ),
      );
    }
  }
  return values;
}

/**
 * Whether `on_missing_data: default` makes an empty result 0, as Datadog does for sums and counts
 * (`sum(last_30m)`, `.as_count()`); for the other aggregations it keeps showing no data here.
 */
export function missingIsZero(monitor: SynthesizedMonitor, parsed: ThresholdQuery): boolean {
  return monitor.on_missing_data === 'default' && (parsed.timeAggregation === 'sum' || parsed.asCount === true);
}

/** A monitor that alerts on silence: an empty window is 0, and 0 is past its `<` threshold. */
function alertsOnSilence(monitor: SynthesizedMonitor, parsed: ThresholdQuery): boolean {
  return missingIsZero(monitor, parsed) && parsed.comparator.startsWith('<');
}

const SEVERITY: Record<ConditionState, number> = { ALERT: 3, WARN: 2, OK: 1, 'NO DATA': 0 };

export interface MonitorConditionsOptions {
  /**
   * Evaluate the silence monitors (see alertsOnSilence) over this many seconds when their window is
   * longer, so that "no executions for 30 minutes" can alert within a short demo. The summary says so.
   */
  readonly silenceWindowSeconds?: number;
}

interface Evaluable {
  readonly monitor: SynthesizedMonitor;
  readonly parsed: ThresholdQuery;
  readonly windowSeconds: number;
  readonly missingIsZero: boolean;
  /** Every group seen since the start: a group with no points in the window is one Datadog knows. */
  readonly knownGroups: Set<string>;
}

/** Keeps the points the monitors' windows need and says, on demand, what each monitor would. */
export class MonitorConditions {
  private readonly evaluable: Evaluable[] = [];
  readonly unevaluable: UnevaluatedMonitor[] = [];
  private points: ReceivedPoint[] = [];
  private readonly counts = new CountPoints();
  private readonly keepSeconds: number;

  constructor(monitors: readonly SynthesizedMonitor[], options: MonitorConditionsOptions = {}) {
    for (const monitor of monitors) {
      const parsed = parseThresholdQuery(monitor.query);
      if (!parsed) {
        this.unevaluable.push({ name: monitor.name, ...unevaluableReason(monitor.query) });
        continue;
      }
      const windowSeconds =
        options.silenceWindowSeconds !== undefined && alertsOnSilence(monitor, parsed)
          ? Math.min(parsed.windowSeconds, options.silenceWindowSeconds)
          : parsed.windowSeconds;
      this.evaluable.push({ monitor, parsed, windowSeconds, missingIsZero: missingIsZero(monitor, parsed), knownGroups: new Set() });
    }
    this.keepSeconds = Math.max(0, ...this.evaluable.map(({ windowSeconds }) => windowSeconds));
  }

  add(points: readonly ReceivedPoint[], nowSeconds = Date.now() / 1000): void {
    const metrics = new Set(this.evaluable.map(({ parsed }) => parsed.metric));
    const kept = points.filter((point) => metrics.has(point.metric));
    this.points.push(...kept.filter((point) => !isCount(point)));
    this.counts.add(kept.filter(isCount));
    for (const { parsed, missingIsZero: zero, knownGroups } of this.evaluable) {
      if (!zero || parsed.groupBy.length === 0) continue;
      for (const point of kept) {
        if (point.metric === parsed.metric && matchesScope(point.tags, parsed.scope)) knownGroups.add(groupOf(parsed, point.tags));
      }
    }
    const since = nowSeconds - this.keepSeconds;
    if (this.points.length > 0 && this.points[0].timestamp < since) this.points = this.points.filter((point) => point.timestamp >= since);
    this.counts.prune(since);
  }

  evaluate(nowSeconds = Date.now() / 1000): EvaluatedMonitor[] {
    const points = [...this.points, ...this.counts.points()];
    return this.evaluable.map(({ monitor, parsed, windowSeconds, missingIsZero: zero, knownGroups }) => {
      const critical = Number(monitor.monitor_thresholds?.critical ?? parsed.threshold);
      const warningText = monitor.monitor_thresholds?.warning;
      const values = evaluateThreshold(parsed, points, nowSeconds, windowSeconds);
      if (zero) {
        // Silence sends nothing: each known group (or the whole, ungrouped) is then 0, not "no data".
        for (const group of parsed.groupBy.length === 0 ? ['(all)'] : knownGroups) if (!values.has(group)) values.set(group, 0);
      }
      const groups: GroupResult[] = [...values].map(([group, value]) => ({
        group,
        value,
        state: breaches(value, parsed.comparator, critical)
          ? 'ALERT'
          : warningText !== undefined && breaches(value, parsed.comparator, Number(warningText))
            ? 'WARN'
            : 'OK',
      }));
      groups.sort((a, b) => SEVERITY[b.state] - SEVERITY[a.state] || a.group.localeCompare(b.group));
      const state: ConditionState = groups.length === 0 ? 'NO DATA' : groups[0].state;
      return {
        name: monitor.name,
        query: monitor.query,
        state,
        groups,
        ...(windowSeconds < parsed.windowSeconds ? { evaluatedOverSeconds: windowSeconds } : {}),
      };
    });
  }

  /** Summary lines: one per evaluated monitor (its non-OK groups named), then what is not evaluated. */
  render(nowSeconds = Date.now() / 1000, evaluated = this.evaluate(nowSeconds)): string[] {
    const lines: string[] = [];
    for (const result of evaluated) {
      const flagged = result.groups.filter((group) => group.state !== 'OK');
      const ok = result.groups.length - flagged.length;
      const detail =
        result.state === 'NO DATA'
          ? 'no data in the window'
          : [
              ...flagged.map((group) => `${group.group === '(all)' ? '' : `${group.group} `}${formatValue(group.value)} ${group.state}`),
              ...(ok > 0
                ? [result.groups.length === 1 ? `${formatValue(result.groups[0].value)}` : `${ok} group${ok === 1 ? '' : 's'} OK`]
                : []),
            ].join(' · ');
      lines.push(`  ${result.state.padEnd(7)} ${result.name}: ${detail}`);
      lines.push(`          ${result.query}`);
      if (result.evaluatedOverSeconds !== undefined) {
        lines.push(
          `          evaluated over the last ${result.evaluatedOverSeconds} s (${SILENCE_WINDOW_SETTING}), not the query's window`,
        );
      }
    }
    for (const monitor of this.unevaluable) lines.push(`  not evaluated (${monitor.kind}) ${monitor.name}: ${monitor.reason}`);
    return lines;
  }
}

/** A monitor value as the summary and the state-change log print it. */
export function formatValue(value: number): string {
  return Math.abs(value) >= 100 ? String(Math.round(value)) : String(Math.round(value * 1000) / 1000);
}
