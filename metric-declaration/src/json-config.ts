import Ajv, { type ErrorObject } from 'ajv';
import type { JsonSyntaxError } from './json-text';

/**
 * Problems of a JSON config file users edit: those of its text (json-text.ts) at line and column,
 * and JSON Schema problems as sentences that name the key path (`environments.prod.durationMonitor.warning`) and
 * say what to write instead. Shared by config/metrics.json (here and in the forwarder) and
 * config/environments.json (the CDKTF app), so both files speak the same way.
 */

/** One thing wrong with a config file, at a JSON key path (`''` for the whole file). */
export interface ConfigProblem {
  /** `environments.prod.tags[0]`; empty for the file as a whole. */
  readonly path: string;
  /** The same path as keys, e.g. `['environments', 'prod', 'tags', '0']`. */
  readonly segments: readonly string[];
  /** For a JSON syntax error: where the parser stopped, 1-based. */
  readonly line?: number;
  readonly column?: number;
  /** Reads after the path: `must be a number (got "5000"): write it without quotes.` */
  readonly message: string;
}

/** `environments.prod.tags[0] must be ...`, or the message alone for the file as a whole. */
export function describeProblem(problem: ConfigProblem): string {
  if (problem.line !== undefined) return `line ${problem.line}, column ${problem.column}: ${problem.message}`;
  if (problem.path === '') return problem.message;
  return problem.message.startsWith(':') ? `${problem.path}${problem.message}` : `${problem.path} ${problem.message}`;
}

/** `config/environments.json: environments.prod.tags[0] must be ...`; `file:line:column: ...` for syntax. */
export function formatProblem(file: string, problem: ConfigProblem): string {
  if (problem.line !== undefined) return `${file}:${problem.line}:${problem.column}: ${problem.message}`;
  return `${file}: ${describeProblem(problem)}`;
}

/** A problem of the text (syntax, encoding, a key twice) at its line and column. */
export function syntaxProblem(error: JsonSyntaxError): ConfigProblem {
  return { path: '', segments: error.segments, line: error.line, column: error.column, message: error.reason };
}

/** Extra words a schema may carry for the user, next to `description`. */
interface SchemaHints {
  readonly errorMessage?: string;
  readonly examples?: readonly unknown[];
  readonly properties?: Record<string, SchemaHints>;
  readonly enum?: readonly unknown[];
}

/**
 * Compiles a JSON Schema (draft-07) into a checker that returns every problem of a document at
 * once, one per key path. `errorMessage` in the schema is the sentence shown for a `pattern`,
 * `minimum` or similar failure of that value (VS Code shows the same text in the editor).
 */
export function schemaChecker(schema: object): (document: unknown) => ConfigProblem[] {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, strictTypes: false, allowUnionTypes: true });
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  const validate = ajv.compile(schema);
  return (document) => {
    if (validate(document)) return [];
    const problems: ConfigProblem[] = [];
    const seen = new Set<string>();
    for (const error of validate.errors ?? []) {
      const problem = toProblem(error, document);
      if (!problem) continue;
      // One problem per key path: ajv can report a value under several keywords.
      if (seen.has(problem.path)) continue;
      seen.add(problem.path);
      problems.push(problem);
    }
    return problems;
  };
}

function toProblem(error: ErrorObject, document: unknown): ConfigProblem | undefined {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path = keyPath(document, segments);
  const subject = path === '' ? 'the top level ' : '';
  const parent = (error.parentSchema ?? {}) as SchemaHints;
  const got = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value));
  const join = (base: string, key: string) => (base === '' ? key : `${base}.${key}`);
  switch (error.keyword) {
    case 'if':
    case 'anyOf':
    case 'oneOf':
    case 'propertyNames':
      return undefined; // the failing branch reports its own, more precise, error
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      const example = parent.properties?.[missing]?.examples?.[0];
      return {
        path: join(path, missing),
        segments: [...segments, missing],
        message: `is missing${example !== undefined ? `: add it, e.g. "${missing}": ${JSON.stringify(example)}` : ''}.`,
      };
    }
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(parent.properties ?? {}).filter((key) => !key.startsWith('$'));
      const suggestion = closest(extra, known);
      return {
        path: join(path, extra),
        segments: [...segments, extra],
        message:
          `is not a known setting${suggestion ? `: did you mean "${suggestion}"?` : '.'}` +
          (known.length > 0 ? ` Known settings here: ${known.join(', ')}.` : ' Remove it.'),
      };
    }
    case 'type': {
      const expected = String((error.params as { type: string | string[] }).type)
        .split(',')
        .map((type) => TYPE_WORDS[type] ?? type)
        .join(' or ');
      const hint =
        typeof error.data === 'string' && expected.includes('number') && Number.isFinite(Number(error.data))
          ? `: write ${error.data} without quotes`
          : typeof error.data === 'string' && expected.includes('list')
            ? `: write ["${error.data}"]`
            : parent.errorMessage !== undefined
              ? `: ${parent.errorMessage.replace(/\.$/, '')}`
              : '';
      return { path, segments, message: `${subject}must be ${expected} (got ${got(error.data)})${hint}.` };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      const suggestion =
        typeof error.data === 'string'
          ? closest(
              error.data,
              allowed.filter((v): v is string => typeof v === 'string'),
            )
          : undefined;
      return {
        path,
        segments,
        message: `${got(error.data)} is not allowed${suggestion ? `: did you mean ${JSON.stringify(suggestion)}?` : '.'} Use one of ${allowed.map((value) => JSON.stringify(value)).join(', ')}.`,
      };
    }
    default: {
      if (error.propertyName !== undefined) {
        return {
          path: join(path, error.propertyName),
          segments: [...segments, error.propertyName],
          message: `is not an allowed name here: ${parent.errorMessage ?? `${error.message}.`}`,
        };
      }
      return { path, segments, message: `${subject}${got(error.data)}: ${parent.errorMessage ?? `${error.message}.`}` };
    }
  }
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  integer: 'a whole number',
  string: 'a string in double quotes',
  boolean: 'true or false',
  object: 'an object ({ ... })',
  array: 'a list ([ ... ])',
  null: 'null',
};

/** `environments.prod.tags[0]` from the segments of a JSON Pointer, using the document for arrays. */
function keyPath(document: unknown, segments: readonly string[]): string {
  let path = '';
  let value = document;
  for (const segment of segments) {
    if (Array.isArray(value)) {
      path += `[${segment}]`;
      value = value[Number(segment)];
    } else {
      path += path === '' ? segment : `.${segment}`;
      value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

/** The known name a misspelt one was probably meant to be (a few letters off). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
