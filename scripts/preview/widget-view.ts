import type { DashboardModel, MonitorModel, Threshold, WidgetModel } from './model';
import { furtherPast, monitorStatus, type MonitorStatus } from './query';
import { reduce, type Series, type SeriesSource } from './series';
import { sloView, type SloView } from './slo-view';

/**
 * What the page draws for each widget, computed here so that the browser only draws: series for
 * charts, a value and status for single values, rows for tables, threshold lines for alerts.
 */
export type WidgetChange = 'added' | 'changed' | 'removed';
export type Display = 'chart' | 'value' | 'table' | 'bars' | 'note' | 'group' | 'slo' | 'unsupported';

export interface WidgetView {
  readonly key: string;
  readonly kind: string;
  readonly title: string;
  readonly display: Display;
  readonly queries: readonly string[];
  readonly series: readonly Series[];
  readonly thresholds: readonly Threshold[];
  readonly value?: number | null;
  readonly status?: MonitorStatus | 'NO DATA';
  /** The group an alert value shows (the worst), for a monitor with `by {…}`. */
  readonly group?: string;
  /** A table's or toplist's columns: one per query. */
  readonly columns?: readonly string[];
  /** A table's group-by tag keys, each a column before the queries' (`algorithm_name`). */
  readonly groupColumns?: readonly string[];
  readonly rows?: readonly TableRow[];
  readonly text?: string;
  readonly monitor?: { readonly name: string; readonly query: string };
  /** An SLO widget's tile: its SLO's targets, condition and good slices. */
  readonly slo?: SloView;
  readonly notes: readonly string[];
  readonly change?: WidgetChange;
  readonly layout?: WidgetModel['layout'];
  readonly children?: readonly WidgetView[];
}

export interface TableRow {
  /** The group's tags joined, or the query's label for a query without `by {…}`. */
  readonly group: string;
  /** The group's value for each of `groupColumns` (null where the row has no such tag). */
  readonly tags: readonly (string | null)[];
  readonly cells: readonly (number | null)[];
}

export interface DashboardView extends Omit<DashboardModel, 'widgets'> {
  readonly data: { readonly description: string; readonly sample: boolean };
  readonly labels: readonly string[];
  readonly widgets: readonly WidgetView[];
}

const DISPLAY: Record<string, Display> = {
  timeseries: 'chart',
  alert_graph: 'chart',
  query_value: 'value',
  alert_value: 'value',
  query_table: 'table',
  toplist: 'bars',
  note: 'note',
  group: 'group',
  service_level_objective: 'slo',
};

function windowSeconds(window: string): number {
  const match = /^last_(\d+)([smhdw])$/.exec(window);
  if (!match) return 300;
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[match[2] as 's' | 'm' | 'h' | 'd' | 'w'];
}

const SEVERITY: Record<MonitorStatus, number> = { ALERT: 2, WARN: 1, OK: 0 };

/**
 * What the monitor would say now, as Datadog's alert value shows it: over its last window, for
 * each group of a multi-alert monitor, the worst group (the furthest past its threshold among
 * equals).
 */
function monitorValue(
  monitor: MonitorModel,
  series: readonly Series[],
  source: SeriesSource,
): Pick<WidgetView, 'value' | 'status' | 'group'> {
  const parsed = monitor.parsed;
  if (!parsed) return { value: null, status: 'NO DATA' };
  const { starts, stepSeconds } = source.timeline;
  const from = Math.min(starts[starts.length - 1] + stepSeconds - windowSeconds(parsed.window), starts[starts.length - 1]);
  const critical = monitor.thresholds.find((threshold) => threshold.name === 'critical')?.value ?? parsed.threshold;
  const warning = monitor.thresholds.find((threshold) => threshold.name === 'warning')?.value;
  let worst: { value: number; status: MonitorStatus; group?: string } | undefined;
  for (const item of series) {
    const value = reduce(
      item.values.filter((point, index): point is number => point !== null && starts[index] >= from),
      parsed.timeAggregation,
    );
    if (value === null) continue;
    const status = monitorStatus(value, parsed.comparator, critical, warning);
    const rank = SEVERITY[status] - (worst ? SEVERITY[worst.status] : -1);
    if (rank > 0 || (rank === 0 && furtherPast(value, worst!.value, parsed.comparator)))
      worst = { value, status, ...(item.group ? { group: item.group.join(',') } : {}) };
  }
  return worst ?? { value: null, status: 'NO DATA' };
}

function widgetView(widget: WidgetModel, source: SeriesSource, changes: ReadonlyMap<string, WidgetChange>): WidgetView {
  const notes: string[] = [];
  const slo = widget.slo ? sloView(widget.slo, source) : undefined;
  if (slo) notes.push(...slo.notes);
  if (widget.unresolvedSloId) notes.push(`SLO ${widget.unresolvedSloId} is not declared in this stack: no targets or status`);
  const display =
    widget.kind === 'service_level_objective' && !slo
      ? 'unsupported'
      : (DISPLAY[widget.kind] ?? (widget.queries.length > 0 ? 'chart' : 'unsupported'));
  const perQuery = widget.queries.map((query) => {
    if (!query.metricQuery) {
      notes.push(`not a metric query, not drawn: ${query.text}`);
      return { query, series: [] as Series[] };
    }
    const drawn = source.series(query.metricQuery);
    notes.push(...drawn.notes);
    // The legend: the query's label (a formula alias or the query), its group's tags when it has
    // groups, the group alone when the widget has only this query.
    const series = drawn.series.map((item) => ({
      ...item,
      label: !item.group ? query.label : widget.queries.length === 1 ? item.group.join(',') : `${query.label} · ${item.group.join(',')}`,
    }));
    return { query, series };
  });
  const series = perQuery.flatMap((entry) => entry.series);
  if (widget.unresolvedAlertId) notes.push(`monitor ${widget.unresolvedAlertId} is not declared in this stack: no thresholds or series`);
  if (widget.monitor?.parsed && widget.monitor.thresholds.length === 0) {
    notes.push(`thresholds apply to ${widget.monitor.parsed.expression.split('(')[0]}(), not to the metric: see the monitor query`);
  }
  const view: WidgetView = {
    key: widget.key,
    kind: widget.kind,
    title: widget.title,
    display,
    queries: widget.monitor ? [widget.monitor.query] : widget.queries.map((query) => query.text),
    series,
    thresholds: widget.monitor?.thresholds ?? [],
    notes: [...new Set(notes)],
    ...(widget.monitor ? { monitor: { name: widget.monitor.name, query: widget.monitor.query } } : {}),
    ...(slo ? { slo: slo.slo } : {}),
    ...(widget.text !== undefined ? { text: widget.text } : {}),
    ...(changes.get(widget.key) ? { change: changes.get(widget.key) } : {}),
    ...(widget.layout ? { layout: widget.layout } : {}),
    ...(widget.children ? { children: widget.children.map((child) => widgetView(child, source, changes)) } : {}),
  };
  if (widget.kind === 'alert_value' && widget.monitor) return { ...view, ...monitorValue(widget.monitor, series, source) };
  if (display === 'value') {
    const first = perQuery[0];
    const values = (first?.series[0]?.values ?? []).filter((value): value is number => value !== null);
    return { ...view, value: first ? reduce(values, first.query.reducer) : null };
  }
  if (display === 'table' || display === 'bars') return { ...view, ...tableOf(perQuery) };
  return view;
}

/** One row per group (per query for a query without groups), one column per group-by tag and per query. */
function tableOf(
  perQuery: readonly { query: WidgetModel['queries'][number]; series: readonly Series[] }[],
): Pick<WidgetView, 'columns' | 'groupColumns' | 'rows'> {
  const groupColumns = [...new Set(perQuery.flatMap((entry) => entry.query.metricQuery?.groupBy ?? []))];
  const rows = new Map<string, { tags: (string | null)[]; cells: (number | null)[] }>();
  perQuery.forEach((entry, column) => {
    for (const item of entry.series) {
      const group = item.group?.join(',') ?? entry.query.label;
      const row = rows.get(group) ?? {
        tags: groupColumns.map((key) => item.group?.find((tag) => tag.startsWith(`${key}:`))?.slice(key.length + 1) ?? null),
        cells: perQuery.map(() => null),
      };
      row.cells[column] = reduce(
        item.values.filter((value): value is number => value !== null),
        entry.query.reducer,
      );
      rows.set(group, row);
    }
  });
  return {
    columns: perQuery.map((entry) => entry.query.label),
    groupColumns,
    rows: [...rows.entries()].map(([group, row]) => ({ group, ...row })),
  };
}

export function dashboardView(
  dashboard: DashboardModel,
  source: SeriesSource,
  changes: ReadonlyMap<string, WidgetChange> = new Map(),
): DashboardView {
  return {
    stack: dashboard.stack,
    resource: dashboard.resource,
    title: dashboard.title,
    ...(dashboard.description ? { description: dashboard.description } : {}),
    layoutType: dashboard.layoutType,
    templateVariables: dashboard.templateVariables,
    data: { description: source.description, sample: source.sample },
    labels: source.timeline.labels,
    widgets: dashboard.widgets.map((widget) => widgetView(widget, source, changes)),
  };
}
