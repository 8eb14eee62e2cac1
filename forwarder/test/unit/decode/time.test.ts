import { parseTimeSeconds } from '../../../src/decode/time';

describe('parseTimeSeconds', () => {
  it('reads the Insights form (no zone, microseconds) as UTC whatever the local zone', () => {
    expect(parseTimeSeconds('2021-02-20T00:21:54.867231')).toBe(1613780514);
    // Same second, served from the one-entry cache.
    expect(parseTimeSeconds('2021-02-20T00:21:54.000001')).toBe(1613780514);
    expect(parseTimeSeconds('2021-02-20T00:21:55.000001')).toBe(1613780515);
  });

  it('honours an explicit zone', () => {
    expect(parseTimeSeconds('2021-02-20T00:21:54Z')).toBe(1613780514);
    expect(parseTimeSeconds('2021-02-20T01:21:54+01:00')).toBe(1613780514);
    expect(parseTimeSeconds('2021-02-19T19:21:54.5-0500')).toBe(1613780514);
    expect(parseTimeSeconds('2021-02-20 00:21:54')).toBe(1613780514);
  });

  it('does not let the cache hide a zone in a 26-character string', () => {
    expect(parseTimeSeconds('2021-02-20T00:21:54.867231')).toBe(1613780514);
    expect(parseTimeSeconds('2021-02-20T00:21:54.8+0100')).toBe(1613780514 - 3600);
  });

  it('reads epoch seconds and milliseconds, as numbers or digit strings', () => {
    expect(parseTimeSeconds(1613780514)).toBe(1613780514);
    expect(parseTimeSeconds(1613780514.9)).toBe(1613780514);
    expect(parseTimeSeconds(1613780514867)).toBe(1613780514);
    expect(parseTimeSeconds('1613780514')).toBe(1613780514);
  });

  it.each([undefined, null, '', 'yesterday', '2021-13-01T00:00:00', '2021-02-20T25:00:00', -5, 0, Number.NaN, {}, true])(
    'refuses %p',
    (value) => {
      expect(parseTimeSeconds(value)).toBeUndefined();
    },
  );
});
