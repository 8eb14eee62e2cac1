import type { ReceivedPoint } from './live-summary';
import { breaches } from '../preview/query';

/**
 * What a configured monitor's condition says about the traffic the Datadog double received, for
 * the kinds that can be computed from the points alone: thresholds on an aggregate or a
 * percentile, whole or per group (`... by {algorithm_name}`). Change, anomaly and outlier monitors
 * need history or Datadog's models: they are listed with the reason instead.
 */

/** A monitor as synthesized: the fields of `datadog_monitor` this needs. */
export interface SynthesizedMonitor {
  readonly name: string;
  readonly query: string;
  readonly monitor_thresholds?: { readonly critical?: string; readonly warning?: string };
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
}

export interface UnevaluatedMonitor {
  readonly name: string;
  readonly kind: string;
  readonly reason: string;
}

/** A threshold query taken apart: `avg(last_5m):p95:metric{scope} by {a,b} > 8000`. */
export interface ThresholdQuery {
  readonly timeAggregation: 'avg' | 'sum' | 'min' | 'max';
  readonly windowSeconds: number;
  readonly spaceAggregation: string;
  readonly metric: string;
  readonly scope: readonly string[];
  readonly groupBy: readonly string[];
  readonly comparator: '>' | '>=' | '<' | '<=';
  readonly threshold: number;
}

const THRESHOLD_QUERY =
  /^(avg|sum|min|max)\(last_(\d+)([mhdw])\):(avg|sum|min|max|p50|p75|p90|p95|p99):([A-Za-z0-9_.]+)\{([^}]*)\}(?: by \{([^}]*)\})? (>=|<=|>|<) (-?[0-9.e+-]+)$/;
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
    comparator: match[8] as ThresholdQuery['comparator'],
    threshold: Number(match[9]),
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

/**
 * The value per group, as the query computes it: per second, the space aggregation over the
 * series (for a percentile, over every value of the window instead); then the time aggregation.
 */
export function evaluateThreshold(parsed: ThresholdQuery, points: readonly ReceivedPoint[], nowSeconds: number): Map<string, number> {
  const since = nowSeconds - parsed.windowSeconds;
  const byGroup = new Map<string, Map<number, number[]>>();
  for (const point of points) {
    if (point.metric !== parsed.metric || point.timestamp < since || !matchesScope(point.tags, parsed.scope)) continue;
    const group =
      parsed.groupBy.length === 0
        ? '(all)'
        : parsed.groupBy
            .map((key) => `${key}:${point.tags.find((tag) => tag.startsWith(`${key}:`))?.slice(key.length + 1) ?? 'N/A'}`)
            .join(',');
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

const SEVERITY: Record<ConditionState, number> = { ALERT: 3, WARN: 2, OK: 1, 'NO DATA': 0 };

/** Keeps the points the monitors' windows need and says, on demand, what each monitor would. */
export class MonitorConditions {
  private readonly evaluable: Array<{ monitor: SynthesizedMonitor; parsed: ThresholdQuery }> = [];
  readonly unevaluable: UnevaluatedMonitor[] = [];
  private points: ReceivedPoint[] = [];
  private readonly keepSeconds: number;

  constructor(monitors: readonly SynthesizedMonitor[]) {
    for (const monitor of monitors) {
      const parsed = parseThresholdQuery(monitor.query);
      if (parsed) this.evaluable.push({ monitor, parsed });
      else this.unevaluable.push({ name: monitor.name, ...unevaluableReason(monitor.query) });
    }
    this.keepSeconds = Math.max(0, ...this.evaluable.map(({ parsed }) => parsed.windowSeconds));
  }

  add(points: readonly ReceivedPoint[], nowSeconds = Date.now() / 1000): void {
    const metrics = new Set(this.evaluable.map(({ parsed }) => parsed.metric));
    this.points.push(...points.filter((point) => metrics.has(point.metric)));
    const since = nowSeconds - this.keepSeconds;
    if (this.points.length > 0 && this.points[0].timestamp < since) this.points = this.points.filter((point) => point.timestamp >= since);
  }

  evaluate(nowSeconds = Date.now() / 1000): EvaluatedMonitor[] {
    return this.evaluable.map(({ monitor, parsed }) => {
      const critical = Number(monitor.monitor_thresholds?.critical ?? parsed.threshold);
      const warningText = monitor.monitor_thresholds?.warning;
      const groups: GroupResult[] = [...evaluateThreshold(parsed, this.points, nowSeconds)].map(([group, value]) => ({
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
      return { name: monitor.name, query: monitor.query, state, groups };
    });
  }

  /** Summary lines: one per evaluated monitor (its non-OK groups named), then what is not evaluated. */
  render(nowSeconds = Date.now() / 1000): string[] {
    const lines: string[] = [];
    for (const result of this.evaluate(nowSeconds)) {
      const flagged = result.groups.filter((group) => group.state !== 'OK');
      const ok = result.groups.length - flagged.length;
      const detail =
        result.state === 'NO DATA'
          ? 'no data in the window'
          : [
              ...flagged.map((group) => `${group.group === '(all)' ? '' : `${group.group} `}${format(group.value)} ${group.state}`),
              ...(ok > 0
                ? [result.groups.length === 1 ? `${format(result.groups[0].value)}` : `${ok} group${ok === 1 ? '' : 's'} OK`]
                : []),
            ].join(' · ');
      lines.push(`  ${result.state.padEnd(7)} ${result.name}: ${detail}`);
      lines.push(`          ${result.query}`);
    }
    for (const monitor of this.unevaluable) lines.push(`  not evaluated (${monitor.kind}) ${monitor.name}: ${monitor.reason}`);
    return lines;
  }
}

function format(value: number): string {
  return Math.abs(value) >= 100 ? String(Math.round(value)) : String(Math.round(value * 1000) / 1000);
}
