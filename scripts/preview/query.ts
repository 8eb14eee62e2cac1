/**
 * Just enough of Datadog's metric query language to draw a query: which metric, which space
 * aggregation (avg, sum, min, max, count, pNN), which scope and which group-by tags. Functions
 * around the query (anomalies(), outliers(), .rollup(), …) are kept as text, not evaluated.
 */
export interface MetricQuery {
  readonly text: string;
  /** avg, sum, min, max, count, or a percentile such as p95. */
  readonly aggregator: string;
  readonly metric: string;
  /** Scope terms ANDed together, e.g. ["env:prod", "!host:a"]; empty for `*`. */
  readonly scope: readonly string[];
  readonly groupBy: readonly string[];
  /** The function wrapping the query, e.g. "anomalies", when there is one. */
  readonly wrappedIn?: string;
}

const METRIC_QUERY = /(?:\b(avg|sum|min|max|count|p\d{1,2}(?:\.\d+)?):)?([A-Za-z][A-Za-z0-9_.]*)\{([^}]*)\}(?:\s*by\s*\{([^}]*)\})?/;
const WRAPPER = /^\s*([a-z_]+)\(/;

function terms(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((term) => term.trim())
    .filter((term) => term !== '' && term !== '*');
}

/** The first metric query in an expression, or undefined when there is none (e.g. a formula). */
export function parseMetricQuery(text: string): MetricQuery | undefined {
  const match = METRIC_QUERY.exec(text);
  if (!match) return undefined;
  const wrapper = WRAPPER.exec(text)?.[1];
  return {
    text,
    aggregator: match[1] ?? 'avg',
    metric: match[2],
    scope: terms(match[3]),
    groupBy: terms(match[4]),
    ...(wrapper ? { wrappedIn: wrapper } : {}),
  };
}

export type Comparator = '>' | '>=' | '<' | '<=' | '==';

/** A metric monitor's query, e.g. `avg(last_5m):avg:algorithmia.duration_milliseconds{*} > 10000`. */
export interface MonitorQuery {
  readonly timeAggregation: string;
  readonly window: string;
  readonly expression: string;
  readonly comparator: Comparator;
  readonly threshold: number;
  readonly metricQuery?: MetricQuery;
}

const MONITOR_QUERY = /^\s*([a-z_]+)\(([a-z0-9_]+)\):(.*?)\s*(>=|<=|==|>|<)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/is;

export function parseMonitorQuery(text: string): MonitorQuery | undefined {
  const match = MONITOR_QUERY.exec(text);
  if (!match) return undefined;
  const metricQuery = parseMetricQuery(match[3]);
  return {
    timeAggregation: match[1],
    window: match[2],
    expression: match[3].trim(),
    comparator: match[4] as Comparator,
    threshold: Number(match[5]),
    ...(metricQuery ? { metricQuery } : {}),
  };
}

/**
 * Replaces template variables (`$algorithm` in a scope, `$algorithm.value`) by their defaults, as
 * Datadog does when the dashboard opens: a variable whose default is `*` drops out of the scope.
 */
export function applyTemplateVariables(text: string, defaults: ReadonlyMap<string, string>): string {
  return text.replace(/\{([^}]*)\}/g, (whole, scope: string) => {
    if (!scope.includes('$')) return whole;
    const replaced = scope
      .split(',')
      .map((term) => {
        const name = /^\s*\$([A-Za-z0-9_-]+)(?:\.value)?\s*$/.exec(term)?.[1];
        if (name === undefined) return term.trim();
        return defaults.get(name) ?? '*';
      })
      .filter((term) => term !== '*' && term !== '');
    return `{${replaced.length > 0 ? replaced.join(',') : '*'}}`;
  });
}

/** Whether a value is past a monitor threshold, read with the query's comparator. */
export function breaches(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    default:
      return value === threshold;
  }
}

export type MonitorStatus = 'ALERT' | 'WARN' | 'OK';

/** What a threshold monitor says of a value: past critical, past warning, or neither. */
export function monitorStatus(value: number, comparator: Comparator, critical: number, warning?: number): MonitorStatus {
  if (breaches(value, comparator, critical)) return 'ALERT';
  if (warning !== undefined && breaches(value, comparator, warning)) return 'WARN';
  return 'OK';
}

/** Whether `value` lies further than `other` in the direction the comparator alerts (higher for `>`). */
export function furtherPast(value: number, other: number, comparator: Comparator): boolean {
  return comparator.startsWith('<') ? value < other : value > other;
}
