/**
 * What the Datadog Terraform provider 3.82 sends for a synthesized `datadog_service_level_objective`
 * and for the dashboard's SLO widgets, and what Datadog's published models (`@datadog/datadog-api-client`,
 * through the test bed's modelObjectProblems) find wrong in it. The monitor and metadata mappings
 * are in terraform-to-api.ts; this file shares their rules (GetOk, blocks, `unmapped`).
 *
 * `datadog_service_level_objective`: buildServiceLevelObjectiveStructs and buildSLOTimeSliceQueryStruct
 * (datadog/resource_datadog_service_level_objective.go), the request of POST /api/v1/slo
 * (ServiceLevelObjectiveRequest), field by field:
 * - name and type always; description only when set and not "" (GetOk);
 * - type `time_slice`: `sli_specification.time_slice` becomes `sli_specification.time_slice` with
 *   `query` {formulas: [{formula: <formula_expression>}], queries: [{data_source, name, query} of
 *   each `query.metric_query`]}, then comparator, threshold (always, a float), and
 *   query_interval_seconds (schema default 300; sent unless 0). A query element without a
 *   metric_query is skipped. data_source (default "metrics") goes through
 *   NewFormulaAndFunctionMetricDataSourceFromValue: the provider would crash on another value, the
 *   model refuses it here. No sli_specification: the provider errors ("sli_specification is
 *   required for time slice SLOs"). Other SLO types (metric `query`, monitor `monitor_ids`/`groups`)
 *   are not mapped: the constructs make none, and their attributes fail as unmapped;
 * - tags: a TypeSet, sent in set order (sorted here, order means nothing to Datadog);
 * - thresholds: each {timeframe, target, warning}, each only when set and non-zero (GetOk, so a
 *   target of 0 is not sent and the model finds it missing). target_display and warning_display are
 *   Computed (Datadog's answer): never sent, and Terraform refuses them in a configuration;
 * - timeframe, target_threshold, warning_threshold: only when set in the configuration and non-zero.
 *
 * Dashboard SLO widget: buildDatadogServiceLevelObjectiveDefinition (datadog/resource_datadog_dashboard.go):
 * NewSLOWidgetDefinitionWithDefaults (type "slo", view_type "detail"), then title, title_size,
 * title_align, view_type, slo_id, view_mode, global_time_target (and, in the 3.82 schema,
 * additional_query_filters) when not ""; time_windows when not empty; show_error_budget always (the
 * definition is read as a map, where an unset boolean is false).
 *
 * Terraform resolves `${datadog_service_level_objective.<name>.id}` before the provider runs: the
 * contract test replaces it with a realistic SLO id (32 hexadecimal characters, withSloIds) first.
 */
import { createHash } from 'node:crypto';
import { modelObjectProblems } from '@algorithmia-datadog/testbed';
import { block, isSet, unmapped, type TerraformResource } from './terraform-to-api';

type Json = Record<string, any>;

const SLO_REFERENCE = /\$\{datadog_service_level_objective\.([A-Za-z0-9_-]+)\.id\}/g;

/** The id Datadog would give the SLO resource `name`: 32 hexadecimal characters, stable per name. */
export function sloIdFor(name: string): string {
  return createHash('md5').update(name).digest('hex');
}

/**
 * `value` with every `${datadog_service_level_objective.<name>.id}` of an SLO in `sloNames`
 * replaced by its id (sloIdFor); a reference to an SLO not in the stack stays, so that the checks
 * report it unresolved.
 */
export function withSloIds<T>(value: T, sloNames: ReadonlySet<string>): T {
  if (typeof value === 'string') {
    return value.replace(SLO_REFERENCE, (reference, name: string) => (sloNames.has(name) ? sloIdFor(name) : reference)) as T;
  }
  if (Array.isArray(value)) return value.map((item) => withSloIds(item, sloNames)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withSloIds(item, sloNames)])) as T;
  }
  return value;
}

/** A block list as cdktf writes it: a list, or an object for a block of MaxItems 1. */
function blocks(value: Json | Json[] | undefined): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

const SLO_ATTRIBUTES = new Set([
  'name',
  'type',
  'description',
  'tags',
  'thresholds',
  'timeframe',
  'target_threshold',
  'warning_threshold',
  'sli_specification',
]);
const THRESHOLD_ATTRIBUTES = new Set(['timeframe', 'target', 'warning']);
/** Nested blocks of sli_specification and the attributes this mapping knows in each. */
const SLI_ATTRIBUTES: Record<string, ReadonlySet<string>> = {
  sli_specification: new Set(['time_slice']),
  time_slice: new Set(['comparator', 'threshold', 'query_interval_seconds', 'query']),
  query: new Set(['formula', 'query']),
  formula: new Set(['formula_expression']),
  query_element: new Set(['metric_query']),
  metric_query: new Set(['data_source', 'name', 'query']),
};

/** Fields of the nested blocks the mapping does not know, as paths. */
function unmappedSli(spec: Json | undefined): string[] {
  const found: string[] = [];
  const check = (value: Json | undefined, kind: string, path: string): void => {
    if (value === undefined) return;
    for (const key of Object.keys(value)) if (!SLI_ATTRIBUTES[kind].has(key)) found.push(`${path}.${key}`);
  };
  check(spec, 'sli_specification', 'sli_specification');
  const timeSlice = block(spec?.time_slice);
  check(timeSlice, 'time_slice', 'sli_specification.time_slice');
  const query = block(timeSlice?.query);
  check(query, 'query', 'sli_specification.time_slice.query');
  blocks(query?.formula).forEach((formula, i) => check(formula, 'formula', `sli_specification.time_slice.query.formula[${i}]`));
  blocks(query?.query).forEach((element, i) => {
    const path = `sli_specification.time_slice.query.query[${i}]`;
    check(element, 'query_element', path);
    check(block(element.metric_query), 'metric_query', `${path}.metric_query`);
  });
  return found;
}

/** The `time_slice` condition the provider builds (buildSLOTimeSliceQueryStruct and the time_slice case). */
function timeSliceCondition(timeSlice: Json): Json {
  const query = block(timeSlice.query);
  const condition: Json = {
    query: {
      formulas: blocks(query?.formula)
        .filter((formula) => typeof formula.formula_expression === 'string')
        .map((formula) => ({ formula: formula.formula_expression })),
      queries: blocks(query?.query)
        .map((element) => block(element.metric_query))
        .filter((metricQuery): metricQuery is Json => metricQuery !== undefined)
        .map((metricQuery) => ({ data_source: metricQuery.data_source ?? 'metrics', name: metricQuery.name, query: metricQuery.query })),
    },
    comparator: timeSlice.comparator,
    threshold: timeSlice.threshold,
  };
  const interval = timeSlice.query_interval_seconds ?? 300;
  if (interval !== 0) condition.query_interval_seconds = interval;
  return condition;
}

/** The body of POST /api/v1/slo the provider builds from a `datadog_service_level_objective`. */
export function sloBody(resource: TerraformResource): { body: Json; unmapped: string[]; problems: string[] } {
  const problems: string[] = [];
  const body: Json = { name: resource.name, type: resource.type };
  if (isSet(resource.description)) body.description = resource.description;
  const spec = block(resource.sli_specification);
  if (resource.type === 'time_slice') {
    const timeSlice = block(spec?.time_slice);
    if (timeSlice === undefined) problems.push('sli_specification: missing (the provider refuses a time_slice SLO without it)');
    else body.sli_specification = { time_slice: timeSliceCondition(timeSlice) };
  } else {
    problems.push(`type: "${resource.type}": only time_slice SLOs are mapped (add the others to __tests__/contract/slo-to-api.ts)`);
  }
  if (isSet(resource.tags)) body.tags = [...resource.tags].sort();
  const unknown: string[] = [];
  const thresholds = blocks(resource.thresholds).map((threshold, i) => {
    for (const key of Object.keys(threshold)) {
      if (key === 'target_display' || key === 'warning_display') {
        problems.push(`thresholds[${i}].${key}: computed by Datadog; Terraform refuses it in a configuration`);
      } else if (!THRESHOLD_ATTRIBUTES.has(key)) unknown.push(`thresholds[${i}].${key}`);
    }
    const sent: Json = {};
    for (const key of THRESHOLD_ATTRIBUTES) if (isSet(threshold[key])) sent[key] = threshold[key];
    return sent;
  });
  if (thresholds.length > 0) body.thresholds = thresholds;
  for (const key of ['timeframe', 'target_threshold', 'warning_threshold']) if (isSet(resource[key])) body[key] = resource[key];
  return { body, unmapped: [...unmapped(resource, SLO_ATTRIBUTES), ...unmappedSli(spec), ...unknown], problems };
}

/**
 * The oneOf fields of a time-slice SLO, and the model of the branch the provider sends:
 * `sli_specification` (SLOSliSpec: time slice or count) and each query (SLODataSourceQueryDefinition:
 * a metric query). One wrong value inside makes the client give up on the whole oneOf object
 * ("sliSpecification: {...} is not a value..."); the branch's own model then says which value.
 */
const ONE_OF_BRANCHES: { path: RegExp; model: string; value: (body: Json, index: number) => unknown }[] = [
  { path: /^sliSpecification$/, model: 'SLOTimeSliceSpec', value: (body) => body.sli_specification },
  {
    path: /^sliSpecification\.timeSlice\.query\.queries\[(\d+)\]$/,
    model: 'FormulaAndFunctionMetricQueryDefinition',
    value: (body, index) => body.sli_specification.time_slice.query.queries[index],
  },
];

/** `problem`, or when it is a oneOf's verdict, the problems its branch's model finds (if any). */
function precise(problem: string, body: Json): string[] {
  const path = problem.slice(0, problem.indexOf(': '));
  for (const branch of ONE_OF_BRANCHES) {
    const match = branch.path.exec(path);
    if (!match || !problem.endsWith(' is not a value the model allows here')) continue;
    const inner = modelObjectProblems('v1', branch.model, branch.value(body, Number(match[1])));
    if (inner.length > 0) return inner.flatMap((found) => precise(`${path}.${found}`, body));
  }
  return [problem];
}

/** What is wrong with an SLO body: the model's verdict, then Datadog's rules the model cannot say. */
export function sloProblems(resource: TerraformResource): string[] {
  const { body, unmapped: unknown, problems: mapping } = sloBody(resource);
  const problems = [...unknown.map((key) => `${key}: not mapped to the API body (add it to __tests__/contract/slo-to-api.ts)`), ...mapping];
  problems.push(...modelObjectProblems('v1', 'ServiceLevelObjectiveRequest', body).flatMap((problem) => precise(problem, body)));
  problems.push(...objectiveProblems(body));
  const query = body.sli_specification?.time_slice?.query;
  if (query) problems.push(...timeSliceQueryProblems(query));
  return problems;
}

/**
 * The rules on targets the provider's documentation states (datadog_service_level_objective): a
 * target and a warning in (0, 100), the warning above the target, and target_threshold and
 * warning_threshold, when set, equal to the threshold of the primary timeframe.
 */
function objectiveProblems(body: Json): string[] {
  const problems: string[] = [];
  const thresholds: Json[] = body.thresholds ?? [];
  const inRange = (value: unknown): boolean => typeof value === 'number' && value > 0 && value < 100;
  thresholds.forEach((threshold, i) => {
    if (threshold.target !== undefined && !inRange(threshold.target))
      problems.push(`thresholds[${i}].target: ${threshold.target} is not in (0, 100)`);
    if (threshold.warning !== undefined) {
      if (!inRange(threshold.warning)) problems.push(`thresholds[${i}].warning: ${threshold.warning} is not in (0, 100)`);
      else if (typeof threshold.target === 'number' && threshold.warning <= threshold.target) {
        problems.push(`thresholds[${i}].warning: ${threshold.warning} is not above the target ${threshold.target}`);
      }
    }
  });
  if (body.timeframe !== undefined) {
    const primary = thresholds.find((threshold) => threshold.timeframe === body.timeframe);
    if (!primary) problems.push(`timeframe: "${body.timeframe}" has no threshold`);
    else {
      if (body.target_threshold !== undefined && body.target_threshold !== primary.target) {
        problems.push(`target_threshold: ${body.target_threshold} differs from the ${body.timeframe} threshold's target ${primary.target}`);
      }
      if (body.warning_threshold !== undefined && body.warning_threshold !== primary.warning) {
        problems.push(
          `warning_threshold: ${body.warning_threshold} differs from the ${body.timeframe} threshold's warning ${primary.warning}`,
        );
      }
    }
  }
  return problems;
}

/**
 * The provider's schema (formula: exactly one; query: at least one) and the formula naming only
 * the queries it has.
 */
function timeSliceQueryProblems(query: Json): string[] {
  const problems: string[] = [];
  const formulas: Json[] = query.formulas ?? [];
  const queries: Json[] = query.queries ?? [];
  if (formulas.length !== 1)
    problems.push(`sli_specification.time_slice.query.formulas: ${formulas.length} formulas (the provider takes exactly one)`);
  if (queries.length === 0) problems.push('sli_specification.time_slice.query.queries: none (the provider takes at least one)');
  const names = new Set(queries.map((q) => q.name));
  for (const formula of formulas) {
    for (const name of String(formula.formula).match(/\bquery[0-9A-Za-z_]*\b/g) ?? []) {
      if (!names.has(name))
        problems.push(`sli_specification.time_slice.query.formulas: "${formula.formula}" names "${name}", which is no query`);
    }
  }
  return problems;
}

const SLO_WIDGET_ATTRIBUTES = new Set([
  'title',
  'title_size',
  'title_align',
  'view_type',
  'slo_id',
  'show_error_budget',
  'view_mode',
  'time_windows',
  'global_time_target',
  'additional_query_filters',
]);
const SLO_WIDGET_STRINGS = [
  'title',
  'title_size',
  'title_align',
  'view_type',
  'slo_id',
  'view_mode',
  'global_time_target',
  'additional_query_filters',
];

/** Every `service_level_objective_definition` of a dashboard, top level or in a group, with its place. */
export function sloWidgets(dashboard: TerraformResource): { path: string; definition: Json }[] {
  const found: { path: string; definition: Json }[] = [];
  blocks(dashboard.widget).forEach((widget, i) => {
    const definition = block(widget.service_level_objective_definition);
    if (definition) found.push({ path: `widget[${i}]`, definition });
    const group = block(widget.group_definition);
    blocks(group?.widget).forEach((inner, j) => {
      const innerDefinition = block(inner.service_level_objective_definition);
      if (innerDefinition) found.push({ path: `widget[${i}].group_definition.widget[${j}]`, definition: innerDefinition });
    });
  });
  return found;
}

/** The SLOWidgetDefinition the provider builds from a `service_level_objective_definition`. */
export function sloWidgetBody(definition: Json): { body: Json; unmapped: string[] } {
  const body: Json = { type: 'slo', view_type: 'detail' };
  for (const key of SLO_WIDGET_STRINGS) if (isSet(definition[key])) body[key] = definition[key];
  body.show_error_budget = definition.show_error_budget ?? false;
  if (isSet(definition.time_windows)) body.time_windows = [...definition.time_windows];
  return { body, unmapped: unmapped(definition, SLO_WIDGET_ATTRIBUTES) };
}

/** What is wrong with an SLO widget: the model's verdict, and an slo_id that is no SLO id. */
export function sloWidgetProblems(definition: Json): string[] {
  const { body, unmapped: unknown } = sloWidgetBody(definition);
  const problems = [
    ...unknown.map((key) => `${key}: not mapped to the API body (add it to __tests__/contract/slo-to-api.ts)`),
    ...modelObjectProblems('v1', 'SLOWidgetDefinition', body),
  ];
  if (body.slo_id === undefined) problems.push('slo_id: missing (the widget shows no SLO)');
  else if (!/^[0-9a-f]{32}$/.test(body.slo_id)) problems.push(`slo_id: "${body.slo_id}" is not an SLO id (32 hexadecimal characters)`);
  return problems;
}
