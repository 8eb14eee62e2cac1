import { code, list, quoted, text } from '../markdown';
import { isObject, sameJson, type Json, type JsonObject } from '../synth-output';
import {
  NO_STACKS,
  otherChanges,
  scalarChange,
  setChange,
  str,
  strings,
  type ResourceDescriber,
  type StackResources,
  type Stacks,
} from './describer';
import { parseSloAlertQuery, SLO_TYPE } from './burn-rate-words';
import { isSilentModelQuery } from './monitor-words';

/**
 * `datadog_service_level_objective`: what a good slice (or event) is, and the targets, in words:
 * "good 5-minute slices where `avg:...` <= 15000; target 99.5% over 30d (warning 99.8%)". Its
 * burn-rate alerts are monitors listed under it (parts.ts, slo-alert.ts).
 */

/** A block the provider takes as one object; cdktf may write it as a list of one. */
function one(value: Json | undefined): JsonObject {
  const item = Array.isArray(value) ? value[0] : value;
  return isObject(item) ? item : {};
}

function timeSlice(resource: JsonObject): JsonObject | undefined {
  const slice = one(resource.sli_specification).time_slice;
  return slice === undefined ? undefined : one(slice);
}

/** The single metric query of a time slice whose formula is that query alone, else undefined. */
function singleQuery(slice: JsonObject): string | undefined {
  const query = one(slice.query);
  const queries = Array.isArray(query.query) ? query.query : [];
  const metric = one(one(queries[0]).metric_query);
  const formula = one(query.formula).formula_expression;
  return queries.length === 1 && typeof metric.query === 'string' && (formula === undefined || formula === metric.name)
    ? metric.query
    : undefined;
}

/** `` `query1 / query2` (query1 = `...`, ...) `` for a formula over several queries. */
function formulaWords(slice: JsonObject): string {
  const query = one(slice.query);
  const named = (Array.isArray(query.query) ? query.query : []).map((item) => one(one(item).metric_query));
  const parts = named.map((metric) => `${str(metric.name) ?? '?'} = ${code(metric.query)}`);
  return `${code(one(query.formula).formula_expression)}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

function sliceLength(seconds: Json | undefined): string {
  const value = Number(seconds);
  return Number.isInteger(value) && value > 0 && value % 60 === 0 ? `${value / 60}-minute` : `${str(seconds) ?? '?'}-second`;
}

/** What counts as good: time slices by a condition, events by a ratio, or monitors' uptime. */
function goodWords(resource: JsonObject): string {
  const slice = timeSlice(resource);
  if (slice !== undefined) {
    const value = singleQuery(slice);
    return `good ${sliceLength(slice.query_interval_seconds)} slices where ${value !== undefined ? code(value) : formulaWords(slice)} ${str(slice.comparator) ?? '?'} ${str(slice.threshold) ?? '?'}`;
  }
  const query = one(resource.query);
  if (query.numerator !== undefined) return `good events ${code(query.numerator)} out of ${code(query.denominator)}`;
  const monitors = strings(resource.monitor_ids);
  if (monitors.length > 0) return `uptime of monitors ${list(monitors.map((id) => code(id)))}`;
  return `type ${code(resource.type)}`;
}

interface Objective {
  readonly target?: Json;
  readonly warning?: Json;
}

/** Timeframe → target and warning, from `thresholds`, with the primary (`timeframe`...) when it is not among them. */
function objectives(resource: JsonObject): Map<string, Objective> {
  const result = new Map<string, Objective>();
  for (const entry of Array.isArray(resource.thresholds) ? resource.thresholds : []) {
    if (isObject(entry) && typeof entry.timeframe === 'string')
      result.set(entry.timeframe, { target: entry.target, warning: entry.warning });
  }
  if (typeof resource.timeframe === 'string' && !result.has(resource.timeframe))
    result.set(resource.timeframe, { target: resource.target_threshold, warning: resource.warning_threshold });
  return result;
}

const percent = (value: Json | undefined) => (value === undefined || value === null ? '_none_' : `${str(value) ?? ''}%`);

function targetWords(resource: JsonObject): string {
  const all = [...objectives(resource)].map(
    ([timeframe, objective]) =>
      `${percent(objective.target)} over ${timeframe}${objective.warning !== undefined && objective.warning !== null ? ` (warning ${percent(objective.warning)})` : ''}`,
  );
  return all.length > 0 ? `target ${all.join(', ')}` : 'no target';
}

/** The stack's silent-model monitors by name: what catches a model whose SLO counts silence as good. */
function silentModelMonitors(resources: StackResources): string[] {
  const monitors = isObject(resources.datadog_monitor) ? Object.values(resources.datadog_monitor) : [];
  return monitors
    .filter((monitor) => isObject(monitor) && isSilentModelQuery(monitor.query))
    .map((monitor) => str(isObject(monitor) ? monitor.name : undefined) ?? '?');
}

/** Said once per time-slice SLO: Datadog counts a slice without data as good. */
function missingDataWords(resources: StackResources): string {
  const silent = silentModelMonitors(resources);
  const covered =
    silent.length > 0
      ? `the silent-model monitor ${list(silent.map((name) => `**${text(name)}**`))} covers that`
      : '**no silent-model monitor in this stack covers that** (a model that stops running meets this SLO unnoticed)';
  return `slices without data count as good: a silent model meets this SLO; ${covered}`;
}

/** The paths `changed` puts in words itself; the rest go to `otherChanges`. */
function describedPath(before: JsonObject, after: JsonObject): (path: string) => boolean {
  // Top-level target fields repeat the primary entry of `thresholds`: skipped only while they agree with it.
  const primaryAgrees = (resource: JsonObject) => {
    const entry = Array.isArray(resource.thresholds)
      ? resource.thresholds.find((item) => isObject(item) && item.timeframe === resource.timeframe)
      : undefined;
    return (
      isObject(entry) &&
      entry.target === resource.target_threshold &&
      (entry.warning ?? undefined) === (resource.warning_threshold ?? undefined)
    );
  };
  const targetsSaid = primaryAgrees(before) && primaryAgrees(after);
  const slicesSaid = [before, after].every((resource) => {
    const slice = timeSlice(resource);
    return slice !== undefined && singleQuery(slice) !== undefined;
  });
  return (path) =>
    /^(name|description|tags|timeframe)(\[\d+\])?$/.test(path) ||
    /^thresholds(\[|$)/.test(path) ||
    (targetsSaid && /^(target_threshold|warning_threshold)$/.test(path)) ||
    (slicesSaid &&
      /^sli_specification(\[0\])?\.time_slice(\[0\])?\.(comparator|threshold|query_interval_seconds|query(\[0\])?\.query\[0\]\.metric_query(\[0\])?\.query)$/.test(
        path,
      ));
}

/**
 * The address of an SLO in one side of the stack. Describers are given a resource, not its
 * address; the summary hands them the very objects of `stacks`, so the SLO is found by identity.
 */
function addressIn(resource: JsonObject, resources: StackResources): string | undefined {
  const entries = isObject(resources[SLO_TYPE]) ? Object.entries(resources[SLO_TYPE]) : [];
  const key = entries.find(([, value]) => value === resource)?.[0];
  return key !== undefined ? `${SLO_TYPE}.${key}` : undefined;
}

/** The head's `slo alert` monitors that read the SLO at `address`, with the timeframe each measures. */
function alertsOf(address: string, resources: StackResources): { name: string; over: string }[] {
  const monitors = isObject(resources.datadog_monitor) ? Object.entries(resources.datadog_monitor) : [];
  return monitors.flatMap(([key, monitor]) => {
    const query = isObject(monitor) ? parseSloAlertQuery(monitor.query) : undefined;
    return query?.sloAddress === address ? [{ name: str(isObject(monitor) ? monitor.name : undefined) ?? key, over: query.over }] : [];
  });
}

/**
 * A timeframe the SLO drops while an alert still measures it: Datadog rejects that alert. Changing
 * an SLO's timeframe and its alerts' in one apply fails too (terraform-provider-datadog #3022): the
 * SLO is updated first, and for a moment the alert measures a timeframe the SLO no longer has.
 */
function droppedTimeframeNotes(before: JsonObject, after: JsonObject, stacks: Stacks): string[] {
  const dropped = [...objectives(before).keys()].filter((timeframe) => !objectives(after).has(timeframe));
  const measuring = (resource: JsonObject, resources: StackResources) => {
    const address = addressIn(resource, resources);
    return address !== undefined ? alertsOf(address, resources).filter((alert) => dropped.includes(alert.over)) : [];
  };
  const stillRead = measuring(after, stacks.after);
  if (stillRead.length > 0)
    return [
      `**an alert still measures the dropped ${list(dropped)}** (${list(stillRead.map((alert) => quoted(alert.name)))}): Datadog rejects an alert over a timeframe its SLO does not have`,
    ];
  return measuring(before, stacks.before).length > 0
    ? [
        `its alerts move off ${list(dropped)} in this same change: one apply fails (terraform-provider-datadog #3022); ` +
          `deploy in two steps (add the new target and move the alerts; then drop ${list(dropped)})`,
      ]
    : [];
}

function targetChanges(before: JsonObject, after: JsonObject): string[] {
  const [a, b] = [objectives(before), objectives(after)];
  const lines: string[] = [];
  for (const timeframe of [...new Set([...b.keys(), ...a.keys()])]) {
    const [was, now] = [a.get(timeframe), b.get(timeframe)];
    if (was === undefined && now !== undefined) lines.push(`target over ${timeframe} added: ${percent(now.target)}`);
    else if (was !== undefined && now === undefined) lines.push(`target over ${timeframe} removed (was ${percent(was.target)})`);
    else if (was !== undefined && now !== undefined) {
      if (percent(was.target) !== percent(now.target))
        lines.push(`target over ${timeframe}: ${percent(was.target)} → ${percent(now.target)}`);
      if (percent(was.warning) !== percent(now.warning))
        lines.push(`warning over ${timeframe}: ${percent(was.warning)} → ${percent(now.warning)}`);
    }
  }
  return [...lines, ...scalarChange('primary timeframe', before.timeframe, after.timeframe)];
}

function sliceChanges(before: JsonObject, after: JsonObject): string[] {
  const [a, b] = [timeSlice(before), timeSlice(after)];
  if (a === undefined || b === undefined) return [];
  const [queryA, queryB] = [singleQuery(a), singleQuery(b)];
  return [
    ...(queryA !== undefined && queryB !== undefined ? scalarChange('query', queryA, queryB) : []),
    ...scalarChange('comparator', a.comparator, b.comparator),
    ...scalarChange('threshold', a.threshold, b.threshold),
    ...(!sameJson(a.query_interval_seconds, b.query_interval_seconds)
      ? [`slices: ${sliceLength(a.query_interval_seconds)} → ${sliceLength(b.query_interval_seconds)}`]
      : []),
  ];
}

export const slo: ResourceDescriber = {
  label: 'SLO',
  title: (resource) => str(resource.name),
  added(resource, stacks = NO_STACKS) {
    const lines = [`${goodWords(resource)}; ${targetWords(resource)}`];
    if (timeSlice(resource) !== undefined) lines.push(missingDataWords(stacks.after));
    const tags = strings(resource.tags);
    if (tags.length > 0) lines.push(`tags: ${list(tags.map((tag) => code(tag)))}`);
    return lines;
  },
  removed(resource, _deleted, stacks = NO_STACKS) {
    const address = addressIn(resource, stacks.before);
    const readers = address !== undefined ? alertsOf(address, stacks.after) : [];
    return [
      `${goodWords(resource)}; ${targetWords(resource)}`,
      ...(readers.length > 0
        ? [
            `**alerts still read it** (${list(readers.map((alert) => quoted(alert.name)))}): Terraform refuses to plan (reference to an undeclared resource)`,
          ]
        : []),
    ];
  },
  changed(before, after, stacks = NO_STACKS) {
    const lines = [
      ...scalarChange('name', before.name, after.name),
      ...scalarChange('type', before.type, after.type),
      ...sliceChanges(before, after),
      ...targetChanges(before, after),
      ...droppedTimeframeNotes(before, after, stacks),
      ...scalarChange('description', before.description, after.description),
      ...setChange('tags', strings(before.tags), strings(after.tags)),
    ];
    const skip = describedPath(before, after);
    return [...lines, ...otherChanges(before, after, (path) => path === 'type' || skip(path))];
  },
};
