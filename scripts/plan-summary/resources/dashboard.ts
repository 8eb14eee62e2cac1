import { change, list, quoted } from '../markdown';
import { canonical, flatten, isObject, type Json, type JsonObject } from '../synth-output';
import { otherChanges, scalarChange, str, type ResourceDescriber } from './describer';

/** `datadog_dashboard`: title, description and its widgets by kind and title. */

interface Widget {
  kind: string;
  title?: string;
  queries: string[];
  json: string;
}

/** Every widget, groups flattened, with its kind (`timeseries`, `alert_graph`...), title and queries. */
function widgets(resource: JsonObject): Widget[] {
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
      const queries = [...flatten(definition).entries()]
        .filter(([path, value]) => /(^|\.)(q|query|alert_id)$/.test(path) && typeof value === 'string')
        .map(([, value]) => value as string);
      const shown = group && kind !== 'group' ? `${group} › ${title ?? '(untitled)'}` : title;
      if (kind === 'group') {
        found.push({ kind, title, queries: [], json: canonical({ ...definition, widget: null }) });
        visit(definition.widget, title ?? '(untitled group)');
      } else {
        found.push({ kind, title: shown, queries, json: canonical(item) });
      }
    }
  };
  visit(resource.widget);
  return found;
}

function widgetName(widget: Widget): string {
  return `${widget.kind.replace(/_/g, ' ')} ${quoted(widget.title)}`;
}

function widgetChanges(before: JsonObject, after: JsonObject): string[] {
  const left = widgets(before);
  const right = widgets(after);
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
    const queryChange =
      old.queries.join(' ') !== widget.queries.join(' ')
        ? `: query ${change(old.queries.join(' '), widget.queries.join(' '))}`
        : ': settings changed';
    lines.push(`widget changed: ${widgetName(widget)}${queryChange}`);
  }
  if (added.length > 0) lines.unshift(`widgets added: ${list(added.map(widgetName))}`);
  if (unmatchedLeft.length > 0) lines.push(`widgets removed: ${list(unmatchedLeft.map(widgetName))}`);
  if (lines.length === 0 && left.map((widget) => widget.json).join() !== right.map((widget) => widget.json).join()) {
    lines.push('widgets reordered');
  }
  return lines;
}

export const dashboard: ResourceDescriber = {
  label: 'Dashboard',
  title: (resource) => str(resource.title),
  added(resource) {
    const all = widgets(resource);
    return all.length > 0 ? [`widgets (${all.length}): ${list(all.map(widgetName))}`] : [];
  },
  removed: (resource) => [`${widgets(resource).length} widgets`],
  changed(before, after) {
    return [
      ...scalarChange('title', before.title, after.title),
      ...scalarChange('description', before.description, after.description),
      ...widgetChanges(before, after),
      ...otherChanges(before, after, (path) => /^(title|description|widget)(\.|\[|$)/.test(path)),
    ];
  },
};
