import { isObject, withoutMetadata, type Json, type JsonObject, type StackJson } from '../plan-summary/synth-output';
import { applyTemplateVariables, parseMetricQuery, parseMonitorQuery, type MetricQuery, type MonitorQuery } from './query';
import { slosOf, sloWidgetModel, type SloModel, type SloWidgetModel } from './slo-model';

/**
 * What a `datadog_dashboard` resource of a synthesized stack declares, in the terms a picture
 * needs: Datadog's standard widget JSON (`<kind>_definition` blocks), its queries, template
 * variables, for alert widgets the monitor they show, resolved from `${datadog_monitor.X.id}`, and
 * for SLO widgets the SLO, from `${datadog_service_level_objective.X.id}`.
 */
export interface TemplateVariable {
  readonly name: string;
  readonly prefix?: string;
  /** The values the dashboard opens with (`*` for all). */
  readonly defaults: readonly string[];
}

export interface WidgetQuery {
  /** The legend: a formula's alias, else the query text. */
  readonly label: string;
  /** As declared, template variables included. */
  readonly text: string;
  /** With template variables at their defaults; undefined when it is not a metric query. */
  readonly metricQuery?: MetricQuery;
  /** How a single value or table cell reduces the series (avg, last, sum, min, max). */
  readonly reducer: string;
}

export interface Threshold {
  readonly name: string;
  readonly value: number;
}

export interface MonitorModel {
  /** The Terraform name, e.g. algorithmia_duration_monitor. */
  readonly resource: string;
  readonly name: string;
  readonly query: string;
  readonly parsed?: MonitorQuery;
  /** Metric thresholds (critical, warning, recoveries); empty for anomaly/outlier/forecast monitors, whose thresholds are not metric values. */
  readonly thresholds: readonly Threshold[];
}

export interface WidgetModel {
  /** Position in the dashboard, e.g. "3" or, inside a group, "5.2". */
  readonly key: string;
  /** The definition block without `_definition`, e.g. timeseries, alert_graph, note, group. */
  readonly kind: string;
  readonly title: string;
  readonly queries: readonly WidgetQuery[];
  readonly monitor?: MonitorModel;
  /** An alert widget whose alert_id is not a monitor of this stack. */
  readonly unresolvedAlertId?: string;
  /** An SLO widget's SLO, resolved from its slo_id. */
  readonly slo?: SloWidgetModel;
  /** An SLO widget whose slo_id is not an SLO of this stack. */
  readonly unresolvedSloId?: string;
  readonly text?: string;
  readonly children?: readonly WidgetModel[];
  /** Free layout position (x, y, width, height in Datadog's 12-column grid units). */
  readonly layout?: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** The widget's JSON with its monitor resolved, for finding what changed between two versions. */
  readonly fingerprint: Json;
}

export interface DashboardModel {
  readonly stack: string;
  readonly resource: string;
  readonly title: string;
  readonly description?: string;
  readonly layoutType: string;
  readonly templateVariables: readonly TemplateVariable[];
  readonly widgets: readonly WidgetModel[];
}

const THRESHOLD_ORDER = ['critical', 'critical_recovery', 'warning', 'warning_recovery'];
const MONITOR_REFERENCE = /^\$\{datadog_monitor\.([A-Za-z0-9_-]+)\.id\}$/;

function asArray(value: Json | undefined): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function text(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function monitorModel(resource: string, monitor: JsonObject): MonitorModel {
  const query = text(monitor.query) ?? '';
  const parsed = parseMonitorQuery(query);
  const declared = isObject(monitor.monitor_thresholds) ? monitor.monitor_thresholds : {};
  // An anomalies()/outliers()/forecast() monitor compares a score or a bound, not the metric.
  const onMetric = parsed !== undefined && parsed.metricQuery !== undefined && parsed.metricQuery.wrappedIn === undefined;
  const thresholds = onMetric
    ? THRESHOLD_ORDER.filter((name) => declared[name] !== undefined && Number.isFinite(Number(declared[name]))).map((name) => ({
        name,
        value: Number(declared[name]),
      }))
    : [];
  if (onMetric && thresholds.length === 0) thresholds.push({ name: 'critical', value: parsed.threshold });
  return { resource, name: text(monitor.name) ?? resource, query, ...(parsed ? { parsed } : {}), thresholds };
}

function templateVariables(dashboard: JsonObject): TemplateVariable[] {
  return asArray(dashboard.template_variable)
    .filter(isObject)
    .map((variable) => {
      const defaults = asArray(variable.defaults)
        .map(text)
        .filter((item): item is string => item !== undefined);
      const single = text(variable.default);
      return {
        name: text(variable.name) ?? '',
        ...(text(variable.prefix) ? { prefix: text(variable.prefix) } : {}),
        defaults: defaults.length > 0 ? defaults : [single ?? '*'],
      };
    });
}

/** `$name` → the scope term it stands for at the dashboard's defaults (`*` drops out). */
function defaultTerms(variables: readonly TemplateVariable[]): Map<string, string> {
  const terms = new Map<string, string>();
  for (const variable of variables) {
    const value = variable.defaults[0] ?? '*';
    terms.set(variable.name, value === '*' ? '*' : variable.prefix ? `${variable.prefix}:${value}` : value);
  }
  return terms;
}

function widgetQueries(definition: JsonObject, defaults: ReadonlyMap<string, string>): WidgetQuery[] {
  const queries: WidgetQuery[] = [];
  const add = (query: string, label: string, reducer: string) => {
    const metricQuery = parseMetricQuery(applyTemplateVariables(query, defaults));
    queries.push({ label, text: query, reducer, ...(metricQuery ? { metricQuery } : {}) });
  };
  for (const request of asArray(definition.request).filter(isObject)) {
    const reducer = text(request.aggregator) ?? 'avg';
    const q = text(request.q);
    if (q) add(q, text(request.alias) ?? q, reducer);
    // The formulas-and-functions form: query { metric_query { name, query } } + formula { formula_expression, alias }.
    const formulas = asArray(request.formula).filter(isObject);
    for (const block of asArray(request.query).filter(isObject)) {
      const metric = isObject(block.metric_query) ? block.metric_query : undefined;
      const query = text(metric?.query);
      if (!metric || !query) continue;
      const name = text(metric.name);
      const alias = formulas.find((formula) => text(formula.formula_expression) === name)?.alias;
      add(query, text(alias) ?? query, text(metric.aggregator) ?? reducer);
    }
  }
  return queries;
}

/** What the stack declares that widgets name by Terraform reference. */
interface StackReferences {
  readonly monitors: Record<string, MonitorModel>;
  readonly slos: Record<string, SloModel>;
}

function widgetModel(
  widget: JsonObject,
  key: string,
  references: StackReferences,
  defaults: ReadonlyMap<string, string>,
): WidgetModel | undefined {
  const definitionKey = Object.keys(widget).find((name) => name.endsWith('_definition') && isObject(widget[name]));
  if (!definitionKey) return undefined;
  const definition = widget[definitionKey] as JsonObject;
  const kind = definitionKey.slice(0, -'_definition'.length);
  const alertId = text(definition.alert_id);
  const monitorName = alertId ? MONITOR_REFERENCE.exec(alertId)?.[1] : undefined;
  const monitor = monitorName ? references.monitors[monitorName] : undefined;
  const slo = kind === 'service_level_objective' ? sloWidgetModel(definition, references.slos) : undefined;
  const queries = widgetQueries(definition, defaults);
  if (monitor?.parsed?.metricQuery) {
    const inner = parseMetricQuery(applyTemplateVariables(monitor.parsed.expression, defaults));
    queries.push({
      label: monitor.parsed.expression,
      text: monitor.parsed.expression,
      reducer: monitor.parsed.timeAggregation,
      ...(inner ? { metricQuery: inner } : {}),
    });
  }
  const children =
    kind === 'group'
      ? asArray(definition.widget)
          .filter(isObject)
          .map((child, index) => widgetModel(child, `${key}.${index + 1}`, references, defaults))
          .filter((child): child is WidgetModel => child !== undefined)
      : undefined;
  const layout = isObject(widget.widget_layout) ? widget.widget_layout : undefined;
  // With what the widget shows resolved: a changed threshold or SLO target changes the widget.
  const fingerprint = withoutMetadata(
    monitor
      ? { ...widget, monitor: { name: monitor.name, query: monitor.query, thresholds: monitor.thresholds as unknown as Json } }
      : slo && 'slo' in slo
        ? { ...widget, slo: slo.slo.slo as unknown as Json }
        : widget,
  );
  return {
    key,
    kind,
    title: text(definition.title) ?? (kind === 'note' ? 'Note' : kind.replace(/_/g, ' ')),
    queries,
    ...(monitor ? { monitor } : alertId ? { unresolvedAlertId: alertId } : {}),
    ...(slo ?? {}),
    ...(kind === 'note' ? { text: text(definition.content) ?? '' } : {}),
    ...(children ? { children } : {}),
    ...(layout ? { layout: { x: Number(layout.x), y: Number(layout.y), width: Number(layout.width), height: Number(layout.height) } } : {}),
    fingerprint,
  };
}

/** Every `datadog_monitor` of one synthesized stack, by Terraform name. */
export function monitorsOf(json: StackJson): Record<string, MonitorModel> {
  const resources = isObject(json.resource) ? json.resource : {};
  const declared = isObject(resources.datadog_monitor) ? resources.datadog_monitor : {};
  const monitors: Record<string, MonitorModel> = {};
  for (const [name, monitor] of Object.entries(declared)) if (isObject(monitor)) monitors[name] = monitorModel(name, monitor);
  return monitors;
}

/**
 * Metric → its unit, from the metric metadata of every stack of a synth output: one stack of an
 * organisation manages the metadata, and the others' dashboards show the same metrics.
 */
export function metricUnits(stacks: Iterable<StackJson>): Map<string, string> {
  const units = new Map<string, string>();
  for (const json of stacks) {
    const resources = isObject(json.resource) ? json.resource : {};
    const metadata = isObject(resources.datadog_metric_metadata) ? resources.datadog_metric_metadata : {};
    for (const entry of Object.values(metadata)) {
      if (isObject(entry) && typeof entry.metric === 'string' && typeof entry.unit === 'string') units.set(entry.metric, entry.unit);
    }
  }
  return units;
}

/**
 * Metric → the stack that enables its percentiles (`datadog_metric_tag_configuration` with
 * `include_percentiles`), in every stack of a synth output: one stack of an organisation does it
 * for all of them.
 */
export function percentileEnablers(stacks: ReadonlyMap<string, StackJson>): Map<string, string> {
  const enablers = new Map<string, string>();
  for (const [stack, json] of stacks) {
    const resources = isObject(json.resource) ? json.resource : {};
    const configurations = isObject(resources.datadog_metric_tag_configuration) ? resources.datadog_metric_tag_configuration : {};
    for (const entry of Object.values(configurations)) {
      if (isObject(entry) && typeof entry.metric_name === 'string' && entry.include_percentiles === true)
        enablers.set(entry.metric_name, stack);
    }
  }
  return enablers;
}

/** Every dashboard of one synthesized stack, in the order of their Terraform names. */
export function dashboardsOf(stack: string, json: StackJson): DashboardModel[] {
  const resources = isObject(json.resource) ? json.resource : {};
  const references = { monitors: monitorsOf(json), slos: slosOf(json) };
  const dashboards = isObject(resources.datadog_dashboard) ? resources.datadog_dashboard : {};
  return Object.keys(dashboards)
    .sort()
    .filter((name) => isObject(dashboards[name]))
    .map((name) => {
      const dashboard = dashboards[name] as JsonObject;
      const variables = templateVariables(dashboard);
      const defaults = defaultTerms(variables);
      const widgets = asArray(dashboard.widget)
        .filter(isObject)
        .map((widget, index) => widgetModel(widget, String(index + 1), references, defaults))
        .filter((widget): widget is WidgetModel => widget !== undefined);
      return {
        stack,
        resource: name,
        title: text(dashboard.title) ?? name,
        ...(text(dashboard.description) ? { description: text(dashboard.description) } : {}),
        layoutType: text(dashboard.layout_type) ?? 'ordered',
        templateVariables: variables,
        widgets,
      };
    });
}
