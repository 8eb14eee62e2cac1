/**
 * Just enough POSIX shell syntax to read the commands of the docs: logical lines (continuations and
 * quotes spanning lines), comments, `&&`/`||`/`;`/`&` lists, pipelines, subshells, `NAME=value`
 * prefixes, `$(...)` and redirections. Not a shell: the commands that run are run by bash.
 */

/** One simple command: `NAME=value ... argv[0] argv[1] ...`. */
export interface ShellCommand {
  /** As written, without redirections' targets removed. */
  readonly text: string;
  /** `NAME=value` words before the command word (values unquoted). */
  readonly assignments: ReadonlyArray<readonly [string, string]>;
  /** The words after them, unquoted; redirections and their targets left out. */
  readonly argv: readonly string[];
  /** The text inside each `$(...)`, commands of their own. */
  readonly substitutions: readonly string[];
}

/** A pipeline (`a | b`), a subshell parenthesis, or nothing else. */
export type ShellStep =
  | { readonly kind: 'pipeline'; readonly text: string; readonly commands: readonly ShellCommand[]; readonly background: boolean }
  | { readonly kind: 'open' | 'close' };

interface Token {
  readonly kind: 'word' | 'operator' | 'redirect';
  readonly raw: string;
  readonly start: number;
  readonly end: number;
}

/** Splits a block into logical lines: a newline ends one only outside quotes and not after `\`. */
export function logicalLines(text: string): Array<{ readonly text: string; readonly offset: number }> {
  const lines: Array<{ text: string; offset: number }> = [];
  let current = '';
  let offset = 0;
  let lineNumber = 0;
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\\' && quote !== "'" && text[index + 1] === '\n') {
      current += ' ';
      index++;
      lineNumber++;
      continue;
    }
    if (char === '\n') {
      lineNumber++;
      if (quote === undefined) {
        if (current.trim() !== '') lines.push({ text: current, offset });
        current = '';
        offset = lineNumber;
        continue;
      }
    }
    if (quote === undefined && char === '#' && (current === '' || /\s$/.test(current))) {
      // A comment runs to the end of the line.
      while (index + 1 < text.length && text[index + 1] !== '\n') index++;
      continue;
    }
    if (char === '\\' && quote !== "'") {
      current += char + (text[index + 1] ?? '');
      index++;
      continue;
    }
    if ((char === '"' || char === "'") && (quote === undefined || quote === char)) quote = quote === undefined ? char : undefined;
    current += char;
  }
  if (current.trim() !== '') lines.push({ text: current, offset });
  return lines;
}

/** End index (exclusive) of the `$(...)` whose `$` is at `start`. */
function substitutionEnd(text: string, start: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let index = start + 1; index < text.length; index++) {
    const char = text[index];
    if (char === '\\' && quote !== "'") index++;
    else if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return index + 1;
  }
  throw new Error(`unclosed $( in: ${text}`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    if (/\s/.test(text[index])) {
      index++;
      continue;
    }
    const rest = text.slice(index);
    const operator = /^(&&|\|\||;|\||&(?!>)|\(|\))/.exec(rest);
    if (operator) {
      tokens.push({ kind: 'operator', raw: operator[1], start: index, end: index + operator[1].length });
      index += operator[1].length;
      continue;
    }
    const redirect = /^\d*(>>|>&\d+|&>|>|<)/.exec(rest);
    if (redirect) {
      tokens.push({ kind: 'redirect', raw: redirect[0], start: index, end: index + redirect[0].length });
      index += redirect[0].length;
      continue;
    }
    const start = index;
    let quote: string | undefined;
    while (index < text.length) {
      const char = text[index];
      if (quote === undefined && (/\s/.test(char) || /[;&|()<>]/.test(char))) break;
      if (char === '\\' && quote !== "'") index += 2;
      else if (char === '$' && text[index + 1] === '(' && quote !== "'") index = substitutionEnd(text, index);
      else {
        if ((char === '"' || char === "'") && (quote === undefined || quote === char)) quote = quote === undefined ? char : undefined;
        index++;
      }
    }
    tokens.push({ kind: 'word', raw: text.slice(start, index), start, end: index });
  }
  return tokens;
}

/** A word as the command sees it: quotes removed, escapes resolved; `$(...)` and `$VAR` kept as written. */
export function unquote(raw: string): string {
  let value = '';
  let quote: string | undefined;
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index];
    if (char === '$' && raw[index + 1] === '(' && quote !== "'") {
      const end = substitutionEnd(raw, index);
      value += raw.slice(index, end);
      index = end - 1;
    } else if (char === '\\' && quote !== "'") value += raw[++index] ?? '';
    else if ((char === '"' || char === "'") && (quote === undefined || quote === char)) quote = quote === undefined ? char : undefined;
    else value += char;
  }
  return value;
}

function substitutionsOf(raw: string): string[] {
  const found: string[] = [];
  for (let index = raw.indexOf('$('); index !== -1; index = raw.indexOf('$(', index + 1)) {
    const end = substitutionEnd(raw, index);
    found.push(raw.slice(index + 2, end - 1));
    index = end - 1;
  }
  return found;
}

function commandOf(text: string, words: Token[]): ShellCommand {
  const assignments: Array<[string, string]> = [];
  const argv: string[] = [];
  const substitutions: string[] = [];
  for (const word of words) {
    substitutions.push(...substitutionsOf(word.raw));
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(word.raw);
    if (argv.length === 0 && assignment) assignments.push([assignment[1], unquote(assignment[2])]);
    else argv.push(unquote(word.raw));
  }
  return { text, assignments, argv, substitutions };
}

/** The steps of one logical line, in order. */
export function parseLine(text: string): ShellStep[] {
  const tokens = tokenize(text);
  const steps: ShellStep[] = [];
  let commands: ShellCommand[] = [];
  let words: Token[] = [];
  let pipelineStart: number | undefined;
  let commandStart: number | undefined;
  let skipNext = false;
  const endCommand = (end: number) => {
    if (words.length > 0 || commandStart !== undefined) commands.push(commandOf(text.slice(commandStart ?? 0, end).trim(), words));
    words = [];
    commandStart = undefined;
  };
  const endPipeline = (end: number, background = false) => {
    endCommand(end);
    if (commands.length > 0) steps.push({ kind: 'pipeline', text: text.slice(pipelineStart, end).trim(), commands, background });
    commands = [];
    pipelineStart = undefined;
  };
  for (const token of tokens) {
    if (token.kind === 'redirect') {
      commandStart ??= token.start;
      pipelineStart ??= token.start;
      skipNext = !token.raw.includes('&') || token.raw === '&>';
      continue;
    }
    if (token.kind === 'word') {
      commandStart ??= token.start;
      pipelineStart ??= token.start;
      if (skipNext) skipNext = false;
      else words.push(token);
      continue;
    }
    if (token.raw === '|') endCommand(token.start);
    else if (token.raw === '(' || token.raw === ')') {
      endPipeline(token.start);
      steps.push({ kind: token.raw === '(' ? 'open' : 'close' });
    } else endPipeline(token.start, token.raw === '&');
  }
  endPipeline(text.length);
  return steps;
}

/** A command line synopsis as a tool prints it: `usage: tool <a> [--flag VALUE] [b]`, `tool install|start`. */
export interface Synopsis {
  readonly program: string;
  /** Flag → whether it takes a value. */
  readonly flags: ReadonlyMap<string, boolean>;
  /** Positional arguments: each its literal alternatives (none: any value), and whether required. */
  readonly positionals: ReadonlyArray<{ readonly alternatives?: readonly string[]; readonly required: boolean }>;
}

export function parseSynopsis(usage: string): Synopsis {
  const spaced = usage
    .replace(/^\s*usage:\s*/i, '')
    .replace(/<[^>]*>/g, (metavariable) => metavariable.replace(/\s+/g, '_'))
    .replace(/([[\]])/g, ' $1 ');
  const tokens = spaced.split(/\s+/).filter((token) => token !== '');
  const [program, ...rest] = tokens;
  const flags = new Map<string, boolean>();
  const positionals: Array<{ alternatives?: string[]; required: boolean }> = [];
  let depth = 0;
  for (let index = 0; index < rest.length; index++) {
    const token = rest[index];
    if (token === '[') depth++;
    else if (token === ']') depth--;
    else if (token === '|') continue;
    else if (token.startsWith('-')) {
      const next = rest[index + 1];
      const takesValue = next !== undefined && /^(<.*>|[A-Z][A-Z0-9_.]*)$/.test(next);
      flags.set(token, takesValue);
      if (takesValue) index++;
    } else {
      const alternatives = token.includes('|') ? token.split('|') : undefined;
      positionals.push({ alternatives, required: depth === 0 });
    }
  }
  return { program, flags, positionals };
}

/** Why `args` do not fit the synopsis, or undefined when they do. */
export function synopsisMismatch(synopsis: Synopsis, args: readonly string[]): string | undefined {
  const given: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg.startsWith('-') && arg !== '-') {
      const [flag] = arg.split('=');
      if (!synopsis.flags.has(flag))
        return `${synopsis.program} accepts no ${flag} (its flags: ${[...synopsis.flags.keys()].join(', ') || 'none'})`;
      if (synopsis.flags.get(flag) && !arg.includes('=')) index++;
    } else given.push(arg);
  }
  const required = synopsis.positionals.filter((positional) => positional.required).length;
  if (given.length < required || given.length > synopsis.positionals.length) {
    return `${synopsis.program} takes ${required} to ${synopsis.positionals.length} arguments, given ${given.length}: ${given.join(' ')}`;
  }
  for (const [index, arg] of given.entries()) {
    const alternatives = synopsis.positionals[index].alternatives;
    if (alternatives && !alternatives.includes(arg)) return `${synopsis.program}: "${arg}" is not one of ${alternatives.join(', ')}`;
  }
  return undefined;
}
