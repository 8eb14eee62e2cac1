import type { Json } from './synth-output';

const MAX_VALUE_LENGTH = 160;

/** A value as inline code: strings as they are, anything else as JSON; long values shortened. */
export function code(value: Json | undefined): string {
  if (value === undefined) return '_none_';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  text = text.replace(/\r?\n/g, ' ⏎ ');
  if (text.length > MAX_VALUE_LENGTH) text = `${text.slice(0, MAX_VALUE_LENGTH - 1)}…`;
  if (text === '') return '_empty_';
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Characters kept before and after the part where two long values differ. */
const CONTEXT = 30;

/**
 * Two long texts cut to where they differ, with some context: `code` shortens from the start, so
 * two queries that differ near their end would otherwise read the same on both sides.
 */
function aroundDifference(before: string, after: string): [string, string] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start += 1;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before.at(-1 - end) === after.at(-1 - end)) end += 1;
  // A short common start is kept whole: eliding it saves little and hides what the value is.
  const from = start > 2 * CONTEXT ? start - CONTEXT : 0;
  const dropped = end > 2 * CONTEXT ? end - CONTEXT : 0;
  const cut = (value: string) => `${from > 0 ? '…' : ''}${value.slice(from, value.length - dropped)}${dropped > 0 ? '…' : ''}`;
  return [cut(before), cut(after)];
}

/** `before` → `after`, as inline code; long texts are shown around where they differ. */
export function change(before: Json | undefined, after: Json | undefined): string {
  if (typeof before === 'string' && typeof after === 'string' && Math.max(before.length, after.length) > MAX_VALUE_LENGTH) {
    const [shownBefore, shownAfter] = aroundDifference(before, after);
    return `${code(shownBefore)} → ${code(shownAfter)}`;
  }
  return `${code(before)} → ${code(after)}`;
}

/** Text safe to put in Markdown prose (titles, names). */
export function text(value: string): string {
  return value.replace(/\r?\n/g, ' ').replace(/([\\`*_{}[\]<>|#])/g, '\\$1');
}

/** A quoted title in prose, e.g. "Avg of algorithmia.risk\_score". */
export function quoted(value: string | undefined): string {
  return value === undefined || value === '' ? '_(untitled)_' : `“${text(value)}”`;
}

export function list(items: readonly string[], max = 20): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
