import { DatadogDouble } from '../src/datadog/datadog-double';
import { doublePerTest, NOW, post, v2 } from './double-client';

/** A count series (v2 type 1) of `metric` with `tags`. */
const count = (metric: string, points: Array<[number, number]>, tags: string[]) => v2(metric, points, { type: 1, interval: 10, tags });

describe('DatadogDouble count points', () => {
  const doubles = doublePerTest();
  let double: DatadogDouble;
  beforeEach(() => {
    double = doubles.current();
  });

  it('keeps the last write per series and timestamp, tags in any order, as Datadog does', async () => {
    await post(double, '/api/v2/series', count('c', [[NOW, 1]], ['a:x', 'i:1']));
    await post(double, '/api/v2/series', count('c', [[NOW, 3]], ['i:1', 'a:x']));
    await post(double, '/api/v2/series', count('c', [[NOW - 10, 2]], ['a:x', 'i:1']));

    expect(double.countTotals('c')).toEqual({ '': 5 });
    expect(double.countSeries('c')).toBe(1);
    // Every write is still a point accepted.
    expect(double.pointCount('c')).toBe(3);
  });

  it('sums over series, grouped by a tag key, and leaves gauges out', async () => {
    await post(double, '/api/v2/series', count('c', [[NOW, 4]], ['a:x', 'i:1']));
    await post(double, '/api/v2/series', count('c', [[NOW, 6]], ['a:x', 'i:2']));
    await post(double, '/api/v2/series', count('c', [[NOW, 1]], ['a:y', 'i:1']));
    await post(double, '/api/v2/series', count('c', [[NOW, 2]], ['i:1']));
    await post(double, '/api/v2/series', v2('c', [[NOW - 20, 100]], { tags: ['a:x'] }));

    expect(double.countTotals('c', 'a')).toEqual({ x: 10, y: 1, '': 2 });
    expect(double.countTotals('other')).toEqual({});
    double.clear();
    expect(double.countTotals('c')).toEqual({});
  });

  it('fails only bodies carrying a given metric when asked to', async () => {
    double.failNext(1, 415, { metric: 'g' });

    const other = await post(double, '/api/v2/series', count('c', [[NOW, 1]], []));
    const failed = await post(double, '/api/v2/series', v2('g', [[NOW, 1]]));
    const next = await post(double, '/api/v2/series', v2('g', [[NOW, 2]]));

    expect([other.status, failed.status, next.status]).toEqual([202, 415, 202]);
    expect(double.pointsFor('g').map((point) => point.value)).toEqual([2]);
  });
});
