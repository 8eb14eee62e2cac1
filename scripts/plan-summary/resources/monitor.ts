import { code, list } from '../markdown';
import { isObject, sameJson, type JsonObject } from '../synth-output';
import { handles, messageText, otherChanges, scalarChange, setChange, str, strings, type ResourceDescriber } from './describer';
import { missingDataWords, monitorWords } from './monitor-words';
import { parseSloAlertQuery } from './burn-rate-words';
import { criticalFollowsQuery, sloAlertAdded, sloAlertQueryChanges, sloAlertRemoved } from './slo-alert';

/**
 * `datadog_monitor`: name, query, thresholds, notified handles and tags. An SLO's burn-rate alert
 * is said in words and listed under its SLO (slo-alert.ts).
 */

const THRESHOLD_ORDER = ['critical', 'warning', 'critical_recovery', 'warning_recovery', 'ok', 'unknown'];

function thresholds(resource: JsonObject): JsonObject {
  return isObject(resource.monitor_thresholds) ? resource.monitor_thresholds : {};
}

function thresholdKeys(...resources: JsonObject[]): string[] {
  const keys = new Set(resources.flatMap((resource) => Object.keys(thresholds(resource))));
  return [...THRESHOLD_ORDER.filter((key) => keys.has(key)), ...[...keys].filter((key) => !THRESHOLD_ORDER.includes(key)).sort()];
}

export const monitor: ResourceDescriber = {
  label: 'Monitor',
  title: (resource) => str(resource.name),
  partOf: (resource) => parseSloAlertQuery(resource.query)?.sloAddress,
  added(resource, stacks) {
    const sloAlert = sloAlertAdded(resource, stacks);
    if (sloAlert !== undefined) return sloAlert;
    const words = monitorWords(resource.query);
    const lines = [...(words !== undefined ? [`watches: ${words}`] : []), `query: ${code(resource.query)}`];
    const missing = missingDataWords(resource.on_missing_data);
    if (missing !== undefined) lines.push(`missing data: ${missing}`);
    const keys = thresholdKeys(resource);
    if (keys.length > 0) lines.push(`thresholds: ${keys.map((key) => `${key} ${code(thresholds(resource)[key])}`).join(', ')}`);
    const notified = handles(resource.message);
    if (notified.length > 0) lines.push(`notifies: ${list(notified.map((handle) => code(handle)))}`);
    const tags = strings(resource.tags);
    if (tags.length > 0) lines.push(`tags: ${list(tags.map((tag) => code(tag)))}`);
    if (resource.type !== undefined && resource.type !== 'query alert') lines.push(`type: ${code(resource.type)}`);
    return lines;
  },
  removed: (resource) => {
    const sloAlert = sloAlertRemoved(resource);
    if (sloAlert !== undefined) return sloAlert;
    const words = monitorWords(resource.query);
    return [...(words !== undefined ? [`watched: ${words}`] : []), `query: ${code(resource.query)}`];
  },
  changed(before, after, stacks) {
    const sloAlert = sloAlertQueryChanges(before, after, stacks);
    const lines = [...scalarChange('name', before.name, after.name), ...(sloAlert ?? scalarChange('query', before.query, after.query))];
    const followsQuery = criticalFollowsQuery(before) && criticalFollowsQuery(after);
    for (const key of thresholdKeys(before, after)) {
      if (key === 'critical' && followsQuery) continue;
      lines.push(...scalarChange(`${key} threshold`, thresholds(before)[key], thresholds(after)[key]));
    }
    lines.push(...setChange('notifies', handles(before.message), handles(after.message)));
    if (!sameJson(messageText(before.message), messageText(after.message))) lines.push('message text changed');
    lines.push(...setChange('tags', strings(before.tags), strings(after.tags)));
    lines.push(...otherChanges(before, after, (path) => /^(name|query|message|monitor_thresholds|tags)(\.|\[|$)/.test(path)));
    return lines;
  },
};
