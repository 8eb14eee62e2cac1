/**
 * Datadog metric query strings. The dashboard and the monitors build their queries here so that
 * a widget and the monitor beside it always look at the same series.
 */

/** How values from several sources are combined at each point. */
export type SpaceAggregation = 'avg' | 'sum' | 'min' | 'max';
/** How a monitor reduces its evaluation window to one value. */
export type TimeAggregation = 'avg' | 'sum' | 'min' | 'max';

export const DEFAULT_SCOPE = '*';

/** `avg:algorithmia.duration_milliseconds{*}` */
export function metricQuery(metricName: string, scope: string = DEFAULT_SCOPE, spaceAggregation: SpaceAggregation = 'avg'): string {
  return `${spaceAggregation}:${metricName}{${scope}}`;
}

/** `Avg of algorithmia.duration_milliseconds over *`, the title Datadog gives such a graph. */
export function metricQueryTitle(metricName: string, scope: string = DEFAULT_SCOPE, spaceAggregation: SpaceAggregation = 'avg'): string {
  const aggregation = spaceAggregation.charAt(0).toUpperCase() + spaceAggregation.slice(1);
  return `${aggregation} of ${metricName} over ${scope}`;
}

/**
 * A threshold as Datadog writes it in a query and in `monitor_thresholds` (strings in the
 * bindings). One formatter for both is what keeps them equal.
 */
export function formatThreshold(value: number): string {
  return String(value);
}

/** `avg(last_5m):avg:algorithmia.duration_milliseconds{*} > 10000` */
export function monitorQuery(options: {
  readonly metricName: string;
  readonly scope: string;
  readonly spaceAggregation: SpaceAggregation;
  readonly timeAggregation: TimeAggregation;
  readonly window: string;
  readonly comparator: string;
  readonly critical: number;
}): string {
  const series = metricQuery(options.metricName, options.scope, options.spaceAggregation);
  return `${options.timeAggregation}(${options.window}):${series} ${options.comparator} ${formatThreshold(options.critical)}`;
}

/** Percentile aggregations; Datadog computes them only for distribution metrics. */
export type Percentile = 'p50' | 'p75' | 'p90' | 'p95' | 'p99';
export const PERCENTILES: readonly Percentile[] = ['p50', 'p75', 'p90', 'p95', 'p99'];

/**
 * `avg:algorithmia.risk_score{env:prod} by {algorithm_name,algorithm_version}`: one series per
 * group, which makes a monitor a multi-alert (one alert per algorithm) and a table one row per group.
 */
export function groupedSeriesQuery(
  metricName: string,
  scope: string,
  aggregation: SpaceAggregation | Percentile,
  groupBy: readonly string[] = [],
): string {
  const series = `${aggregation}:${metricName}{${scope}}`;
  return groupBy.length === 0 ? series : `${series} by {${groupBy.join(',')}}`;
}

/** Seconds in an evaluation window such as `last_30m`; undefined when it is not one. */
export function windowSeconds(window: string): number | undefined {
  const match = /^last_([1-9][0-9]*)([mhdw])$/.exec(window);
  if (!match) return undefined;
  const unit = { m: 60, h: 3600, d: 86_400, w: 604_800 }[match[2] as 'm' | 'h' | 'd' | 'w'];
  return Number(match[1]) * unit;
}

/**
 * `sum:algorithmia.executions{env:prod} by {algorithm_name}.as_count()`: a count's points summed as
 * sent (not turned into a rate), so that a window's sum is the number of events in it.
 */
export function countSeriesQuery(metricName: string, scope: string, groupBy: readonly string[] = []): string {
  return `${groupedSeriesQuery(metricName, scope, 'sum', groupBy)}.as_count()`;
}
