/**
 * The bench's messages are its ground truth: the default shape must stay the bytes every earlier
 * result was measured on, and a larger shape must name and value each metric so that the intake
 * can tell every point of every message apart.
 */
import {
  DEFAULT_INFERENCE_METRICS,
  insightJson,
  MAX_INFERENCE_METRICS,
  pointsPerMessage,
  POINTS_PER_MESSAGE,
  tagSetOf,
  TRACKED_METRICS,
  trackedMetrics,
  VALUE_OFFSETS,
  valueOffsets,
} from './messages';

const EPOCH_MS = Date.UTC(2026, 10, 25, 12, 0, 0, 123);

describe('insightJson', () => {
  it('writes the default shape exactly as the bench always has', () => {
    expect(insightJson(123_457, EPOCH_MS)).toBe(
      '{"risk_score":123457.5,"confidence":123457.25,"duration_milliseconds":123457,"algorithm_version":"1.1.2",' +
        '"session_id":"rses-0001e241-5556-4aeb-a6d2-89493626bf4f","time":"2026-11-25T12:00:00.123000","algorithm_name":"algo_1",' +
        '"request_id":"req-0001e241-a1cd-431c-a43a-bd2a06f4a6f4","algorithm_owner":"owner_1"}',
    );
    expect(insightJson(123_457, EPOCH_MS, { inferenceMetrics: DEFAULT_INFERENCE_METRICS })).toBe(insightJson(123_457, EPOCH_MS));
    expect([TRACKED_METRICS, VALUE_OFFSETS, POINTS_PER_MESSAGE]).toEqual([
      ['algorithmia.duration_milliseconds', 'algorithmia.risk_score', 'algorithmia.confidence'],
      [0, 0.5, 0.25],
      3,
    ]);
  });

  it.each([1, 2, 10, MAX_INFERENCE_METRICS])(
    'carries %i inference metrics, each the tracked metric of its slot with its value',
    (count) => {
      const shape = { inferenceMetrics: count };
      const id = 987_654;
      const fields = Object.entries(JSON.parse(insightJson(id, EPOCH_MS, shape)) as Record<string, unknown>).filter(
        ([, value]) => typeof value === 'number',
      );
      const metrics = trackedMetrics(shape);
      const offsets = valueOffsets(shape);
      expect(fields).toHaveLength(pointsPerMessage(shape));
      expect(fields.map(([key]) => `algorithmia.${key}`).sort()).toEqual([...metrics].sort());
      for (const [key, value] of fields) expect(value).toBe(id + offsets[metrics.indexOf(`algorithmia.${key}`)]);
    },
  );

  it('names the metrics past the first two inference_3 … inference_25, with distinct exact fractions below 1', () => {
    const shape = { inferenceMetrics: MAX_INFERENCE_METRICS };
    expect(trackedMetrics(shape).slice(3)).toEqual(Array.from({ length: 23 }, (_, i) => `algorithmia.inference_${i + 3}`));
    const offsets = valueOffsets(shape);
    expect(new Set(offsets).size).toBe(offsets.length);
    // The largest ids a bench produces still floor to themselves and give back the offset exactly.
    for (const id of [0, 1, 999_999, 9_999_999])
      for (const offset of offsets) {
        expect(Math.floor(id + offset)).toBe(id);
        expect(id + offset - id).toBe(offset);
      }
  });

  it('refuses a shape Insights cannot send', () => {
    expect(() => insightJson(1, EPOCH_MS, { inferenceMetrics: 0 })).toThrow(/from 1 to 25/);
    expect(() => trackedMetrics({ inferenceMetrics: MAX_INFERENCE_METRICS + 1 })).toThrow(/from 1 to 25/);
    expect(() => pointsPerMessage({ inferenceMetrics: 2.5 })).toThrow(/integer/);
  });
});

describe('tagSetOf', () => {
  it.each([
    [24, 3],
    [240, 3],
    [24_000, 3],
  ])('gives the first algorithms x versions ids (%i x %i) every tag set once', (algorithms, versions) => {
    const seen = new Uint8Array(algorithms * versions);
    for (let id = 0; id < algorithms * versions; id++) {
      const { algorithm, version } = tagSetOf(id, { algorithms, versions });
      seen[algorithm * versions + version]++;
    }
    expect(seen.every((n) => n === 1)).toBe(true);
  });
});
