import { change, code, list, quoted } from '../markdown';
import { canonical, flatten, isObject, type Json, type JsonObject } from '../synth-output';
import { otherChanges, str } from './describer';

/**
 * A dashboard's widgets (groups flattened) and what differs between two versions of one: its
 * queries one by one (added, removed, or old → new where they differ), their aliases, then every
 * other setting by path.
 */
export interface Widget {
  readonly kind: string;
  readonly title?: string;
  readonly queries: readonly WidgetQuery[];
  /** The `<kind>_definition` block (a group's without its widgets). */
  readonly definition: JsonObject;
  /** The widget block without its definition: layout, id. */
  readonly placement: JsonObject;
  readonly json: string;
}

export interface WidgetQuery {
  readonly text: string;
  /** The alias of the formula that shows this query, in the formulas-and-functions form. */
  readonly alias?: string;
}

const QUERY_LEAF = /(^|\.)(q|query|alert_id)$/;
const FORMULA_ALIAS = /(^|\.)formula\[\d+\]\.alias$/;
/** An entry of a request's `query` or `formula` list, e.g. `request[0].query[3]`. */
const REQUEST_ENTRY = /^(.*?(?:^|\.)(?:query|formula)\[\d+\])(\.|\[|$)/;

/** Query text → alias, from the formulas of each request (`formula_expression` names a query). */
function aliases(value: Json | undefined, into = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) value.forEach((item) => aliases(item, into));
  if (!isObject(value)) return into;
  if (Array.isArray(value.formula) && Array.isArray(value.query)) {
    for (const entry of value.query.filter(isObject)) {
      for (const inner of Object.values(entry).filter(isObject)) {
        const formula = value.formula.filter(isObject).find((candidate) => candidate.formula_expression === inner.name);
        if (typeof inner.query === 'string' && typeof formula?.alias === 'string') into.set(inner.query, formula.alias);
      }
    }
  }
  Object.values(value).forEach((item) => aliases(item, into));
  return into;
}

function queriesOf(definition: JsonObject): WidgetQuery[] {
  const aliasOf = aliases(definition);
  return [...flatten(definition).entries()]
    .filter(([path, value]) => QUERY_LEAF.test(path) && typeof value === 'string')
    .map(([, value]) => {
      const alias = aliasOf.get(value as string);
      return alias !== undefined ? { text: value as string, alias } : { text: value as string };
    });
}

/** Every widget, groups flattened, with its kind (`timeseries`, `alert_graph`...), title and queries. */
export function widgetsOf(resource: JsonObject): Widget[] {
  const found: Widget[] = [];
  const visit = (items: Json | undefined, group?: string) => {
    if (!Array.isArray(items)) return;
    for (const item of items) {
      if (!isObject(item)) continue;
      const definitionKey = Object.keys(item).find((key) => key.endsWith('_definition'));
      const definition = definitionKey ? item[definitionKey] : undefined;
      if (!definitionKey || !isObject(definition)) continue;
      const kind = definitionKey.replace(/_definition$/, '');
      const title = str(definition.title);
      const { [definitionKey]: _definition, ...placement } = item;
      if (kind === 'group') {
        const { widget: _children, ...own } = definition;
        found.push({ kind, title, queries: [], definition: own, placement, json: canonical({ ...definition, widget: null }) });
        visit(definition.widget, title ?? '(untitled group)');
      } else {
        const shown = group ? `${group} › ${title ?? '(untitled)'}` : title;
        found.push({ kind, title: shown, queries: queriesOf(definition), definition, placement, json: canonical(item) });
      }
    }
  };
  visit(resource.widget);
  return found;
}

export function widgetName(widget: Widget): string {
  return `${widget.kind.replace(/_/g, ' ')} ${quoted(widget.title)}`;
}

function asAlias(query: WidgetQuery): string {
  return query.alias !== undefined ? ` (as ${quoted(query.alias)})` : '';
}

/** Queries matched by their text; what is left on both sides is paired in order as old → new. */
function queryChanges(before: readonly WidgetQuery[], after: readonly WidgetQuery[]): string[] {
  const removed = [...before];
  const added: WidgetQuery[] = [];
  const parts: string[] = [];
  for (const query of after) {
    const same = removed.findIndex((candidate) => candidate.text === query.text);
    if (same < 0) {
      added.push(query);
      continue;
    }
    const [old] = removed.splice(same, 1);
    if (old.alias !== query.alias) parts.push(`alias ${change(old.alias, query.alias)}`);
  }
  const paired = Math.min(removed.length, added.length);
  for (let index = 0; index < paired; index += 1) {
    const [old, query] = [removed[index], added[index]];
    parts.push(`query ${change(old.text, query.text)}${old.alias !== query.alias ? `, alias ${change(old.alias, query.alias)}` : ''}`);
  }
  for (const query of added.slice(paired)) parts.push(`query added ${code(query.text)}${asAlias(query)}`);
  for (const query of removed.slice(paired)) parts.push(`query removed ${code(query.text)}${asAlias(query)}`);
  if (parts.length === 0 && before.map((query) => query.text).join('\n') !== after.map((query) => query.text).join('\n'))
    parts.push('queries reordered');
  return parts;
}

/** What differs between two versions of one widget (same kind and title). */
function changedWidget(before: Widget, after: Widget): string[] {
  const entries = (widget: Widget) => new Set([...flatten(widget.definition).keys()].map((path) => REQUEST_ENTRY.exec(path)?.[1]));
  const [left, right] = [entries(before), entries(after)];
  // Queries and their aliases are told above; a query or formula entry on one side only is the query added or removed.
  const told = (path: string) => {
    const entry = REQUEST_ENTRY.exec(path)?.[1];
    return QUERY_LEAF.test(path) || FORMULA_ALIAS.test(path) || (entry !== undefined && left.has(entry) !== right.has(entry));
  };
  return [
    ...queryChanges(before.queries, after.queries),
    ...otherChanges(before.definition, after.definition, told),
    ...otherChanges(before.placement, after.placement),
  ];
}

export function widgetChanges(before: JsonObject, after: JsonObject): string[] {
  const left = widgetsOf(before);
  const right = widgetsOf(after);
  const unmatchedLeft = [...left];
  const unmatchedRight: Widget[] = [];
  for (const widget of right) {
    const same = unmatchedLeft.findIndex((candidate) => candidate.json === widget.json);
    if (same >= 0) unmatchedLeft.splice(same, 1);
    else unmatchedRight.push(widget);
  }
  const lines: string[] = [];
  const added: Widget[] = [];
  for (const widget of unmatchedRight) {
    const previous = unmatchedLeft.findIndex((candidate) => candidate.kind === widget.kind && candidate.title === widget.title);
    if (previous < 0) {
      added.push(widget);
      continue;
    }
    const [old] = unmatchedLeft.splice(previous, 1);
    const parts = changedWidget(old, widget);
    lines.push(`widget changed: ${widgetName(widget)}: ${parts.length > 0 ? parts.join('; ') : 'settings changed'}`);
  }
  if (added.length > 0) lines.unshift(`widgets added: ${list(added.map(widgetName))}`);
  if (unmatchedLeft.length > 0) lines.push(`widgets removed: ${list(unmatchedLeft.map(widgetName))}`);
  if (lines.length === 0 && left.map((widget) => widget.json).join() !== right.map((widget) => widget.json).join()) {
    lines.push('widgets reordered');
  }
  return lines;
}
