import { code, list, text } from '../markdown';
import { isObject, type Json, type JsonObject } from '../synth-output';
import { parseSloAlertQuery, sloAlertWords, type SloAlertQuery } from './burn-rate-words';
import { NO_STACKS, resourceAt, scalarChange, str, strings, type StackResources, type Stacks } from './describer';

/**
 * The `slo alert` monitors (burn-rate and error-budget alerts) for the monitor describer: said in
 * words, with their SLO found through the query's reference, instead of as a raw query. Queries of
 * another shape are left to the monitor describer (undefined here).
 */

/** `**name**` of the SLO a query names, `` `address` `` when it has no name, or the literal id. */
function sloName(query: SloAlertQuery, resources: StackResources): string {
  if (query.sloAddress === undefined) return `id ${code(query.slo)}`;
  const title = str(resourceAt(resources, query.sloAddress)?.name);
  return title !== undefined ? `**${text(title)}**` : code(query.sloAddress);
}

/** A line when the SLO the alert reads is not declared: Terraform cannot resolve the reference. */
function missingSlo(query: SloAlertQuery, resources: StackResources): string[] {
  if (query.sloAddress === undefined) {
    return [`SLO: id ${code(query.slo)} (a literal id: an SLO this stack does not manage)`];
  }
  return resourceAt(resources, query.sloAddress) === undefined
    ? [`**its SLO ${code(query.sloAddress)} is not in this stack**: Terraform refuses to plan (reference to an undeclared resource)`]
    : [];
}

function critical(monitor: JsonObject): Json | undefined {
  return isObject(monitor.monitor_thresholds) ? monitor.monitor_thresholds.critical : undefined;
}

/** Its tags, as "the SLO's and `severity:page`" when it has all of its SLO's: listed under the SLO, they would repeat. */
function tagWords(monitor: JsonObject, query: SloAlertQuery, resources: StackResources): string[] {
  const tags = strings(monitor.tags);
  const sloTags = strings(query.sloAddress !== undefined ? resourceAt(resources, query.sloAddress)?.tags : undefined);
  if (sloTags.length > 0 && sloTags.every((tag) => tags.includes(tag))) {
    const own = tags.filter((tag) => !sloTags.includes(tag));
    return [`tags: the SLO's${own.length > 0 ? ` and ${list(own.map((tag) => code(tag)))}` : ''}`];
  }
  return tags.length > 0 ? [`tags: ${list(tags.map((tag) => code(tag)))}`] : [];
}

export function sloAlertAdded(monitor: JsonObject, stacks: Stacks = NO_STACKS): string[] | undefined {
  const query = parseSloAlertQuery(monitor.query);
  const words = sloAlertWords(monitor);
  if (query === undefined || words === undefined) return undefined;
  const lines = [words, ...missingSlo(query, stacks.after)];
  // The critical threshold is the query's value: said above, unless the two disagree.
  if (critical(monitor) !== undefined && Number(critical(monitor)) !== Number(query.value))
    lines.push(`critical threshold ${code(critical(monitor))} differs from the query's ${code(query.value)}`);
  lines.push(...tagWords(monitor, query, stacks.after));
  return lines;
}

export function sloAlertRemoved(monitor: JsonObject): string[] | undefined {
  const words = sloAlertWords(monitor);
  return words === undefined ? undefined : [words];
}

/**
 * What changed in the alert's query, part by part (SLO, timeframe, windows, burn rate), with the
 * new words when any did; undefined when either side is not an SLO alert query.
 */
export function sloAlertQueryChanges(before: JsonObject, after: JsonObject, stacks: Stacks = NO_STACKS): string[] | undefined {
  const [a, b] = [parseSloAlertQuery(before.query), parseSloAlertQuery(after.query)];
  if (a === undefined || b === undefined) return undefined;
  const lines = [
    ...(a.slo !== b.slo ? [`SLO: ${sloName(a, stacks.before)} → ${sloName(b, stacks.after)}`] : []),
    ...scalarChange('budget timeframe', a.over, b.over),
    ...scalarChange('long window', a.windows?.long, b.windows?.long),
    ...scalarChange('short window', a.windows?.short, b.windows?.short),
    ...scalarChange(a.windows !== undefined ? 'burn rate' : 'budget spent (%)', `${a.comparator} ${a.value}`, `${b.comparator} ${b.value}`),
  ];
  const words = sloAlertWords(after);
  if (lines.length > 0 && words !== undefined) lines.push(`now: ${words}`);
  return [...lines, ...missingSlo(b, stacks.after).filter((line) => line.startsWith('**'))];
}

/** The critical threshold moves with the query's value; its own line would say the same again. */
export function criticalFollowsQuery(monitor: JsonObject): boolean {
  const query = parseSloAlertQuery(monitor.query);
  return query !== undefined && Number(critical(monitor)) === Number(query.value);
}
