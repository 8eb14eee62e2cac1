import { code } from './markdown';
import { flatten, isObject, sameJson, type Json, type JsonObject } from './synth-output';

/**
 * The blocks of a stack that say what happens to resources beyond their own body: `import`
 * (taking over an existing object), `removed` (forgetting without deleting) and `output` (what a
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
    if (isObject(block) && typeof block.to === 'string' && block.id !== undefined)
      imports.set(block.to, typeof block.id === 'string' ? block.id : JSON.stringify(block.id));
  }
  const forgotten = new Set<string>();
  for (const block of Array.isArray(stack.removed) ? stack.removed : []) {
    if (isObject(block) && typeof block.from === 'string' && isObject(block.lifecycle) && block.lifecycle.destroy === false)
      forgotten.add(block.from);
  }
  const outputs = new Map<string, Json>();
  for (const [name, output] of Object.entries(isObject(stack.output) ? stack.output : {})) {
    if (isObject(output) && output.value !== undefined) outputs.set(name, output.value);
  }
  return { imports, forgotten, outputs };
}

/**
 * The id the head imports into `address` when the deploy will take over a live object there: the
 * import block is new, or its resource is. An import block both sides hold for a resource both
 * sides declare is the adoption of an earlier change, not this one's.
 */
export function newImport(address: string, inBase: boolean, before: StackLifecycle, after: StackLifecycle): string | undefined {
  const id = after.imports.get(address);
  return id !== undefined && !(inBase && before.imports.get(address) === id) ? id : undefined;
}

/** Lines under an imported resource, before the settings the configuration gives it. */
export function importNotes(address: string, id: string, stack: string, inBase: boolean): { first: string[]; last: string[] } {
  return {
    first: [
      'the deploy takes over this existing object and overwrites it with the configuration below; ' +
        `what it holds now is not in the synth output (\`cdktf diff ${stack}\` compares with Datadog)`,
    ],
    // Terraform skips an import block whose address is already in its state, whatever the id.
    last: inBase
      ? [
          `${code(address)} is in the base too: if the base was deployed, Terraform finds it in the state and ignores this import block ` +
            `(${code(id)} is not taken over, the object the stack created stays)`,
        ]
      : [],
  };
}

/** The outputs that point at a resource, with its id when it is known before the deploy (an import). */
export function outputNotes(address: string, lifecycle: StackLifecycle, knownId?: string): string[] {
  const notes: string[] = [];
  const reference = `\${${address}.`;
  for (const [name, value] of lifecycle.outputs) {
    for (const [path, leaf] of flatten(value)) {
      if (typeof leaf !== 'string' || !leaf.includes(reference)) continue;
      const shown = leaf.replace(/\$\{[^}]*\}/g, knownId ?? '<id>');
      if (shown === '<id>') continue; // a bare id output says nothing before the deploy
      notes.push(
        `output ${code(path ? `${name}.${path}` : name)}: ${code(shown)}${knownId === undefined && shown.includes('<id>') ? ' (the id is known after deploy)' : ''}`,
      );
    }
  }
  return notes;
}

/** Lines under a removed resource: forgotten rather than deleted, or an adopted object deleted. */
export function removedNotes(address: string, before: StackLifecycle, after: StackLifecycle, stackRemoved: boolean): string[] {
  if (after.forgotten.has(address))
    return [
      "**forgotten, not deleted**: a `removed` block with `destroy = false` drops it from this stack's state (Terraform 1.7+); the object stays in Datadog",
    ];
  const imported = before.imports.get(address);
  if (imported === undefined) return [];
  return [
    stackRemoved
      ? `it was imported from ${code(imported)}, an object that existed before this stack: \`cdktf destroy\` would delete it from Datadog`
      : `it was imported from ${code(imported)}, an object that existed before this stack: the deploy deletes it from Datadog`,
  ];
}

/**
 * Stack-level lines about import blocks that are not an import of this change: one dropped while
 * its resource stays (the usual clean-up after the import), and one that names no resource.
 */
export function importBlockChanges(before: StackLifecycle, after: StackLifecycle, declared: ReadonlySet<string>): string[] {
  const lines: string[] = [];
  for (const [address, id] of before.imports) {
    if (after.imports.has(address) || !declared.has(address)) continue;
    lines.push(
      `import block dropped for ${code(address)} (${code(id)}): normal once a deploy has imported it, nothing changes in Datadog; ` +
        `if no deploy ran with it, the next one creates a new object instead of taking over ${code(id)}`,
    );
  }
  for (const [address, id] of after.imports) {
    if (!declared.has(address))
      lines.push(
        `**import block for ${code(address)} (${code(id)}) names no resource**: Terraform refuses to plan (Configuration for import target does not exist)`,
      );
  }
  return lines;
}

/** `outputs added: a, b` / `changed` / `removed`, for the stack settings. */
export function outputChanges(before: StackLifecycle, after: StackLifecycle): string[] {
  const names = (filter: (name: string) => boolean) =>
    [...new Set([...before.outputs.keys(), ...after.outputs.keys()])]
      .filter(filter)
      .sort()
      .map((name) => code(name));
  const added = names((name) => !before.outputs.has(name) && after.outputs.has(name));
  const removed = names((name) => before.outputs.has(name) && !after.outputs.has(name));
  const changed = names(
    (name) => before.outputs.has(name) && after.outputs.has(name) && !sameJson(before.outputs.get(name), after.outputs.get(name)),
  );
  return [
    ...(added.length > 0 ? [`outputs added: ${added.join(', ')}`] : []),
    ...(changed.length > 0 ? [`outputs changed: ${changed.join(', ')}`] : []),
    ...(removed.length > 0 ? [`outputs removed: ${removed.join(', ')}`] : []),
  ];
}
