import { readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { parse, printParseErrorCode, visit, type JSONPath, type ParseError } from 'jsonc-parser';

/**
 * The text of a JSON config file users edit, read strictly: what `JSON.parse` would accept but
 * silently get wrong (a key written twice keeps only its last value, `1e400` becomes Infinity, a
 * Latin-1 file becomes garbled titles) is refused here, at a line and column, as a syntax error is.
 */

/** Something wrong with the text itself, with the 1-based line and column where it is. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    /** The whole sentence after `file:line:column: `. */
    readonly reason: string,
    /** Key path of the object the problem is in, when it is about a key or value. @default [] */
    readonly segments: readonly string[] = [],
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'JsonSyntaxError';
  }
}

/** Reads a config file as UTF-8 JSON; throws `JsonSyntaxError` for the text, the fs error otherwise. */
export function readJsonFile(path: string): unknown {
  return parseJsonText(decodeJsonBytes(readFileSync(path)));
}

/** UTF-8 without a byte order mark, as JSON (RFC 8259) and the forwarder's ConfigMap expect. */
export function decodeJsonBytes(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff) || looksUtf16(buffer)) {
    throw new JsonSyntaxError(1, 1, 'the file is UTF-16 encoded: save it as UTF-8.');
  }
  const text = buffer.toString('utf8');
  if (isUtf8(buffer)) return text;
  // Everything before the first replacement character was decoded as it is, so its position holds.
  const index = text.indexOf('\uFFFD');
  const offset = Buffer.byteLength(text.slice(0, index));
  const { line, column } = position(text, index);
  const byte = `0x${buffer[offset].toString(16).toUpperCase().padStart(2, '0')}`;
  throw new JsonSyntaxError(
    line,
    column,
    `byte ${byte} is not UTF-8: the file looks Latin-1 or Windows-1252 encoded (its accented letters would be deployed garbled): save it as UTF-8.`,
  );
}

/** ASCII-range text in UTF-16 without a BOM has a NUL byte in every other position. */
function looksUtf16(buffer: Buffer): boolean {
  return buffer.length >= 2 && (buffer[0] === 0 || buffer[1] === 0);
}

/**
 * Strict JSON: no comments, no trailing comma, no key twice in one object, every number finite.
 * On a syntax error jsonc-parser finds where, since V8's messages do not always carry the position.
 */
export function parseJsonText(text: string): unknown {
  if (text.startsWith('\uFEFF')) {
    throw new JsonSyntaxError(1, 1, 'the file starts with a byte order mark (UTF-8 with BOM): save it as UTF-8 without BOM.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw syntaxError(text, error as Error);
  }
  checkKeysAndNumbers(text);
  return value;
}

function syntaxError(text: string, error: Error): JsonSyntaxError {
  const errors: ParseError[] = [];
  parse(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const first = errors[0];
  const offset = first?.offset ?? 0;
  const { line, column } = position(text, offset);
  const before = text.slice(0, offset);
  const previous = before.trimEnd().slice(-1);
  const found = text.slice(offset).trimStart();
  const reason =
    first === undefined ? error.message : syntaxReason(printParseErrorCode(first.error), previous, found, offset >= text.trimEnd().length);
  return new JsonSyntaxError(line, column, `not valid JSON: ${reason}`);
}

function syntaxReason(code: string, previous: string, rest: string, atEnd: boolean): string {
  const found = rest.slice(0, 1);
  if (atEnd && previous === '') return 'the file is empty: it must hold a JSON object ({ ... }).';
  if (atEnd) return 'the file ends too early: a closing } or ] is missing.';
  if (previous === ',' && (found === '}' || found === ']'))
    return `unexpected "${found}" after a comma: remove the comma (JSON allows no trailing comma).`;
  const notANumber = /^-?(Infinity|NaN)\b/.exec(rest);
  if (notANumber) return `${notANumber[0]} is not a JSON number: write a finite number.`;
  switch (code) {
    case 'CommaExpected':
      return `a comma is missing before ${found === '"' ? 'the next key or value' : `"${found}"`}.`;
    case 'ColonExpected':
      return 'a ":" is missing between the key and its value.';
    case 'PropertyNameExpected':
      return `expected a key in double quotes here, found "${found}" (JSON keys use double quotes).`;
    case 'InvalidSymbol':
    case 'ValueExpected':
      return `expected a value here (a number, "text" in double quotes, true, false, null, [ ] or { }), found "${found}".`;
    case 'UnexpectedEndOfString':
      return 'a string is not closed on its line: add the closing double quote.';
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return 'JSON allows no comments: use a "$comment" key instead.';
    default:
      return `${code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}.`;
  }
}

/** Throws at the first key written twice in one object, or the first number too large for a double. */
function checkKeysAndNumbers(text: string): void {
  // One entry per open object: its keys and the line each was first written on.
  const objects: Map<string, number>[] = [];
  let problem: JsonSyntaxError | undefined;
  visit(text, {
    onObjectBegin: () => {
      objects.push(new Map());
    },
    onObjectEnd: () => {
      objects.pop();
    },
    onObjectProperty: (key, _offset, _length, line, character, pathSupplier) => {
      const keys = objects[objects.length - 1];
      const first = keys.get(key);
      if (first === undefined) keys.set(key, line + 1);
      else problem ??= duplicateKey(key, line + 1, character + 1, first, pathSupplier());
    },
    onLiteralValue: (value, offset, length, line, character, pathSupplier) => {
      if (typeof value !== 'number' || Number.isFinite(value) || problem) return;
      const path = pathSupplier();
      problem = new JsonSyntaxError(
        line + 1,
        character + 1,
        `${path.length > 0 ? `${dotted(path)}: ` : ''}the number ${text.slice(offset, offset + length)} is too large to be represented (the largest is about 1.8e308): write a smaller number.`,
        path.map(String),
      );
    },
  });
  if (problem) throw problem;
}

function duplicateKey(key: string, line: number, column: number, firstLine: number, objectPath: JSONPath): JsonSyntaxError {
  const inObject = objectPath.length === 0 ? 'at the top level' : `in ${dotted(objectPath)}`;
  return new JsonSyntaxError(
    line,
    column,
    `key "${key}" appears twice ${inObject} (first at line ${firstLine}): JSON keeps only the last one, so the first would be ignored without a word. Rename or remove one of them.`,
    [...objectPath.map(String), key],
  );
}

/** `environments.prod.tags[0]`: numbers in a jsonc-parser path are list positions. */
function dotted(path: JSONPath): string {
  return path.reduce<string>(
    (text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text === '' ? segment : `${text}.${segment}`),
    '',
  );
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}
