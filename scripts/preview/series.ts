import { unitBounds, type UnitBounds } from '@algorithmia-datadog/metric-declaration';
import type { RecordedPoint } from './points-file';
import type { MetricQuery } from './query';

/**
 * Where the numbers in a picture come from: the points the demo's Datadog double recorded, or a
 * deterministic generated series (the same series on every run) that the page labels "sample data".
 */
export interface Timeline {
  /** Start of each bucket, POSIX seconds. */
  readonly starts: readonly number[];
  readonly stepSeconds: number;
  readonly labels: readonly string[];
}

export interface Series {
  /** The group's tags joined (`algorithm_name:ocr,algorithm_version:3`), or the metric for a query without `by {…}`. */
  readonly label: string;
  /** The group's tags in the order of the query's `by {…}`; absent for a query without one. */
  readonly group?: readonly string[];
  /** One value per timeline bucket; null where nothing was recorded. */
  readonly values: readonly (number | null)[];
}

export interface SeriesSource {
  /** Shown on the picture, e.g. "sample data (generated)". */
  readonly description: string;
  readonly sample: boolean;
  readonly timeline: Timeline;
  /** One series per group (one when the query has no `by {…}`); notes say what was approximated. */
  series(query: MetricQuery): { series: Series[]; notes: string[] };
}

const BUCKETS = 60;

function clock(seconds: number, withSeconds: boolean): string {
  const iso = new Date(seconds * 1000).toISOString();
  return withSeconds ? iso.slice(11, 19) : iso.slice(11, 16);
}

function timeline(start: number, stepSeconds: number, count: number): Timeline {
  const starts = Array.from({ length: count }, (_, index) => start + index * stepSeconds);
  return { starts, stepSeconds, labels: starts.map((seconds) => clock(seconds, stepSeconds < 60)) };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 1) return sorted[0];
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** Reduces values the way a Datadog aggregator or reducer does (avg, sum, min, max, count, last, pNN). */
export function reduce(values: readonly number[], how: string): number | null {
  if (values.length === 0) return null;
  switch (how) {
    case 'sum':
      return values.reduce((total, value) => total + value, 0);
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'count':
      return values.length;
    case 'last':
      return values[values.length - 1];
    default: {
      const percentileMatch = /^p(\d+(?:\.\d+)?)$/.exec(how);
      if (percentileMatch)
        return percentile(
          [...values].sort((a, b) => a - b),
          Number(percentileMatch[1]),
        );
      return values.reduce((total, value) => total + value, 0) / values.length;
    }
  }
}

function matchesScope(tags: readonly string[], scope: readonly string[]): boolean {
  return scope.every((term) => (term.startsWith('!') ? !tags.includes(term.slice(1)) : tags.includes(term)));
}

function groupTags(tags: readonly string[], groupBy: readonly string[]): string[] {
  return groupBy.map((key) => tags.find((tag) => tag.startsWith(`${key}:`)) ?? `${key}:N/A`);
}

/** The points of a demo run: buckets span the recording, at most 60 of them. */
export function recordedSource(points: readonly RecordedPoint[], file: string): SeriesSource {
  const first = Math.min(...points.map((point) => point.timestamp));
  const last = Math.max(...points.map((point) => point.timestamp));
  const stepSeconds = Math.max(1, Math.ceil((last - first + 1) / BUCKETS));
  const line = timeline(first, stepSeconds, Math.floor((last - first) / stepSeconds) + 1);
  const byMetric = new Map<string, RecordedPoint[]>();
  for (const point of points) {
    const list = byMetric.get(point.metric);
    if (list) list.push(point);
    else byMetric.set(point.metric, [point]);
  }
  return {
    description: `recorded by the demo's Datadog double (${file}, ${points.length} points, ${clock(first, true)}–${clock(last, true)} UTC)`,
    sample: false,
    timeline: line,
    series(query) {
      const notes: string[] = [];
      const ofMetric = byMetric.get(query.metric) ?? [];
      let selected = ofMetric.filter((point) => matchesScope(point.tags, query.scope));
      if (selected.length === 0 && ofMetric.length > 0) {
        // The demo tags its points for one environment (env:staging); another environment's dashboard would be empty.
        notes.push(`scope {${query.scope.join(',')}} not in the recording: drawn over all of its points`);
        selected = ofMetric;
      }
      if (ofMetric.length === 0) notes.push(`no ${query.metric} points in the recording`);
      const groups = new Map<string, { group?: string[]; buckets: number[][] }>();
      for (const point of selected) {
        const group = query.groupBy.length > 0 ? groupTags(point.tags, query.groupBy) : undefined;
        const name = group?.join(',') ?? query.metric;
        const entry = groups.get(name) ?? { ...(group ? { group } : {}), buckets: line.starts.map(() => []) };
        const bucket = Math.min(entry.buckets.length - 1, Math.floor((point.timestamp - first) / stepSeconds));
        entry.buckets[bucket].push(...(point.values ?? [point.value!]));
        groups.set(name, entry);
      }
      const series = [...groups.keys()].sort().map((name) => {
        const { group, buckets } = groups.get(name)!;
        return { label: name, ...(group ? { group } : {}), values: buckets.map((bucket) => reduce(bucket, query.aggregator)) };
      });
      return { series, notes };
    },
  };
}

/** A small seeded generator (mulberry32): the same seed draws the same series. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let value = 2166136261;
  for (let index = 0; index < text.length; index += 1) value = Math.imul(value ^ text.charCodeAt(index), 16777619);
  return value >>> 0;
}

const AGGREGATOR_FACTOR: Record<string, number> = { min: 0.4, max: 2.2, p50: 1, p75: 1.3, p90: 1.6, p95: 1.9, p99: 2.6 };

/**
 * A typical level for a metric, where its monitors look, and which way its alerts lie (`down` for a
 * `<` monitor): the sample's one excursion goes that way, towards the thresholds. Level 0: a count
 * that should stay 0, drawn as 0 with one burst.
 */
export type LevelHint = (metric: string) => { readonly level: number; readonly alertsLie: 'up' | 'down' } | undefined;

/** A metric's Datadog unit (`fraction`, `millisecond`…), where the synth output declares one. */
export type UnitOf = (metric: string) => string | undefined;

/** Aggregations that stay within the range of the values they aggregate (a sum or a count does not). */
const WITHIN_RANGE = /^(avg|min|max|last|p\d+(\.\d+)?)$/;

/**
 * Keeps a value under the top of its unit's range (a fraction under 1): unchanged up to 80 % of
 * the range, then bent smoothly towards the top, so percentiles keep their order.
 */
function underTop(value: number, bounds: UnitBounds): number {
  const span = bounds.max - bounds.min;
  const knee = bounds.min + 0.8 * span;
  if (value <= knee) return Math.max(bounds.min, value);
  const room = bounds.max - knee;
  return knee + room * (1 - Math.exp(-(value - knee) / room));
}

/**
 * Generated series: a fixed hour (so pictures do not change between runs), one point a minute,
 * a slow wave with noise around a level near the metric's monitor thresholds, percentiles ordered
 * p50 < p95 < p99, three groups for `by {…}`; within the range of the metric's unit (a fraction in
 * 0..1, a percentage in 0..100).
 */
export function sampleSource(levelHint: LevelHint = () => undefined, unitOf: UnitOf = () => undefined): SeriesSource {
  const end = Date.UTC(2026, 0, 1, 12, 0, 0) / 1000;
  const line = timeline(end - (BUCKETS - 1) * 60, 60, BUCKETS);
  return {
    description: 'sample data (generated; give --points for the demo’s recorded points)',
    sample: true,
    timeline: line,
    series(query) {
      const hint = levelHint(query.metric);
      const unit = unitOf(query.metric);
      const bounds = WITHIN_RANGE.test(query.aggregator) ? unitBounds(unit) : undefined;
      const typical = bounds
        ? bounds.min + 0.5 * (bounds.max - bounds.min)
        : unit === 'millisecond' || /millisecond|duration|latency/.test(query.metric)
          ? 800
          : 0.5;
      const level = hint?.level ?? typical;
      const excursion = hint?.alertsLie === 'down' ? -0.35 : 0.45;
      const groups = query.groupBy.length > 0 ? [1, 2, 3].map((n) => query.groupBy.map((key) => `${key}:sample_${n}`)) : [undefined];
      const series = groups.map((group, groupIndex) => {
        const label = group?.join(',') ?? query.metric;
        const next = random(hash(`${query.metric}|${query.scope.join(',')}|${label}`));
        const factor = query.aggregator === 'count' || query.aggregator === 'sum' ? 12 : (AGGREGATOR_FACTOR[query.aggregator] ?? 1);
        const groupFactor = groups.length > 1 ? 0.7 + 0.3 * groupIndex : 1;
        const phase = next() * Math.PI * 2;
        const spikeAt = Math.floor(next() * BUCKETS);
        // A count whose monitor alerts on anything above 0: nothing, then one burst of a few.
        if (hint?.level === 0) {
          const burst = Math.max(1, Math.round(factor * groupFactor * excursion));
          return {
            label,
            ...(group ? { group } : {}),
            values: line.starts.map((_, index) => (Math.abs(index - spikeAt) <= 1 ? burst : 0)),
          };
        }
        const values = line.starts.map((_, index) => {
          const wave = 1 + 0.22 * Math.sin(index / 7 + phase) + 0.18 * (next() - 0.5);
          const spike = Math.abs(index - spikeAt) <= 1 ? excursion : 0;
          const value = level * factor * groupFactor * (wave + spike);
          return Number((bounds ? underTop(value, bounds) : value).toPrecision(4));
        });
        return { label, ...(group ? { group } : {}), values };
      });
      return { series, notes: [] };
    },
  };
}

/**
 * Datadog computes the percentiles of a distribution only where a tag configuration enables them:
 * elsewhere a `p95:` query has no data, and so has its picture. `enablers`: metric → the stack
 * that enables its percentiles (`percentileEnablers`).
 */
export function withPercentilesAsDatadog(source: SeriesSource, enablers: ReadonlyMap<string, string>): SeriesSource {
  return {
    description: source.description,
    sample: source.sample,
    timeline: source.timeline,
    series(query) {
      if (!/^p\d/.test(query.aggregator)) return source.series(query);
      const enabler = enablers.get(query.metric);
      if (enabler === undefined) {
        return {
          series: [],
          notes: [`no data: no stack enables the percentiles of ${query.metric} (datadog_metric_tag_configuration), so Datadog has none`],
        };
      }
      const drawn = source.series(query);
      return { series: drawn.series, notes: [...drawn.notes, `percentiles of ${query.metric} enabled by ${enabler}`] };
    },
  };
}
