import { code, plural, text } from './markdown';
import { importBlockChanges, importNotes, lifecycleOf, newImport, outputChanges, outputNotes, removedNotes } from './lifecycle';
import { redact } from './redact';
import { groupParts } from './parts';
import { describerFor, otherChanges, TYPE_ORDER, type Stacks } from './resources';
import { isObject, sameJson, withoutMetadata, type Json, type JsonObject, type StackJson } from './synth-output';

/** `import`: the deploy takes over an existing object (a new `import` block) instead of creating one. */
export type ChangeKind = 'import' | 'add' | 'change' | 'remove';

export interface ResourceChange {
  readonly kind: ChangeKind;
  /** Terraform address, e.g. `datadog_monitor.algorithmia_duration_monitor`. */
  readonly address: string;
  readonly type: string;
  readonly label: string;
  readonly title?: string;
  /** The id of the existing object an `import` takes over. */
  readonly importId?: string;
  readonly details: readonly string[];
  /** The address of the resource this one is part of (an SLO for its burn-rate alert). */
  readonly partOf?: string;
  /** Listed under that resource's entry (it changes the same way in this stack). */
  readonly nested?: boolean;
}

export interface StackSummary {
  readonly name: string;
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
  readonly changes: readonly ResourceChange[];
  /** Providers, provider versions, state backend and other non-resource blocks. */
  readonly settings: readonly string[];
}

export interface PlanSummary {
  readonly stacks: readonly StackSummary[];
  readonly counts: Readonly<Record<ChangeKind, number>>;
}

const KIND_ORDER: readonly ChangeKind[] = ['import', 'add', 'change', 'remove'];

/** Compares two synth outputs (stack name → cdk.tf.json). Secret-looking values are masked first. */
export function comparePlans(base: ReadonlyMap<string, StackJson>, head: ReadonlyMap<string, StackJson>): PlanSummary {
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  const stacks = names.map((name) => compareStack(name, base.get(name), head.get(name)));
  return { stacks, counts: countChanges(stacks.flatMap((stack) => stack.changes)) };
}

function countChanges(changes: readonly ResourceChange[]): Record<ChangeKind, number> {
  const counts = { import: 0, add: 0, change: 0, remove: 0 };
  for (const item of changes) counts[item.kind] += 1;
  return counts;
}

function prepared(stack: StackJson | undefined): JsonObject | undefined {
  return stack === undefined ? undefined : (redact(withoutMetadata(stack)) as JsonObject);
}

function compareStack(name: string, baseStack: StackJson | undefined, headStack: StackJson | undefined): StackSummary {
  const before = prepared(baseStack) ?? {};
  const after = prepared(headStack) ?? {};
  const context = { stack: name, stackRemoved: headStack === undefined };
  const changes = [
    ...groupParts(compareBlocks('resource', before, after, context), stacksOf(before, after)),
    ...compareBlocks('data', before, after, context),
  ];
  const settings = [
    ...compareSettings(before, after),
    ...importBlockChanges(lifecycleOf(before), lifecycleOf(after), declaredAddresses(after)),
    ...outputChanges(lifecycleOf(before), lifecycleOf(after)),
  ];
  const status =
    baseStack === undefined
      ? 'added'
      : headStack === undefined
        ? 'removed'
        : changes.length > 0 || settings.length > 0
          ? 'changed'
          : 'unchanged';
  return { name, status, changes, settings: status === 'changed' ? settings : [] };
}

function block(stack: JsonObject, key: string): Record<string, JsonObject> {
  const value = stack[key];
  if (!isObject(value)) return {};
  const result: Record<string, JsonObject> = {};
  for (const [type, resources] of Object.entries(value)) if (isObject(resources)) result[type] = resources;
  return result;
}

function stacksOf(before: JsonObject, after: JsonObject): Stacks {
  return { before: block(before, 'resource'), after: block(after, 'resource') };
}

function declaredAddresses(stack: JsonObject): Set<string> {
  return new Set(
    Object.entries(block(stack, 'resource')).flatMap(([type, resources]) => Object.keys(resources).map((name) => `${type}.${name}`)),
  );
}

function typeRank(type: string): number {
  const index = TYPE_ORDER.indexOf(type);
  return index < 0 ? TYPE_ORDER.length : index;
}

function compareBlocks(
  key: 'resource' | 'data',
  before: JsonObject,
  after: JsonObject,
  context: { readonly stack: string; readonly stackRemoved: boolean },
): ResourceChange[] {
  const left = block(before, key);
  const right = block(after, key);
  const types = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort((a, b) => typeRank(a) - typeRank(b) || a.localeCompare(b));
  const changes: ResourceChange[] = [];
  const beforeLifecycle = lifecycleOf(before);
  const afterLifecycle = lifecycleOf(after);
  const stacks = stacksOf(before, after);
  for (const type of types) {
    const describer = describerFor(type);
    const leftOfType = left[type] ?? {};
    const rightOfType = right[type] ?? {};
    const prefix = key === 'data' ? `data.${type}` : type;
    const label = key === 'data' ? `Data source ${type}` : describer.label;
    for (const name of [...new Set([...Object.keys(leftOfType), ...Object.keys(rightOfType)])].sort()) {
      const old = leftOfType[name] as Json | undefined;
      const current = rightOfType[name] as Json | undefined;
      const address = `${prefix}.${name}`;
      const importId = key === 'resource' ? newImport(address, old !== undefined, beforeLifecycle, afterLifecycle) : undefined;
      if (importId !== undefined && isObject(current)) {
        const inBase = isObject(old);
        const notes = importNotes(address, importId, context.stack, inBase);
        const sinceBase = inBase && !sameJson(old, current) ? describer.changed(old, current, stacks) : [];
        const details = [
          ...notes.first,
          ...describer.added(current, stacks),
          ...outputNotes(address, afterLifecycle, importId),
          ...notes.last,
          ...(sinceBase.length > 0 ? [`compared with the base: ${sinceBase.join('; ')}`] : []),
        ];
        changes.push({
          kind: 'import',
          address,
          type,
          label,
          title: describer.title(current),
          importId,
          details,
          partOf: describer.partOf?.(current),
        });
      } else if (old === undefined && isObject(current)) {
        const details = key === 'data' ? [] : [...describer.added(current, stacks), ...outputNotes(address, afterLifecycle)];
        changes.push({ kind: 'add', address, type, label, title: describer.title(current), details, partOf: describer.partOf?.(current) });
      } else if (current === undefined && isObject(old)) {
        const details =
          key === 'data'
            ? []
            : [
                ...describer.removed(old, !afterLifecycle.forgotten.has(address), stacks),
                ...removedNotes(address, beforeLifecycle, afterLifecycle, context.stackRemoved),
              ];
        changes.push({ kind: 'remove', address, type, label, title: describer.title(old), details, partOf: describer.partOf?.(old) });
      } else if (isObject(old) && isObject(current) && !sameJson(old, current)) {
        const details = describer.changed(old, current, stacks);
        changes.push({
          kind: 'change',
          address,
          type,
          label,
          title: describer.title(current),
          details: details.length > 0 ? details : ['settings changed'],
          partOf: describer.partOf?.(current),
        });
      }
    }
  }
  return changes;
}

/** Providers, their versions, the state backend, outputs...: everything but resources. */
function compareSettings(before: JsonObject, after: JsonObject): string[] {
  const lines: string[] = [];
  const providers = (stack: JsonObject) => (isObject(stack.provider) ? stack.provider : {});
  const leftProviders = providers(before);
  const rightProviders = providers(after);
  for (const provider of [...new Set([...Object.keys(leftProviders), ...Object.keys(rightProviders)])].sort()) {
    if (!(provider in leftProviders)) lines.push(`provider ${code(provider)} added`);
    else if (!(provider in rightProviders)) lines.push(`provider ${code(provider)} removed`);
    else {
      // One configuration per provider (no aliases) is the usual case: drop the `[0]` from paths.
      const single = (value: Json) => (Array.isArray(value) && value.length === 1 ? value[0] : value);
      const [a, b] = [leftProviders[provider], rightProviders[provider]];
      const bothSingle = Array.isArray(a) && Array.isArray(b) && a.length === 1 && b.length === 1;
      for (const line of otherChanges(bothSingle ? single(a) : a, bothSingle ? single(b) : b))
        lines.push(`provider ${code(provider)} ${line}`);
    }
  }
  const terraform = (stack: JsonObject) => (isObject(stack.terraform) ? stack.terraform : {});
  const versions = (stack: JsonObject) => {
    const required = terraform(stack).required_providers;
    const result = new Map<string, Json>();
    if (isObject(required))
      for (const [provider, spec] of Object.entries(required)) result.set(provider, isObject(spec) ? (spec.version ?? null) : spec);
    return result;
  };
  const leftVersions = versions(before);
  const rightVersions = versions(after);
  for (const provider of [...new Set([...leftVersions.keys(), ...rightVersions.keys()])].sort()) {
    const a = leftVersions.get(provider);
    const b = rightVersions.get(provider);
    if (a !== undefined && b !== undefined && !sameJson(a, b)) lines.push(`provider ${code(provider)} version: ${code(a)} → ${code(b)}`);
  }
  const backend = (stack: JsonObject) => terraform(stack).backend;
  if (!sameJson(backend(before), backend(after))) {
    const kind = (value: Json | undefined) => (isObject(value) ? Object.keys(value).join(', ') : 'none');
    lines.push(
      `**state backend changed** (${code(kind(backend(before)))} → ${code(kind(backend(after)))}): migrate the state before deploying, ` +
        'or Terraform starts from empty state and tries to create everything again',
    );
    lines.push(...otherChanges(backend(before) ?? {}, backend(after) ?? {}).map((line) => `backend ${line}`));
  }
  const others = (stack: JsonObject) => {
    const rest: JsonObject = {};
    // import, removed and output blocks are told next to their resources (lifecycle.ts).
    for (const [key, value] of Object.entries(stack))
      if (!['resource', 'data', 'provider', 'terraform', 'import', 'removed', 'output'].includes(key)) rest[key] = value;
    const { backend: _backend, required_providers: _required, ...terraformRest } = terraform(stack);
    rest.terraform = terraformRest;
    return rest;
  };
  lines.push(...otherChanges(others(before), others(after)));
  return lines;
}

// ---- Markdown --------------------------------------------------------------------------------

export interface RenderOptions {
  /** Heading of the summary. */
  readonly title?: string;
  /** GitHub refuses comments over 65 536 characters: longer summaries are cut with a note. */
  readonly maxLength?: number;
}

const SYMBOL: Record<ChangeKind, string> = { import: '📥', add: '➕', change: '✏️', remove: '➖' };
const HEADING: Record<ChangeKind, string> = { import: 'Imported', add: 'Added', change: 'Changed', remove: 'Removed' };

/** Terraform's order; imports are named only when there are some, as in Terraform's plan line. */
function totals(counts: Readonly<Record<ChangeKind, number>>): string {
  const imports = counts.import > 0 ? `${counts.import} to import, ` : '';
  return `**${imports}${counts.add} to add, ${counts.change} to change, ${counts.remove} to remove**`;
}

function renderChange(item: ResourceChange): string[] {
  const title = item.title !== undefined ? ` **${text(item.title)}**` : '';
  // A part listed under its whole (a burn-rate alert under its SLO) is one level deeper.
  const indent = item.nested === true ? '  ' : '';
  const lines = [
    item.importId !== undefined
      ? `${indent}- ${SYMBOL.import} Import ${code(item.importId)} into \`${item.address}\`: ${item.label}${title}`
      : `${indent}- ${SYMBOL[item.kind]} ${item.label}${title} (\`${item.address}\`)`,
  ];
  for (const detail of item.details) lines.push(`${indent}  - ${detail}`);
  return lines;
}

export function renderMarkdown(summary: PlanSummary, options: RenderOptions = {}): string {
  const lines: string[] = [`## ${options.title ?? 'Datadog and forwarder changes'}`, ''];
  const changed = summary.stacks.filter((stack) => stack.status !== 'unchanged');
  const unchanged = summary.stacks.filter((stack) => stack.status === 'unchanged');

  if (summary.stacks.length === 0) {
    lines.push('No stacks in either synth output.');
    return lines.join('\n') + '\n';
  }
  if (changed.length === 0) {
    lines.push(
      `No changes: ${plural(summary.stacks.length, 'stack')} ${summary.stacks.length === 1 ? 'synthesizes' : 'synthesize'} exactly as before (${summary.stacks.map((stack) => `\`${stack.name}\``).join(', ')}).`,
    );
    return lines.join('\n') + '\n';
  }
  lines.push(
    `${totals(summary.counts)} in ${plural(changed.length, 'stack')}. ` +
      '_Compared `cdktf synth` output of the base and head commits: this is the change to the declared configuration, ' +
      'not a Terraform plan against what is live in Datadog._',
    '',
  );
  const columns: readonly ChangeKind[] = summary.counts.import > 0 ? KIND_ORDER : KIND_ORDER.filter((kind) => kind !== 'import');
  lines.push(`| stack | | ${columns.join(' | ')} |`, `| --- | --- |${columns.map(() => ' ---: |').join('')}`);
  for (const stack of summary.stacks) {
    const counts = countChanges(stack.changes);
    const status = { added: 'new stack', removed: 'stack removed', changed: 'changed', unchanged: 'no changes' }[stack.status];
    lines.push(`| \`${stack.name}\` | ${status} | ${columns.map((kind) => counts[kind]).join(' | ')} |`);
  }

  for (const stack of changed) {
    lines.push(
      '',
      `### \`${stack.name}\`${stack.status === 'added' ? ' (new stack)' : stack.status === 'removed' ? ' (stack removed)' : ''}`,
      '',
    );
    if (stack.status === 'removed') {
      lines.push(
        '> [!WARNING]',
        `> Removing a stack from the app does not destroy its resources: \`cdktf deploy\` no longer touches them. ` +
          `Run \`cdktf destroy ${stack.name}\` from the base commit first if they should go, or they stay in Datadog unmanaged.`,
        '',
      );
    }
    for (const kind of KIND_ORDER) {
      const items = stack.changes.filter((item) => item.kind === kind);
      if (items.length === 0) continue;
      lines.push(`**${HEADING[kind]}**`, '');
      for (const item of items) lines.push(...renderChange(item));
      lines.push('');
    }
    if (stack.settings.length > 0) {
      lines.push('**Stack settings**', '');
      for (const setting of stack.settings) lines.push(`- ${setting}`);
      lines.push('');
    }
  }
  if (unchanged.length > 0) {
    lines.push('', `Unchanged: ${unchanged.map((stack) => `\`${stack.name}\``).join(', ')}.`);
  }
  return truncate(
    lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n',
    options.maxLength ?? 60_000,
  );
}

function truncate(markdown: string, maxLength: number): string {
  if (markdown.length <= maxLength) return markdown;
  const note = '\n\n_… cut here: the summary is longer than a pull-request comment allows. The full text is in the workflow log._\n';
  const cut = markdown.lastIndexOf('\n', maxLength - note.length);
  return markdown.slice(0, cut > 0 ? cut : maxLength - note.length) + note;
}
