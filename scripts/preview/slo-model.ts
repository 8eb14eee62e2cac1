import { isObject, type Json, type JsonObject, type StackJson } from '../plan-summary/synth-output';
import { parseMetricQuery, type Comparator, type MetricQuery } from './query';

/**
 * What a `datadog_service_level_objective` of a synthesized stack declares, in the terms an SLO
 * widget's picture needs: its targets per timeframe and, for a time-slice SLO, the condition a
 * slice must meet. The widget names its SLO by `${datadog_service_level_objective.X.id}` (the id
 * exists only after apply), so the picture reads `X` of the same stack.
 */
export interface SloObjectiveModel {
  /** `7d`, `30d` or `90d`. */
  readonly timeframe: string;
  /** Percentage of good slices (or events), e.g. 99.5. */
  readonly target: number;
  readonly warning?: number;
}

/** A time-slice SLO's condition: a slice is good when `query comparator threshold`. */
export interface TimeSliceModel {
  /** The metric query as declared, e.g. `avg:algorithmia.duration_milliseconds{env:staging}`. */
  readonly query: string;
  /** Undefined when the query is no single metric query the preview can draw (a formula over several). */
  readonly metricQuery?: MetricQuery;
  readonly comparator: Comparator;
  readonly threshold: number;
  /** 60 or 300. */
  readonly sliceSeconds: number;
}

export interface SloModel {
  /** The Terraform name, e.g. algorithmia_slo_duration_milliseconds. */
  readonly resource: string;
  readonly name: string;
  /** `time_slice`, `metric` or `monitor`. */
  readonly type: string;
  readonly objectives: readonly SloObjectiveModel[];
  /** Only for `time_slice`: the other types count events or monitor uptime, which the preview does not compute. */
  readonly timeSlice?: TimeSliceModel;
}

/** An SLO widget's settings, with its SLO resolved. */
export interface SloWidgetModel {
  readonly slo: SloModel;
  /** The timeframes the widget shows, e.g. `['30d', '7d']`. */
  readonly timeWindows: readonly string[];
  readonly showErrorBudget: boolean;
}

export const SLO_REFERENCE = /^\$\{datadog_service_level_objective\.([A-Za-z0-9_-]+)\.id\}$/;
const COMPARATORS: readonly string[] = ['>', '>=', '<', '<=', '=='];

function asArray(value: Json | undefined): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function objectives(slo: JsonObject): SloObjectiveModel[] {
  const declared = asArray(slo.thresholds)
    .filter(isObject)
    .filter((item) => typeof item.timeframe === 'string' && Number.isFinite(Number(item.target)))
    .map((item) => ({
      timeframe: item.timeframe as string,
      target: Number(item.target),
      ...(item.warning !== undefined && Number.isFinite(Number(item.warning)) ? { warning: Number(item.warning) } : {}),
    }));
  if (declared.length > 0) return declared;
  // The older single-target form: timeframe + target_threshold (+ warning_threshold).
  if (typeof slo.timeframe === 'string' && Number.isFinite(Number(slo.target_threshold))) {
    const warning = slo.warning_threshold !== undefined ? Number(slo.warning_threshold) : undefined;
    return [
      {
        timeframe: slo.timeframe,
        target: Number(slo.target_threshold),
        ...(warning !== undefined && Number.isFinite(warning) ? { warning } : {}),
      },
    ];
  }
  return [];
}

function timeSlice(slo: JsonObject): TimeSliceModel | undefined {
  const specification = isObject(slo.sli_specification) ? slo.sli_specification : undefined;
  const slice = specification && isObject(specification.time_slice) ? specification.time_slice : undefined;
  if (!slice || typeof slice.comparator !== 'string' || !COMPARATORS.includes(slice.comparator)) return undefined;
  const threshold = Number(slice.threshold);
  if (!Number.isFinite(threshold)) return undefined;
  const query = isObject(slice.query) ? slice.query : {};
  const queries = asArray(query.query)
    .filter(isObject)
    .map((block) => (isObject(block.metric_query) ? block.metric_query : undefined))
    .filter((block): block is JsonObject => block !== undefined && typeof block.query === 'string');
  const formula = isObject(query.formula) && typeof query.formula.formula_expression === 'string' ? query.formula.formula_expression : '';
  // One query whose formula is just its name: the slices are that query's values. Anything else
  // (`query1 / query2`) is arithmetic the preview does not evaluate: shown, not computed.
  const single = queries.length === 1 && (formula === '' || formula.trim() === queries[0].name) ? queries[0] : undefined;
  const text = single !== undefined ? (single.query as string) : formula || queries.map((block) => block.query as string).join(', ');
  const metricQuery = single ? parseMetricQuery(single.query as string) : undefined;
  const sliceSeconds = Number(slice.query_interval_seconds ?? 300);
  return {
    query: text,
    ...(metricQuery ? { metricQuery } : {}),
    comparator: slice.comparator as Comparator,
    threshold,
    sliceSeconds: Number.isFinite(sliceSeconds) && sliceSeconds > 0 ? sliceSeconds : 300,
  };
}

/** Every `datadog_service_level_objective` of one synthesized stack, by Terraform name. */
export function slosOf(json: StackJson): Record<string, SloModel> {
  const resources = isObject(json.resource) ? json.resource : {};
  const declared = isObject(resources.datadog_service_level_objective) ? resources.datadog_service_level_objective : {};
  const slos: Record<string, SloModel> = {};
  for (const [resource, slo] of Object.entries(declared)) {
    if (!isObject(slo)) continue;
    const type = typeof slo.type === 'string' ? slo.type : 'metric';
    const slice = type === 'time_slice' ? timeSlice(slo) : undefined;
    slos[resource] = {
      resource,
      name: typeof slo.name === 'string' ? slo.name : resource,
      type,
      objectives: objectives(slo),
      ...(slice ? { timeSlice: slice } : {}),
    };
  }
  return slos;
}

/**
 * The SLO a `service_level_objective_definition` shows, or the slo_id it could not resolve (an id
 * pasted by hand, or a resource of another stack).
 */
export function sloWidgetModel(
  definition: JsonObject,
  slos: Readonly<Record<string, SloModel>>,
): { slo: SloWidgetModel } | { unresolvedSloId: string } | undefined {
  const sloId = typeof definition.slo_id === 'string' ? definition.slo_id : undefined;
  if (sloId === undefined) return undefined;
  const name = SLO_REFERENCE.exec(sloId)?.[1];
  const slo = name !== undefined ? slos[name] : undefined;
  if (!slo) return { unresolvedSloId: sloId };
  const windows = asArray(definition.time_windows).filter((item): item is string => typeof item === 'string');
  return {
    slo: {
      slo,
      // Datadog's widget shows the SLO's own timeframes when the widget names none.
      timeWindows: windows.length > 0 ? windows : slo.objectives.map((objective) => objective.timeframe),
      showErrorBudget: definition.show_error_budget !== false,
    },
  };
}
