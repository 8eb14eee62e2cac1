import { decodeInsight } from '../../../src/decode/decode';

const RECORD_TIME_MS = 1_700_000_000_123;
const documented = {
  risk_score: 0.2,
  duration_milliseconds: 8,
  algorithm_version: '1.0.6',
  session_id: 'rses-f28bb94a-5556-4aeb-a6d2-89493626bf4f',
  time: '2021-02-20T00:21:54.867231',
  algorithm_name: 'credit_card_approval',
  request_id: 'req-9f5345b4-a1cd-431c-a43a-bd2a06f4a6f4',
  algorithm_owner: 'asli',
};

function decode(value: string | Buffer | null) {
  return decodeInsight(typeof value === 'string' ? Buffer.from(value) : value, RECORD_TIME_MS);
}

describe('decodeInsight', () => {
  it('separates operational fields from candidate metrics in the documented payload', () => {
    const result = decode(JSON.stringify(documented));
    expect(result).toEqual({
      ok: true,
      insight: {
        algorithmName: 'credit_card_approval',
        algorithmOwner: 'asli',
        algorithmVersion: '1.0.6',
        requestId: 'req-9f5345b4-a1cd-431c-a43a-bd2a06f4a6f4',
        sessionId: 'rses-f28bb94a-5556-4aeb-a6d2-89493626bf4f',
        timestamp: 1613780514,
        timeFromRecord: false,
        fields: { risk_score: 0.2, duration_milliseconds: 8 },
      },
    });
  });

  it('keeps going without operational fields, stamping with the record time', () => {
    const result = decode('{"risk_score":1}');
    expect(result.ok && result.insight).toMatchObject({
      algorithmName: undefined,
      timestamp: 1_700_000_000,
      timeFromRecord: true,
      fields: { risk_score: 1 },
    });
  });

  it('accepts `timestamp` in place of `time`, and numbers as versions', () => {
    const result = decode('{"timestamp":1613780514000,"algorithm_version":2,"x":1}');
    expect(result.ok && result.insight).toMatchObject({ timestamp: 1613780514, algorithmVersion: '2', timeFromRecord: false });
  });

  it('reads Python-style NaN and Infinity so other metrics survive', () => {
    const result = decode('{"a":NaN,"b":-Infinity,"c":1,"s":"NaN in a string"}');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.insight.fields.a).toBeNaN();
    expect(result.insight.fields.b).toBe(Number.NEGATIVE_INFINITY);
    expect(result.insight.fields.c).toBe(1);
    expect(result.insight.fields.s).toBe('NaN in a string');
  });

  it('reads non-ASCII text (the original died on it)', () => {
    const result = decode('{"algorithm_name":"modèle_crédit","score":0.5}');
    expect(result.ok && result.insight.algorithmName).toBe('modèle_crédit');
  });

  it.each([
    [null, 'empty'],
    ['', 'empty'],
    [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'not_utf8'],
    ['{"a":', 'not_json'],
    ['{"a":nan}', 'not_json'],
    ['[1,2]', 'not_an_object'],
    ['null', 'not_an_object'],
    ['42', 'not_an_object'],
  ])('refuses %p as %s', (value, reason) => {
    const result = decode(value);
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok || result.detail.length > 0).toBe(true);
  });

  it('keeps a "__proto__" key as an ordinary field, never as a prototype', () => {
    const result = decode('{"__proto__":{"injected":1},"a":1}');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.insight.fields)).toEqual(['__proto__', 'a']);
    const inherited: string[] = [];
    for (const key in result.insight.fields) inherited.push(key);
    expect(inherited).toEqual(['__proto__', 'a']);
    expect((result.insight.fields as Record<string, unknown>).injected).toBeUndefined();
  });

  it('fails with no_time when neither the message nor the record has a time', () => {
    expect(decodeInsight(Buffer.from('{"a":1}'), Number.NaN)).toMatchObject({ ok: false, reason: 'no_time' });
  });
});
