import { classifyResponse } from '../../../src/submit/datadog-client';

const headers = (values: Record<string, string> = {}) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });

describe('classifyResponse', () => {
  it.each([
    [202, { kind: 'accepted' }],
    [400, { kind: 'rejected', status: 400, detail: 'body', splittable: true }],
    [422, { kind: 'rejected', status: 422, detail: 'body', splittable: true }],
    // Not about some series: the same refusal for every half.
    [415, { kind: 'rejected', status: 415, detail: 'body', splittable: false }],
    [405, { kind: 'rejected', status: 405, detail: 'body', splittable: false }],
    [410, { kind: 'rejected', status: 410, detail: 'body', splittable: false }],
    [413, { kind: 'too_large' }],
    [408, { kind: 'retry', reason: 'http_408' }],
    [500, { kind: 'retry', reason: 'http_500' }],
    [503, { kind: 'retry', reason: 'http_503' }],
    // Not the body's fault: the key, the route, a proxy.
    [401, { kind: 'retry', reason: 'http_401' }],
    [403, { kind: 'retry', reason: 'http_403' }],
    [404, { kind: 'retry', reason: 'http_404' }],
    [407, { kind: 'retry', reason: 'http_407' }],
  ])('%i → %p', (status, expected) => {
    expect(classifyResponse(status, headers(), 'body')).toEqual(expected);
  });

  it('reads X-RateLimit-Reset on 429', () => {
    expect(classifyResponse(429, headers({ 'x-ratelimit-reset': '3' }), '')).toEqual({
      kind: 'retry',
      reason: 'http_429',
      retryAfterMs: 3000,
    });
    expect(classifyResponse(429, headers(), '')).toEqual({ kind: 'retry', reason: 'http_429' });
  });
});
