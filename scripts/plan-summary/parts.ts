import { text } from './markdown';
import { describerFor, resourceAt, type Stacks } from './resources';
import type { ResourceChange } from './summary';

/**
 * Puts each part right under its whole (a burn-rate alert under its SLO) when both are added,
 * changed, removed or imported together, so a reviewer reads an SLO with its alerts as one thing.
 * A part whose whole is listed elsewhere, or not at all, stays where it is and names it instead.
 * Counts do not change: a part is still a resource of its own.
 */
export function groupParts(changes: readonly ResourceChange[], stacks: Stacks): ResourceChange[] {
  const isWhole = (item: ResourceChange, part: ResourceChange) =>
    item.address === part.partOf && item.kind === part.kind && item.partOf === undefined;
  const nested = new Set(changes.filter((part) => changes.some((item) => isWhole(item, part))));
  const result: ResourceChange[] = [];
  for (const item of changes) {
    if (nested.has(item)) continue;
    result.push(item.partOf === undefined ? item : { ...item, details: [...item.details, ...wholeNamed(item, changes, stacks)] });
    for (const part of changes) if (nested.has(part) && isWhole(item, part)) result.push({ ...part, nested: true });
  }
  return result;
}

const KIND_WORDS: Record<ResourceChange['kind'], string> = { import: 'imported', add: 'added', change: 'changed', remove: 'removed' };

/** `part of SLO **name** (`address`, unchanged)`; nothing when the whole is in neither side (its describer says so). */
function wholeNamed(part: ResourceChange, changes: readonly ResourceChange[], stacks: Stacks): string[] {
  const address = part.partOf ?? '';
  const whole = resourceAt(stacks.after, address) ?? resourceAt(stacks.before, address);
  if (whole === undefined) return [];
  const describer = describerFor(address.slice(0, address.indexOf('.')));
  const title = describer.title(whole);
  const listed = changes.find((item) => item.address === address);
  const state = listed !== undefined ? `${KIND_WORDS[listed.kind]} too` : 'unchanged';
  return [`part of ${describer.label}${title !== undefined ? ` **${text(title)}**` : ''} (\`${address}\`, ${state})`];
}
