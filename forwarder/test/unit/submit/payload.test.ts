import type { MetricKind } from '@algorithmia-datadog/metric-declaration';
import type { SeriesPoints } from '../../../src/batch/batch';
import { serializeSeries, splitSeries } from '../../../src/submit/payload';
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
