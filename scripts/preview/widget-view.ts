import type { DashboardModel, MonitorModel, Threshold, WidgetModel } from './model';
import { breaches } from './query';
import { reduce, type Series, type SeriesSource } from './series';

/**
 * What the page draws for each widget, computed here so that the browser only draws: series for
 * charts, a value and status for single values, rows for tables, threshold lines for alerts.
 */
export type WidgetChange = 'added' | 'changed' | 'removed';
export type Display = 'chart' | 'value' | 'table' | 'bars' | 'note' | 'group' | 'unsupported';

export interface WidgetView {
  readonly key: string;
  readonly kind: string;
  readonly title: string;
  readonly display: Display;
  readonly queries: readonly string[];
  readonly series: readonly Series[];
  readonly thresholds: readonly Threshold[];
  readonly value?: number | null;
  readonly status?: 'OK' | 'WARN' | 'ALERT' | 'NO DATA';
  readonly columns?: readonly string[];
  readonly rows?: readonly { readonly group: string; readonly cells: readonly (number | null)[] }[];
  readonly text?: string;
  readonly monitor?: { readonly name: string; readonly query: string };
  readonly notes: readonly string[];
  readonly change?: WidgetChange;
  readonly layout?: WidgetModel['layout'];
  readonly children?: readonly WidgetView[];
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
};

function windowSeconds(window: string): number {
  const match = /^last_(\d+)([smhdw])$/.exec(window);
  if (!match) return 300;
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[match[2] as 's' | 'm' | 'h' | 'd' | 'w'];
}

/** What the monitor would say for the last window of a series. */
function monitorValue(monitor: MonitorModel, series: Series | undefined, source: SeriesSource): Pick<WidgetView, 'value' | 'status'> {
  const parsed = monitor.parsed;
  if (!parsed || !series) return { value: null, status: 'NO DATA' };
  const { starts, stepSeconds } = source.timeline;
  const from = starts[starts.length - 1] + stepSeconds - windowSeconds(parsed.window);
  const recent = series.values.filter(
    (value, index): value is number => value !== null && starts[index] >= Math.min(from, starts[starts.length - 1]),
  );
  const value = reduce(recent, parsed.timeAggregation);
  if (value === null) return { value: null, status: 'NO DATA' };
  const critical = monitor.thresholds.find((threshold) => threshold.name === 'critical')?.value ?? parsed.threshold;
  const warning = monitor.thresholds.find((threshold) => threshold.name === 'warning')?.value;
  if (breaches(value, parsed.comparator, critical)) return { value, status: 'ALERT' };
  if (warning !== undefined && breaches(value, parsed.comparator, warning)) return { value, status: 'WARN' };
  return { value, status: 'OK' };
}

function widgetView(widget: WidgetModel, source: SeriesSource, changes: ReadonlyMap<string, WidgetChange>): WidgetView {
  const display = DISPLAY[widget.kind] ?? (widget.queries.length > 0 ? 'chart' : 'unsupported');
  const notes: string[] = [];
  const perQuery = widget.queries.map((query) => {
    if (!query.metricQuery) {
      notes.push(`not a metric query, not drawn: ${query.text}`);
      return { query, series: [] as Series[] };
    }
    const drawn = source.series(query.metricQuery);
    notes.push(...drawn.notes);
    // One query without groups: the legend is the query's label (a formula alias or the query).
    const series = drawn.series.map((item) => ({
      ...item,
      label: drawn.series.length === 1 ? query.label : `${query.label} · ${item.label}`,
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
    ...(widget.text !== undefined ? { text: widget.text } : {}),
    ...(changes.get(widget.key) ? { change: changes.get(widget.key) } : {}),
    ...(widget.layout ? { layout: widget.layout } : {}),
    ...(widget.children ? { children: widget.children.map((child) => widgetView(child, source, changes)) } : {}),
  };
  if (widget.kind === 'alert_value' && widget.monitor) return { ...view, ...monitorValue(widget.monitor, series[0], source) };
  if (display === 'value') {
    const first = perQuery[0];
    const values = (first?.series[0]?.values ?? []).filter((value): value is number => value !== null);
    return { ...view, value: first ? reduce(values, first.query.reducer) : null };
  }
  if (display === 'table' || display === 'bars') {
    const groups = [
      ...new Set(perQuery.flatMap((entry) => entry.series.map((item) => item.label.split(' · ').slice(1).join(' · ') || item.label))),
    ];
    const rows = groups.map((group) => ({
      group,
      cells: perQuery.map((entry) => {
        const found = entry.series.find((item) => item.label === group || item.label.endsWith(` · ${group}`));
        return found
          ? reduce(
              found.values.filter((value): value is number => value !== null),
              entry.query.reducer,
            )
          : null;
      }),
    }));
    return { ...view, columns: perQuery.map((entry) => entry.query.label), rows };
  }
  return view;
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
