import { code } from './markdown';
import { flatten, isObject, sameJson, type Json, type JsonObject } from './synth-output';

/**
 * The blocks of a stack that say what happens to resources beyond their own body: `import`
 * (adopting an existing object), `removed` (forgetting without deleting) and `output` (what a
 * deploy prints). The summary puts them next to the resources they are about.
 */
export interface StackLifecycle {
  /** Address → id of the existing object imported into it. */
  readonly imports: ReadonlyMap<string, string>;
  /** Addresses dropped from state without being destroyed. */
  readonly forgotten: ReadonlySet<string>;
  /** Output name → value. */
  readonly outputs: ReadonlyMap<string, Json>;
}

export function lifecycleOf(stack: JsonObject): StackLifecycle {
  const imports = new Map<string, string>();
  for (const block of Array.isArray(stack.import) ? stack.import : []) {
    if (isObject(block) && typeof block.to === 'string' && block.id !== undefined) imports.set(block.to, String(block.id));
  }
  const forgotten = new Set<string>();
  for (const block of Array.isArray(stack.removed) ? stack.removed : []) {
    if (isObject(block) && typeof block.from === 'string' && isObject(block.lifecycle) && block.lifecycle.destroy === false) forgotten.add(block.from);
  }
  const outputs = new Map<string, Json>();
  for (const [name, output] of Object.entries(isObject(stack.output) ? stack.output : {})) {
    if (isObject(output) && output.value !== undefined) outputs.set(name, output.value);
  }
  return { imports, forgotten, outputs };
}

/** Lines under an added resource: imported instead of created, and the outputs that point at it. */
export function addedNotes(address: string, lifecycle: StackLifecycle): string[] {
  const notes: string[] = [];
  const imported = lifecycle.imports.get(address);
  if (imported !== undefined) notes.push(`**imported** from the existing object ${code(imported)}: the first deploy updates it in place, nothing is created`);
  const reference = `\${${address}.`;
  for (const [name, value] of lifecycle.outputs) {
    for (const [path, leaf] of flatten(value)) {
      if (typeof leaf !== 'string' || !leaf.includes(reference)) continue;
      const shown = leaf.replace(/\$\{[^}]*\}/g, imported ?? '<id>');
      if (shown === '<id>') continue; // a bare id output says nothing before the deploy
      notes.push(`output ${code(path ? `${name}.${path}` : name)}: ${code(shown)}${imported === undefined && shown.includes('<id>') ? ' (the id is known after deploy)' : ''}`);
    }
  }
  return notes;
}

/** Lines under a removed resource. */
export function removedNotes(address: string, lifecycle: StackLifecycle): string[] {
  return lifecycle.forgotten.has(address)
    ? ['**forgotten, not deleted**: a `removed` block with `destroy = false` drops it from this stack\'s state (Terraform 1.7+); the object stays in Datadog']
    : [];
}

/** `outputs added: a, b` / `changed` / `removed`, for the stack settings. */
export function outputChanges(before: StackLifecycle, after: StackLifecycle): string[] {
  const names = (filter: (name: string) => boolean) => [...new Set([...before.outputs.keys(), ...after.outputs.keys()])].filter(filter).sort().map((name) => code(name));
  const added = names((name) => !before.outputs.has(name) && after.outputs.has(name));
  const removed = names((name) => before.outputs.has(name) && !after.outputs.has(name));
  const changed = names((name) => before.outputs.has(name) && after.outputs.has(name) && !sameJson(before.outputs.get(name), after.outputs.get(name)));
  return [
    ...(added.length > 0 ? [`outputs added: ${added.join(', ')}`] : []),
    ...(changed.length > 0 ? [`outputs changed: ${changed.join(', ')}`] : []),
    ...(removed.length > 0 ? [`outputs removed: ${removed.join(', ')}`] : []),
  ];
}
