/**
 * What the Datadog Terraform provider (3.82, the one @cdktf/provider-datadog 12 binds) sends to
 * Datadog's API for a synthesized resource, and what Datadog's published contract (the models of
 * `@datadog/datadog-api-client`, through the test bed's modelObjectProblems) finds wrong in it.
 *
 * The mapping follows the provider's own code, field by field:
 * - `datadog_monitor`: buildMonitorStruct (datadog/resource_datadog_monitor.go). Threshold strings
 *   become numbers (json.Number(...).Float64()); booleans with a schema default (notify_no_data
 *   false, require_full_window true, include_tags true) and new_host_delay (default 300) are always
 *   sent; other options only when set and non-zero (d.GetOk); no_data_timeframe (default 10) unless
 *   on_missing_data is set; priority (a string in the schema) parsed as an integer, else null; tags
 *   and notify_by sorted; draft_status defaults to `published`. The `slo alert` monitors (burn-rate
 *   alerts) go through the same builder: their options are those of any monitor.
 * - `datadog_service_level_objective` and the dashboard's SLO widgets: slo-to-api.ts.
 * - `datadog_metric_metadata`: buildMetricMetadataStruct (datadog/resource_datadog_metric_metadata.go).
 *   Every field is sent, unset ones as "" (strings) or 0 (statsd_interval); the metric name is the
 *   URL path (PUT /api/v1/metrics/{metric_name}), not in the body.
 *
 * An attribute this mapping does not know fails the test (`unmapped`) rather than being dropped:
 * a new option in the constructs must be added here before it counts as checked.
 */
import { modelObjectProblems } from '@algorithmia-datadog/testbed';
import { unitProblem } from '@algorithmia-datadog/metric-declaration';

type Json = Record<string, any>;

/** A resource as in cdk.tf.json: attributes, nested blocks as objects, and cdktf's `//` metadata. */
export type TerraformResource = Json;

/** Attributes Terraform keeps to itself: never in a request body. */
const TERRAFORM_ONLY = new Set([
  '//',
  'count',
  'depends_on',
  'for_each',
  'lifecycle',
  'provider',
  'validate',
  'force_delete',
  'ignore_tag_keys',
]);

const THRESHOLDS = ['ok', 'warning', 'unknown', 'critical', 'warning_recovery', 'critical_recovery'] as const;
const THRESHOLD_QUERIES = ['critical_query', 'critical_recovery_query'] as const;

/** Options the provider sends only when set and non-zero / non-empty (GetOk), attribute → API field. */
const OPTIONAL_OPTIONS = [
  'group_retention_duration',
  'new_group_delay',
  'evaluation_delay',
  'on_missing_data',
  'renotify_interval',
  'renotify_occurrences',
  'notify_audit',
  'timeout_h',
  'escalation_message',
  'notification_preset_name',
] as const;

const MONITOR_ATTRIBUTES = new Set<string>([
  'name',
  'type',
  'query',
  'message',
  'priority',
  'tags',
  'restricted_roles',
  'draft_status',
  'monitor_thresholds',
  'monitor_threshold_windows',
  'notify_no_data',
  'no_data_timeframe',
  'require_full_window',
  'include_tags',
  'new_host_delay',
  'renotify_statuses',
  'notify_by',
  'enable_logs_sample',
  'groupby_simple_monitor',
  'enable_samples',
  'locked',
  ...OPTIONAL_OPTIONS,
]);

/** The fields of a Terraform resource that the mapping below does not know. */
export function unmapped(resource: TerraformResource, known: ReadonlySet<string>): string[] {
  return Object.keys(resource).filter((key) => !known.has(key) && !TERRAFORM_ONLY.has(key));
}

/** Go's GetOk: set and not the zero value of its type. */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  return !(Array.isArray(value) && value.length === 0);
}

/** A block of MaxItems 1: cdktf writes it as an object (or a one-element list). */
export function block(value: Json | Json[] | undefined): Json | undefined {
  return Array.isArray(value) ? value[0] : (value ?? undefined);
}

/**
 * A threshold string as the provider converts it. The provider validates it as a float first
 * (ValidateFloatString); a string that is not one is kept, so that the model refuses it.
 */
function thresholdNumber(value: string): number | string {
  const trimmed = String(value).trim();
  const number = Number(trimmed);
  return trimmed !== '' && Number.isFinite(number) ? number : value;
}

/** The body of POST /api/v1/monitor the provider builds from a `datadog_monitor` resource. */
export function monitorBody(resource: TerraformResource): { body: Json; unmapped: string[] } {
  const thresholdBlock = block(resource.monitor_thresholds) ?? {};
  const thresholds: Json = {};
  for (const key of THRESHOLDS) if (isSet(thresholdBlock[key])) thresholds[key] = thresholdNumber(thresholdBlock[key]);
  for (const key of THRESHOLD_QUERIES) if (isSet(thresholdBlock[key])) thresholds[key] = thresholdBlock[key];

  const windowBlock = block(resource.monitor_threshold_windows) ?? {};
  const thresholdWindows: Json = {};
  for (const key of ['recovery_window', 'trigger_window']) if (isSet(windowBlock[key])) thresholdWindows[key] = windowBlock[key];

  const options: Json = {
    thresholds,
    include_tags: resource.include_tags ?? true,
    notify_no_data: resource.notify_no_data ?? false,
    require_full_window: resource.require_full_window ?? true,
    new_host_delay: resource.new_host_delay ?? 300,
  };
  if (Object.keys(thresholdWindows).length > 0) options.threshold_windows = thresholdWindows;
  for (const key of OPTIONAL_OPTIONS) if (isSet(resource[key])) options[key] = resource[key];
  const noDataTimeframe = resource.no_data_timeframe ?? 10;
  if (isSet(noDataTimeframe) && !isSet(resource.on_missing_data)) options.no_data_timeframe = noDataTimeframe;
  if (isSet(resource.renotify_statuses)) options.renotify_statuses = resource.renotify_statuses;
  if (isSet(resource.notify_by)) options.notify_by = [...resource.notify_by].sort();
  if (isSet(resource.locked)) options.locked = resource.locked;
  if (resource.type === 'log alert') {
    options.enable_logs_sample = resource.enable_logs_sample ?? false;
    if (isSet(resource.groupby_simple_monitor)) options.groupby_simple_monitor = resource.groupby_simple_monitor;
  }
  if (resource.type === 'ci-pipelines alert' || resource.type === 'ci-tests alert') {
    options.enable_samples = resource.enable_samples ?? false;
  }

  const body: Json = {
    type: resource.type,
    query: resource.query,
    name: resource.name,
    message: resource.message,
    options,
    draft_status: resource.draft_status ?? 'published',
    priority: isSet(resource.priority) ? parseInt(String(resource.priority), 10) : null,
    restricted_roles: isSet(resource.restricted_roles) ? [...resource.restricted_roles].sort() : null,
    tags: [...(resource.tags ?? [])].sort(),
  };
  return { body, unmapped: unmapped(resource, MONITOR_ATTRIBUTES) };
}

const METADATA_ATTRIBUTES = new Set(['metric', 'type', 'description', 'short_name', 'unit', 'per_unit', 'statsd_interval']);

/** The body of PUT /api/v1/metrics/{metric} the provider builds from a `datadog_metric_metadata`. */
export function metricMetadataBody(resource: TerraformResource): { body: Json; unmapped: string[] } {
  const body = {
    type: resource.type ?? '',
    description: resource.description ?? '',
    short_name: resource.short_name ?? '',
    unit: resource.unit ?? '',
    per_unit: resource.per_unit ?? '',
    statsd_interval: resource.statsd_interval ?? 0,
  };
  return { body, unmapped: unmapped(resource, METADATA_ATTRIBUTES) };
}

/** Monitor types whose query is a metric query. */
export const METRIC_MONITOR_TYPES: ReadonlySet<string> = new Set(['query alert', 'metric alert']);
/** Monitor types whose query form monitorProblems checks (the others pass on the model alone). */
export const QUERY_CHECKED_MONITOR_TYPES: ReadonlySet<string> = new Set([...METRIC_MONITOR_TYPES, 'slo alert']);

const WINDOW = 'last_[1-9][0-9]*[mhdw]';
const TIME_AGGREGATION = '(?:avg|sum|min|max)';
const SPACE_AGGREGATION = '(?:avg|sum|min|max|p50|p75|p90|p95|p99)';
/**
 * The metric monitor query forms Datadog documents (API reference, "Create a monitor", metric alert
 * query): `time_aggr(time_window):space_aggr:metric{tags} ...`, the change form
 * `change|pct_change(time_aggr(time_window),timeshift):...`, and the anomaly/outlier/forecast
 * functions around a series.
 */
const METRIC_QUERY_FORM = new RegExp(
  `^(?:${TIME_AGGREGATION}\\(${WINDOW}\\)|(?:change|pct_change)\\(${TIME_AGGREGATION}\\(${WINDOW}\\),${WINDOW}\\)):` +
    `(?:${SPACE_AGGREGATION}:[a-z][a-z0-9_.]*\\{|(?:anomalies|outliers|forecast)\\(${SPACE_AGGREGATION}:[a-z][a-z0-9_.]*\\{)`,
);
const QUERY_THRESHOLD = /\s(?:>=|<=|>|<)\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$/;
/**
 * The two `slo alert` query forms Datadog documents (API reference, "Create a monitor", SLO alert
 * query; docs "Burn rate alerts" and "Error budget alerts"), on an SLO id (32 hexadecimal
 * characters) and one of the SLO timeframes 7d, 30d, 90d:
 * `burn_rate("<id>").over("30d").long_window("1h").short_window("5m") > 14.4` and
 * `error_budget("<id>").over("30d") > 75`.
 */
const SLO_ALERT_QUERY_FORM =
  /^(?:burn_rate\("[0-9a-f]{32}"\)\.over\("(?:7d|30d|90d)"\)\.long_window\("[1-9][0-9]*[mhd]"\)\.short_window\("[1-9][0-9]*[mhd]"\)|error_budget\("[0-9a-f]{32}"\)\.over\("(?:7d|30d|90d)"\)) (?:>=|>) /;

/** What is wrong with a monitor body: the model's verdict, then Datadog's rules the model cannot say. */
export function monitorProblems(resource: TerraformResource): string[] {
  const { body, unmapped: unknown } = monitorBody(resource);
  const problems = [
    ...unknown.map((key) => `${key}: not mapped to the API body (add it to __tests__/contract/terraform-to-api.ts)`),
    ...modelObjectProblems('v1', 'Monitor', body),
  ];
  // Provider 3.82: on_missing_data ConflictsWith notify_no_data and no_data_timeframe (a plan error
  // even when they are set to their defaults); Datadog refuses it with notify_no_data true or a timeframe.
  if (isSet(resource.on_missing_data)) {
    for (const key of ['notify_no_data', 'no_data_timeframe']) {
      if (key in resource) problems.push(`${key}: set together with on_missing_data (the provider refuses the pair)`);
    }
    if (body.options.notify_no_data === true) problems.push('options.notify_no_data: true sent with on_missing_data');
    if ('no_data_timeframe' in body.options) problems.push('options.no_data_timeframe: sent with on_missing_data');
  }
  // Terraform resolves `${...}` before the provider runs: a body still holding one was not resolved
  // here (the contract test replaces SLO ids with realistic ones first, slo-to-api.ts withSloIds).
  if (String(body.query).includes('${')) problems.push(`query: "${body.query}" holds an unresolved Terraform reference`);
  if (body.type === 'slo alert' && !SLO_ALERT_QUERY_FORM.test(body.query)) {
    problems.push(`query: "${body.query}" is not a burn_rate or error_budget query on an SLO id over 7d, 30d or 90d`);
  }
  if (QUERY_CHECKED_MONITOR_TYPES.has(body.type)) {
    if (METRIC_MONITOR_TYPES.has(body.type) && !METRIC_QUERY_FORM.test(body.query)) {
      problems.push(`query: "${body.query}" does not start with a known aggregation form`);
    }
    const threshold = QUERY_THRESHOLD.exec(body.query);
    if (!threshold) problems.push(`query: "${body.query}" does not end with a comparison to a threshold`);
    else if (Number(threshold[1]) !== body.options.thresholds.critical) {
      problems.push(`options.thresholds.critical: ${body.options.thresholds.critical} differs from the query's threshold ${threshold[1]}`);
    }
  }
  return problems;
}

/**
 * What is wrong with a metric metadata body: the model's verdict (MetricMetadata types `type` as a
 * plain string), the type against the metric types Datadog's API enumerates (v2
 * MetricTagConfigurationMetricTypes), the units against Datadog's unit list (metric-declaration's
 * DATADOG_UNITS, the one the constructs validate with). An unset type or unit goes as "", which
 * is accepted here only when the resource leaves it out.
 */
export function metricMetadataProblems(resource: TerraformResource): string[] {
  const { body, unmapped: unknown } = metricMetadataBody(resource);
  const problems = [
    ...unknown.map((key) => `${key}: not mapped to the API body (add it to __tests__/contract/terraform-to-api.ts)`),
    ...modelObjectProblems('v1', 'MetricMetadata', body),
  ];
  if (resource.type !== undefined) {
    for (const problem of modelObjectProblems('v2', 'MetricTagConfigurationMetricTypes', body.type)) {
      problems.push(`type: "${body.type}" is not a Datadog metric type (${problem})`);
    }
  }
  for (const key of ['unit', 'per_unit'] as const) {
    if (resource[key] === undefined) continue;
    const problem = unitProblem(body[key]);
    if (problem) problems.push(`${key}: "${body[key]}": ${problem}`);
  }
  if (!Number.isInteger(body.statsd_interval) || body.statsd_interval < 0) {
    problems.push(`statsd_interval: ${body.statsd_interval} is not a non-negative integer of seconds`);
  }
  return problems;
}
