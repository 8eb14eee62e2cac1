import { change, code, list, quoted } from './markdown';
import { canonical, flatten, isObject, sameJson, type Json, type JsonObject } from './synth-output';

/**
 * How each resource type is put into words. `added`/`removed` describe one resource; `changed`
 * lists what differs between two versions. Whatever a describer does not handle itself is listed
 * by `otherChanges` as `path: old → new`, so nothing that changes goes unmentioned.
 */
export interface ResourceDescriber {
  readonly label: string;
  title(resource: JsonObject): string | undefined;
  added(resource: JsonObject): string[];
  removed(resource: JsonObject): string[];
  changed(before: JsonObject, after: JsonObject): string[];
}

const MAX_OTHER_CHANGES = 12;

/** `path: old → new` for every leaf that differs, skipping paths for which `skip` is true. */
export function otherChanges(before: Json, after: Json, skip: (path: string) => boolean = () => false): string[] {
  const a = flatten(before);
  const b = flatten(after);
  // An empty object or list that gains (or loses) entries is reported by its entries alone.
  const emptyContainer = (value: Json | undefined) => (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
  const hasChildren = (map: Map<string, Json>, path: string) => [...map.keys()].some((key) => key.startsWith(`${path}.`) || key.startsWith(`${path}[`));
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

function str(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : value === undefined || value === null ? undefined : JSON.stringify(value);
}

function strings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.map((item) => str(item) ?? '') : [];
}

/** `added x, y; removed z` for two lists, or nothing when they hold the same items. */
function setChange(what: string, before: readonly string[], after: readonly string[]): string[] {
  const added = after.filter((item) => !before.includes(item));
  const removed = before.filter((item) => !after.includes(item));
  const parts: string[] = [];
  if (added.length > 0) parts.push(`added ${list(added.map((item) => code(item)))}`);
  if (removed.length > 0) parts.push(`removed ${list(removed.map((item) => code(item)))}`);
  if (parts.length === 0 && before.join('\u0000') !== after.join('\u0000')) parts.push('reordered');
  return parts.length > 0 ? [`${what}: ${parts.join('; ')}`] : [];
}

function scalarChange(what: string, before: Json | undefined, after: Json | undefined): string[] {
  return sameJson(before, after) ? [] : [`${what}: ${change(before, after)}`];
}

// ---- Datadog monitor -------------------------------------------------------------------------

const THRESHOLD_ORDER = ['critical', 'warning', 'critical_recovery', 'warning_recovery', 'ok', 'unknown'];
const HANDLE = /@[A-Za-z0-9_.+-]+(@[A-Za-z0-9_.-]+)?/g;

function thresholds(resource: JsonObject): JsonObject {
  return isObject(resource.monitor_thresholds) ? resource.monitor_thresholds : {};
}

function thresholdKeys(...resources: JsonObject[]): string[] {
  const keys = new Set(resources.flatMap((resource) => Object.keys(thresholds(resource))));
  return [...THRESHOLD_ORDER.filter((key) => keys.has(key)), ...[...keys].filter((key) => !THRESHOLD_ORDER.includes(key)).sort()];
}

function handles(message: Json | undefined): string[] {
  return typeof message === 'string' ? [...new Set(message.match(HANDLE) ?? [])] : [];
}

const monitor: ResourceDescriber = {
  label: 'Monitor',
  title: (resource) => str(resource.name),
  added(resource) {
    const lines = [`query: ${code(resource.query)}`];
    const keys = thresholdKeys(resource);
    if (keys.length > 0) lines.push(`thresholds: ${keys.map((key) => `${key} ${code(thresholds(resource)[key])}`).join(', ')}`);
    const notified = handles(resource.message);
    if (notified.length > 0) lines.push(`notifies: ${list(notified.map((handle) => code(handle)))}`);
    const tags = strings(resource.tags);
    if (tags.length > 0) lines.push(`tags: ${list(tags.map((tag) => code(tag)))}`);
    if (resource.type !== undefined && resource.type !== 'query alert') lines.push(`type: ${code(resource.type)}`);
    return lines;
  },
  removed: (resource) => [`query: ${code(resource.query)}`],
  changed(before, after) {
    const lines = [...scalarChange('name', before.name, after.name), ...scalarChange('query', before.query, after.query)];
    for (const key of thresholdKeys(before, after)) {
      lines.push(...scalarChange(`${key} threshold`, thresholds(before)[key], thresholds(after)[key]));
    }
    lines.push(...setChange('notifies', handles(before.message), handles(after.message)));
    const withoutHandles = (message: Json | undefined) => (typeof message === 'string' ? message.replace(HANDLE, '').replace(/\s+/g, ' ').trim() : message);
    if (!sameJson(withoutHandles(before.message), withoutHandles(after.message))) lines.push('message text changed');
    lines.push(...setChange('tags', strings(before.tags), strings(after.tags)));
    lines.push(...otherChanges(before, after, (path) => /^(name|query|message|monitor_thresholds|tags)(\.|\[|$)/.test(path)));
    return lines;
  },
};

// ---- Datadog dashboard -----------------------------------------------------------------------

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
    const queryChange = old.queries.join(' ') !== widget.queries.join(' ') ? `: query ${change(old.queries.join(' '), widget.queries.join(' '))}` : ': settings changed';
    lines.push(`widget changed: ${widgetName(widget)}${queryChange}`);
  }
  if (added.length > 0) lines.unshift(`widgets added: ${list(added.map(widgetName))}`);
  if (unmatchedLeft.length > 0) lines.push(`widgets removed: ${list(unmatchedLeft.map(widgetName))}`);
  if (lines.length === 0 && left.map((widget) => widget.json).join() !== right.map((widget) => widget.json).join()) {
    lines.push('widgets reordered');
  }
  return lines;
}

const dashboard: ResourceDescriber = {
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

// ---- Datadog metric metadata -----------------------------------------------------------------

const metricMetadata: ResourceDescriber = {
  label: 'Metric metadata',
  title: (resource) => str(resource.metric),
  added: (resource) => [
    [
      // The constructs set `type` for gauges only: provider 3.82 cannot set `distribution`.
      resource.type !== undefined ? `type ${code(resource.type)}` : `type ${code('distribution')} (set by Datadog from the first point)`,
      resource.unit !== undefined ? `unit ${code(resource.unit)}` : 'no unit',
      ...(resource.description !== undefined ? [`description ${code(resource.description)}`] : []),
    ].join(', '),
  ],
  removed: () => [],
  changed: (before, after) => [
    ...scalarChange('metric', before.metric, after.metric),
    ...scalarChange('type', before.type, after.type),
    ...scalarChange('unit', before.unit, after.unit),
    ...scalarChange('description', before.description, after.description),
    ...otherChanges(before, after, (path) => /^(metric|type|unit|description)$/.test(path)),
  ],
};

// ---- Kubernetes ------------------------------------------------------------------------------

function kubernetesTitle(resource: JsonObject): string | undefined {
  const metadata = Array.isArray(resource.metadata) ? resource.metadata[0] : resource.metadata;
  if (!isObject(metadata)) return undefined;
  const name = str(metadata.name);
  return metadata.namespace !== undefined ? `${str(metadata.namespace)}/${name}` : name;
}

function podSpec(resource: JsonObject): JsonObject {
  const spec = isObject(resource.spec) ? resource.spec : {};
  const template = isObject(spec.template) ? spec.template : {};
  return isObject(template.spec) ? template.spec : {};
}

function containers(resource: JsonObject): JsonObject[] {
  const list = podSpec(resource).container;
  return Array.isArray(list) ? list.filter(isObject) : [];
}

/** Environment variables as `NAME=value`, or `NAME from Secret name/key` for secret references. */
function environment(container: JsonObject): Map<string, string> {
  const result = new Map<string, string>();
  for (const entry of Array.isArray(container.env) ? container.env : []) {
    if (!isObject(entry) || typeof entry.name !== 'string') continue;
    const from = isObject(entry.value_from) ? entry.value_from : undefined;
    const secret = from && isObject(from.secret_key_ref) ? from.secret_key_ref : undefined;
    const configMap = from && isObject(from.config_map_key_ref) ? from.config_map_key_ref : undefined;
    if (secret) result.set(entry.name, `from Secret ${str(secret.name)}/${str(secret.key)}`);
    else if (configMap) result.set(entry.name, `from ConfigMap ${str(configMap.name)}/${str(configMap.key)}`);
    else result.set(entry.name, `= ${str(entry.value) ?? ''}`);
  }
  return result;
}

function resources(container: JsonObject): string {
  const value = isObject(container.resources) ? container.resources : {};
  const part = (kind: string) => {
    const quantities = isObject(value[kind]) ? (value[kind] as JsonObject) : {};
    return Object.keys(quantities).sort().map((key) => `${key} ${str(quantities[key])}`).join(' ');
  };
  return `requests ${part('requests') || 'none'}, limits ${part('limits') || 'none'}`;
}

function probePath(probe: Json | undefined): string | undefined {
  if (!isObject(probe) || !isObject(probe.http_get)) return undefined;
  return `${str(probe.http_get.path) ?? '/'}:${str(probe.http_get.port) ?? ''}`;
}

const DECLARATION_ANNOTATION = 'spec.template.metadata.annotations.algorithmia-datadog/metrics-sha256';

const deployment: ResourceDescriber = {
  label: 'Kubernetes Deployment',
  title: kubernetesTitle,
  added(resource) {
    const spec = isObject(resource.spec) ? resource.spec : {};
    const lines = [`replicas: ${code(spec.replicas ?? '1')}`];
    for (const container of containers(resource)) {
      const prefix = containers(resource).length > 1 ? `container ${code(container.name)} ` : '';
      lines.push(`${prefix}image: ${code(container.image)}`);
      const env = [...environment(container)].map(([name, value]) => code(`${name} ${value}`));
      if (env.length > 0) lines.push(`${prefix}environment: ${list(env, 30)}`);
      lines.push(`${prefix}resources: ${resources(container)}`);
      const probes = [
        probePath(container.liveness_probe) && `liveness ${code(probePath(container.liveness_probe))}`,
        probePath(container.readiness_probe) && `readiness ${code(probePath(container.readiness_probe))}`,
      ].filter(Boolean);
      if (probes.length > 0) lines.push(`${prefix}probes: ${probes.join(', ')}`);
    }
    return lines;
  },
  removed: () => [],
  changed(before, after) {
    const lines: string[] = [];
    const beforeSpec = isObject(before.spec) ? before.spec : {};
    const afterSpec = isObject(after.spec) ? after.spec : {};
    lines.push(...scalarChange('replicas', beforeSpec.replicas, afterSpec.replicas));
    const left = containers(before);
    const right = containers(after);
    right.forEach((container, index) => {
      const old = left.find((candidate) => candidate.name === container.name) ?? left[index];
      const prefix = right.length > 1 ? `container ${code(container.name)} ` : '';
      if (!old) return lines.push(`container added: ${code(container.name)} ${code(container.image)}`);
      lines.push(...scalarChange(`${prefix}image`, old.image, container.image));
      const oldEnv = environment(old);
      const newEnv = environment(container);
      for (const [name, value] of newEnv) {
        const previous = oldEnv.get(name);
        if (previous === undefined) lines.push(`${prefix}environment added: ${code(`${name} ${value}`)}`);
        else if (previous !== value) lines.push(`${prefix}environment ${code(name)}: ${change(previous, value)}`);
      }
      for (const name of oldEnv.keys()) if (!newEnv.has(name)) lines.push(`${prefix}environment removed: ${code(name)}`);
      if (resources(old) !== resources(container)) lines.push(`${prefix}resources: ${resources(old)} → ${resources(container)}`);
      return undefined;
    });
    for (const old of left) if (!right.some((container) => container.name === old.name)) lines.push(`container removed: ${code(old.name)}`);
    const annotation = (resource: JsonObject) => flatten(resource).get(DECLARATION_ANNOTATION);
    if (!sameJson(annotation(before), annotation(after))) lines.push('metric declaration changed: the pods restart');
    const handled = /^spec\.template\.spec\.container\[\d+\]\.(env|image|resources|name)(\.|\[|$)|^spec\.replicas$/;
    lines.push(...otherChanges(before, after, (path) => handled.test(path) || path === DECLARATION_ANNOTATION));
    return lines;
  },
};

function lineCount(value: Json | undefined): number {
  return typeof value === 'string' ? value.split('\n').length : 0;
}

const configMap: ResourceDescriber = {
  label: 'Kubernetes ConfigMap',
  title: kubernetesTitle,
  added(resource) {
    const data = isObject(resource.data) ? resource.data : {};
    const keys = Object.keys(data).sort();
    return keys.length > 0 ? [`data: ${list(keys.map((key) => `${code(key)} (${lineCount(data[key])} lines)`))}`] : [];
  },
  removed: () => [],
  changed(before, after) {
    const left = isObject(before.data) ? before.data : {};
    const right = isObject(after.data) ? after.data : {};
    const lines: string[] = [];
    for (const key of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
      if (!(key in left)) lines.push(`data added: ${code(key)}`);
      else if (!(key in right)) lines.push(`data removed: ${code(key)}`);
      else if (!sameJson(left[key], right[key])) lines.push(`data changed: ${code(key)} (${lineDiff(str(left[key]) ?? '', str(right[key]) ?? '')})`);
    }
    lines.push(...otherChanges(before, after, (path) => /^data(\.|$)/.test(path)));
    return lines;
  },
};

/** `+a −b lines` between two texts (multiset of lines, enough for a summary). */
function lineDiff(before: string, after: string): string {
  const count = (value: string) => value.split('\n').reduce((map, line) => map.set(line, (map.get(line) ?? 0) + 1), new Map<string, number>());
  const a = count(before);
  const b = count(after);
  let added = 0;
  let removed = 0;
  for (const [line, n] of b) added += Math.max(0, n - (a.get(line) ?? 0));
  for (const [line, n] of a) removed += Math.max(0, n - (b.get(line) ?? 0));
  return `+${added} −${removed} lines`;
}

// ---- anything else ---------------------------------------------------------------------------

function generic(type: string): ResourceDescriber {
  return {
    label: type,
    title: (resource) => str(resource.name) ?? str(resource.title) ?? kubernetesTitle(resource),
    added: () => [],
    removed: () => [],
    changed: (before, after) => otherChanges(before, after),
  };
}

const DESCRIBERS: Readonly<Record<string, ResourceDescriber>> = {
  datadog_monitor: monitor,
  datadog_dashboard: dashboard,
  datadog_metric_metadata: metricMetadata,
  kubernetes_deployment_v1: deployment,
  kubernetes_deployment: deployment,
  kubernetes_config_map_v1: configMap,
  kubernetes_config_map: configMap,
};

export function describerFor(type: string): ResourceDescriber {
  return DESCRIBERS[type] ?? generic(type);
}

/** Resource types in the order the summary lists them: what people review first. */
export const TYPE_ORDER = Object.keys(DESCRIBERS);

