import { change, code, list } from '../markdown';
import { flatten, isObject, sameJson, type Json, type JsonObject } from '../synth-output';

/** A stack's `resource` block: type → name → resource (secrets masked, metadata dropped). */
export type StackResources = Readonly<Record<string, JsonObject>>;

/**
 * Both sides of the stack a resource is in. Most resources are described from their own body; a
 * few mean something only with another (a burn-rate alert names its SLO by a `${...id}`
 * reference), and those look it up here.
 */
export interface Stacks {
  readonly before: StackResources;
  readonly after: StackResources;
}

export const NO_STACKS: Stacks = { before: {}, after: {} };

/**
 * How each resource type is put into words. `added`/`removed` describe one resource; `changed`
 * lists what differs between two versions. Whatever a describer does not handle itself is listed
 * by `otherChanges` as `path: old → new`, so nothing that changes goes unmentioned.
 */
export interface ResourceDescriber {
  readonly label: string;
  title(resource: JsonObject): string | undefined;
  // `stacks` is left out by callers that describe a resource alone (tests): read as NO_STACKS.
  added(resource: JsonObject, stacks?: Stacks): string[];
  /** @param deleted false when a `removed` block keeps the object in Datadog (only the state forgets it) */
  removed(resource: JsonObject, deleted: boolean, stacks?: Stacks): string[];
  changed(before: JsonObject, after: JsonObject, stacks?: Stacks): string[];
  /**
   * The address of the resource this one is part of (an SLO for its burn-rate alert): the summary
   * lists it under that resource when both change the same way, and names it otherwise.
   */
  partOf?(resource: JsonObject): string | undefined;
}

/** The resource at a Terraform address (`type.name`) in one side of a stack. */
export function resourceAt(resources: StackResources, address: string): JsonObject | undefined {
  const dot = address.indexOf('.');
  const resource = dot < 0 ? undefined : resources[address.slice(0, dot)]?.[address.slice(dot + 1)];
  return isObject(resource) ? resource : undefined;
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

const HANDLE = /@[A-Za-z0-9_.+-]+(@[A-Za-z0-9_.-]+)?/g;

/** The `@handles` a monitor message notifies, each once. */
export function handles(message: Json | undefined): string[] {
  return typeof message === 'string' ? [...new Set(message.match(HANDLE) ?? [])] : [];
}

/** The message without its handles, spaces folded: what is left to compare as text. */
export function messageText(message: Json | undefined): Json | undefined {
  return typeof message === 'string' ? message.replace(HANDLE, '').replace(/\s+/g, ' ').trim() : message;
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
