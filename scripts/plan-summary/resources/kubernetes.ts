import { change, code, list } from '../markdown';
import { flatten, isObject, sameJson, type Json, type JsonObject } from '../synth-output';
import { otherChanges, scalarChange, str, type ResourceDescriber } from './describer';

/** The forwarder's Kubernetes objects: its Deployment and the ConfigMap holding the metric declaration. */

export function kubernetesTitle(resource: JsonObject): string | undefined {
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
    const quantities = isObject(value[kind]) ? value[kind] : {};
    return Object.keys(quantities)
      .sort()
      .map((key) => `${key} ${str(quantities[key])}`)
      .join(' ');
  };
  return `requests ${part('requests') || 'none'}, limits ${part('limits') || 'none'}`;
}

function probePath(probe: Json | undefined): string | undefined {
  if (!isObject(probe) || !isObject(probe.http_get)) return undefined;
  return `${str(probe.http_get.path) ?? '/'}:${str(probe.http_get.port) ?? ''}`;
}

const DECLARATION_ANNOTATION = 'spec.template.metadata.annotations.algorithmia-datadog/metrics-sha256';

export const deployment: ResourceDescriber = {
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

export const configMap: ResourceDescriber = {
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
      else if (!sameJson(left[key], right[key]))
        lines.push(`data changed: ${code(key)} (${lineDiff(str(left[key]) ?? '', str(right[key]) ?? '')})`);
    }
    lines.push(...otherChanges(before, after, (path) => /^data(\.|$)/.test(path)));
    return lines;
  },
};

/** `+a −b lines` between two texts (multiset of lines, enough for a summary). */
function lineDiff(before: string, after: string): string {
  const count = (value: string) =>
    value.split('\n').reduce((map, line) => map.set(line, (map.get(line) ?? 0) + 1), new Map<string, number>());
  const a = count(before);
  const b = count(after);
  let added = 0;
  let removed = 0;
  for (const [line, n] of b) added += Math.max(0, n - (a.get(line) ?? 0));
  for (const [line, n] of a) removed += Math.max(0, n - (b.get(line) ?? 0));
  return `+${added} −${removed} lines`;
}
