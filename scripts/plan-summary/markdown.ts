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

/** `before` → `after`, as inline code. */
export function change(before: Json | undefined, after: Json | undefined): string {
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
