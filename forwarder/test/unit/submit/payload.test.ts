import type { MetricKind } from '@algorithmia-datadog/metric-declaration';
import type { SeriesPoints } from '../../../src/batch/batch';
import { serializeSeries, splitSeries, timeOrder } from '../../../src/submit/payload';
import { SERIES_WIRE, V2_METRIC_TYPES, v2TypeOf } from '../../../src/submit/wire-format';

/** One series' points, as a batch holds them: [timestamp, value] pairs in arrival order. */
function series(metric: string, points: Array<[number, number]>, extra: { kind?: MetricKind; tags?: string[]; unit?: string } = {}) {
  const { kind = 'gauge', tags = ['algorithm_name:a'], unit } = extra;
  return { metric, kind, tags, unit, timestamps: points.map(([t]) => t), values: points.map(([, v]) => v) } satisfies SeriesPoints;
}

describe('serializeSeries', () => {
  it('writes the v2 series body Datadog documents, the type from the series kind', () => {
    const payload = serializeSeries(
      [
        series(
          'm.a',
          [
            [1_700_000_000, 1.5],
            [1_700_000_001, 2],
          ],
          { unit: 'millisecond' },
        ),
      ],
      'series',
      0,
    );
    expect(JSON.parse(payload.json)).toEqual({
      series: [
        {
          metric: 'm.a',
          type: 3,
          points: [
            { timestamp: 1_700_000_000, value: 1.5 },
            { timestamp: 1_700_000_001, value: 2 },
          ],
          tags: ['algorithm_name:a'],
          unit: 'millisecond',
        },
      ],
    });
    expect(payload.pointCount).toBe(2);
  });

  it('writes distribution points with values of one second together', () => {
    const distribution = series(
      'm.d',
      [
        [1_700_000_010, 1],
        [1_700_000_010, 2],
        [1_700_000_011, 3],
      ],
      { kind: 'distribution' },
    );
    expect(JSON.parse(serializeSeries([distribution], 'distribution_points', 0).json)).toEqual({
      series: [
        {
          metric: 'm.d',
          points: [
            [1_700_000_010, [1, 2]],
            [1_700_000_011, [3]],
          ],
          tags: ['algorithm_name:a'],
        },
      ],
    });
  });

  it('leaves out points older than the window and counts them', () => {
    const old = series('m.a', [
      [100, 1],
      [200, 2],
    ]);
    expect(serializeSeries([old], 'series', 150)).toMatchObject({ pointCount: 1, tooOld: 1 });
  });

  it('keeps JSON valid for extreme numbers and unicode tags', () => {
    const tags = ['algorithm_name:modèle_"x"'];
    const extreme = series(
      'm.a',
      [
        [1_700_000_000, 1e308],
        [1_700_000_000, -0],
      ],
      { tags },
    );
    const body = JSON.parse(serializeSeries([extreme], 'series', 0).json);
    expect(body.series[0].points.map((p: { value: number }) => p.value)).toEqual([1e308, 0]);
    expect(body.series[0].tags).toEqual(tags);
  });
});

describe('points in time order', () => {
  it('writes each v2 series by time, points of one second in their arrival order, old ones still left out', () => {
    // Two partitions' runs, as a batch holds them: 10, 12, 12 then 11, 12, 13.
    const arrived = series('m.a', [
      [10, 1],
      [12, 2],
      [12, 3],
      [11, 4],
      [12, 5],
      [13, 6],
      [5, 7],
    ]);
    const payload = serializeSeries([arrived], 'series', 10);
    const points = (JSON.parse(payload.json) as { series: Array<{ points: Array<{ timestamp: number; value: number }> }> }).series[0]
      .points;
    expect(points.map((p) => [p.timestamp, p.value])).toEqual([
      [10, 1],
      [11, 4],
      [12, 2],
      [12, 3],
      [12, 5],
      [13, 6],
    ]);
    expect(payload).toMatchObject({ pointCount: 6, tooOld: 1 });
  });

  it('orders the same way whether it counts (whole seconds, short span) or compares (long span, fractions)', () => {
    let seed = 7;
    const random = (below: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % below;
    const cases = [
      Array.from({ length: 500 }, () => 1_800_000_000 + random(40)),
      Array.from({ length: 50 }, () => 1_800_000_000 + random(100_000)),
      Array.from({ length: 50 }, () => 1_800_000_000 + random(40) / 4),
    ];
    for (const timestamps of cases) {
      const expected = timestamps
        .map((t, i) => [t, i])
        .sort((a, b) => a[0] - b[0] || a[1] - b[1])
        .map(([, i]) => i);
      expect(Array.from(timeOrder(timestamps) ?? [])).toEqual(expected);
      expect(timeOrder(Float64Array.from(timestamps))).toEqual(timeOrder(timestamps));
    }
  });

  it('leaves points already in order as they are', () => {
    expect(timeOrder([1, 2, 2, 3])).toBeUndefined();
    expect(timeOrder([])).toBeUndefined();
  });
});

describe('the series type on the wire', () => {
  it("comes from each kind's entry, sent to the endpoint the kind goes to", () => {
    expect(v2TypeOf('gauge')).toBe(V2_METRIC_TYPES.gauge);
    expect(SERIES_WIRE.distribution.endpoint).toBe('distribution_points');
    expect(() => v2TypeOf('distribution')).toThrow('a distribution series does not go to /api/v2/series');
  });
});

describe('splitSeries', () => {
  it('halves by series, then by points, and stops at one point, each half keeping its series', () => {
    const many = [1, 2, 3].map((i) => series(`m${i}`, [[i, i]]));
    expect(splitSeries(many)?.map((h) => h.length)).toEqual([2, 1]);
    const one = [
      series(
        'm',
        [
          [1, 1],
          [2, 2],
          [3, 3],
        ],
        { kind: 'distribution', unit: 'second' },
      ),
    ];
    const halves = splitSeries(one);
    expect(halves?.map((h) => h[0].values)).toEqual([[1, 2], [3]]);
    expect(halves?.map(([h]) => [h.metric, h.kind, h.tags, h.unit])).toEqual([
      ['m', 'distribution', ['algorithm_name:a'], 'second'],
      ['m', 'distribution', ['algorithm_name:a'], 'second'],
    ]);
    expect(splitSeries([series('m', [[1, 1]])])).toBeUndefined();
  });
});
