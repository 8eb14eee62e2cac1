import { RetryPolicy } from '../../../src/common/retry-policy';

describe('RetryPolicy', () => {
  it('grows exponentially with jitter inside [step/2, step], capped', () => {
    const low = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0 });
    const high = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 20].map((n) => low.delayMs(n))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 20].map((n) => high.delayMs(n))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('waits at least until the rate limit resets', () => {
    const policy = new RetryPolicy({ baseDelayMs: 100, random: () => 0.5 });
    expect(policy.delayMs(1, 7_000)).toBeGreaterThanOrEqual(7_000);
    expect(policy.delayMs(1, 7_000)).toBeLessThanOrEqual(8_000);
  });
});
