import { decodeJsonBytes, JsonSyntaxError, parseJsonText } from '../src';

function refusal(action: () => unknown): Pick<JsonSyntaxError, 'line' | 'column' | 'reason' | 'segments'> {
  try {
    action();
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { line: error.line, column: error.column, reason: error.reason, segments: error.segments };
  }
  throw new Error('expected the text to be refused');
}

describe('parseJsonText', () => {
  it('reads strict JSON as JSON.parse does', () => {
    expect(parseJsonText('{"a": [1, 2.5, "é"], "b": {"a": null}}')).toEqual({ a: [1, 2.5, 'é'], b: { a: null } });
  });

  it('refuses a key written twice in one object, at the second one, naming the first', () => {
    const text = [
      '{',
      '  "environments": {',
      '    "staging": { "scope": "env:staging" },',
      '    "staging": { "scope": "env:prod" }',
      '  }',
      '}',
    ].join('\n');
    expect(refusal(() => parseJsonText(text))).toEqual({
      line: 4,
      column: 5,
      reason: expect.stringMatching(/^key "staging" appears twice in environments \(first at line 3\): .* Rename or remove one of them\.$/),
      segments: ['environments', 'staging'],
    });
  });

  it('allows the same key in different objects, and refuses a top-level duplicate', () => {
    expect(parseJsonText('{"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 1}, {"x": 2}]}')).toBeDefined();
    expect(refusal(() => parseJsonText('{"prefix": "a",\n"prefix": "b"}')).reason).toMatch(
      /^key "prefix" appears twice at the top level \(first at line 1\)/,
    );
  });

  it('names a key path with list positions', () => {
    expect(refusal(() => parseJsonText('{"m": [{"key": "a", "key": "b"}]}')).reason).toMatch(/^key "key" appears twice in m\[0\]/);
  });

  it('refuses a number too large for a double instead of reading it as Infinity', () => {
    expect(refusal(() => parseJsonText('{\n  "d": { "critical": 1e400 }\n}'))).toEqual({
      line: 2,
      column: 22,
      reason: 'd.critical: the number 1e400 is too large to be represented (the largest is about 1.8e308): write a smaller number.',
      segments: ['d', 'critical'],
    });
  });

  it('says that Infinity and NaN are not JSON numbers', () => {
    expect(refusal(() => parseJsonText('{"critical": -Infinity}')).reason).toBe(
      'not valid JSON: -Infinity is not a JSON number: write a finite number.',
    );
    expect(refusal(() => parseJsonText('{"critical": NaN}')).reason).toBe(
      'not valid JSON: NaN is not a JSON number: write a finite number.',
    );
  });

  it('keeps the syntax error messages at line and column', () => {
    expect(refusal(() => parseJsonText('{\n  "a": 1,\n}'))).toMatchObject({
      line: 3,
      column: 1,
      reason: 'not valid JSON: unexpected "}" after a comma: remove the comma (JSON allows no trailing comma).',
    });
  });
});

describe('decodeJsonBytes', () => {
  it('decodes UTF-8', () => {
    expect(decodeJsonBytes(Buffer.from('{"label": "équipe"}', 'utf8'))).toBe('{"label": "équipe"}');
  });

  it('names Latin-1 text, with the line and column of the first byte that is not UTF-8', () => {
    expect(refusal(() => decodeJsonBytes(Buffer.from('{\n  "label": "équipe"\n}', 'latin1')))).toMatchObject({
      line: 2,
      column: 13,
      reason: expect.stringMatching(/^byte 0xE9 is not UTF-8: the file looks Latin-1 or Windows-1252 encoded .*: save it as UTF-8\.$/),
    });
  });

  it('names UTF-16, with or without a byte order mark', () => {
    const utf16 = Buffer.from('{"a": 1}', 'utf16le');
    expect(refusal(() => decodeJsonBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]))).reason).toBe(
      'the file is UTF-16 encoded: save it as UTF-8.',
    );
    expect(refusal(() => decodeJsonBytes(utf16)).reason).toBe('the file is UTF-16 encoded: save it as UTF-8.');
    expect(refusal(() => decodeJsonBytes(Buffer.from(utf16).swap16())).reason).toBe('the file is UTF-16 encoded: save it as UTF-8.');
  });

  it('names a UTF-8 byte order mark when the text is parsed', () => {
    const text = decodeJsonBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a": 1}')]));
    expect(refusal(() => parseJsonText(text))).toMatchObject({
      line: 1,
      column: 1,
      reason: 'the file starts with a byte order mark (UTF-8 with BOM): save it as UTF-8 without BOM.',
    });
  });
});
