import { change, code, list } from '../markdown';
import { flatten, isObject, sameJson, type Json, type JsonObject } from '../synth-output';

/**
 * How each resource type is put into words. `added`/`removed` describe one resource; `changed`
 * lists what differs between two versions. Whatever a describer does not handle itself is listed
 * by `otherChanges` as `path: old → new`, so nothing that changes goes unmentioned.
 */
export interface ResourceDescriber {
  readonly label: string;
  title(resource: JsonObject): string | undefined;
  added(resource: JsonObject): string[];
  /** @param deleted false when a `removed` block keeps the object in Datadog (only the state forgets it) */
  removed(resource: JsonObject, deleted: boolean): string[];
  changed(before: JsonObject, after: JsonObject): string[];
}

const MAX_OTHER_CHANGES = 12;

/** `path: old → new` for every leaf that differs, skipping paths for which `skip` is true. */
export function otherChanges(before: Json, after: Json, skip: (path: string) => boolean = () => false): string[] {
  const a = flatten(before);
  const b = flatten(after);
  // An empty object or list that gains (or loses) entries is reported by its entries alone.
  const emptyContainer = (value: Json | undefined) =>
    (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
  const hasChildren = (map: Map<string, Json>, path: string) =>
    [...map.keys()].some((key) => key.startsWith(`${path}.`) || key.startsWith(`${path}[`));
  const paths = [...new Set([...a.keys(), ...b.keys()])].filter(
    (path) =>
      !skip(path) &&
      !sameJson(a.get(path), b.get(path)) &&
      !(emptyContainer(a.get(path)) && !b.has(path) && hasChildren(b, path)) &&
      !(emptyContainer(b.get(path)) && !a.has(path) && hasChildren(a, path)),
  );
  const lines = paths.slice(0, MAX_OTHER_CHANGES).map((path) => `\`${path}\`: ${change(a.get(path), b.get(path))}`);
  if (paths.length > MAX_OTHER_CHANGES) lines.push(`and ${paths.length - MAX_OTHER_CHANGES} more settings`);
  return lines;
}

export function str(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : value === undefined || value === null ? undefined : JSON.stringify(value);
}

export function strings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.map((item) => str(item) ?? '') : [];
}

/** `added x, y; removed z` for two lists, or nothing when they hold the same items. */
export function setChange(what: string, before: readonly string[], after: readonly string[]): string[] {
  const added = after.filter((item) => !before.includes(item));
  const removed = before.filter((item) => !after.includes(item));
  const parts: string[] = [];
  if (added.length > 0) parts.push(`added ${list(added.map((item) => code(item)))}`);
  if (removed.length > 0) parts.push(`removed ${list(removed.map((item) => code(item)))}`);
  if (parts.length === 0 && before.join('\u0000') !== after.join('\u0000')) parts.push('reordered');
  return parts.length > 0 ? [`${what}: ${parts.join('; ')}`] : [];
}

export function scalarChange(what: string, before: Json | undefined, after: Json | undefined): string[] {
  return sameJson(before, after) ? [] : [`${what}: ${change(before, after)}`];
}
