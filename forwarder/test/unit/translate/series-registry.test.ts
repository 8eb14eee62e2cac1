import { FORWARDER_SETTINGS, parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import type { KafkaMessage } from 'kafkajs';
import { POINT_FIELDS, RecordTranslation, SeriesTable, translatorSettings } from '../../../src/translate/records';
import { IDLE_SECONDS, SeriesRegistry, type NumberedSeries, type TrackedTagSet } from '../../../src/translate/series-registry';

/** Adds one series of tag set `key` at `now`; undefined when refused. */
function add(registry: SeriesRegistry, key: string, now: number): NumberedSeries | undefined {
  const tagSet: TrackedTagSet = registry.tagSet(key, () => [`model:${key}`], now);
  const series = tagSet.series[0] ?? registry.number(tagSet, (id) => ({ id, metric: 'm', kind: 'gauge', tags: tagSet.tags }));
  tagSet.series[0] = series;
  return series;
}

describe('SeriesRegistry', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000));

  it('refuses new series past its bound while every known one is in use, and keeps nothing of them', () => {
    const registry = new SeriesRegistry(1000, clock);
    registry.startJob();
    for (let i = 0; i < 1000; i++) expect(add(registry, `t${i}`, now)).toBeDefined();
    now += 10;
    for (let i = 0; i < 10_000; i++) expect(add(registry, `burst${i}`, now)).toBeUndefined();
    expect([registry.size, registry.tagSetCount, registry.forgottenInJob]).toEqual([1000, 1000, 0]);
    // The known ones still have theirs.
    expect(add(registry, 't5', now)?.tags).toEqual(['model:t5']);
  });

  it(`forgets tag sets unused for ${IDLE_SECONDS} s to make room, a twentieth of the bound at a time, and keeps the ones in use`, () => {
    const registry = new SeriesRegistry(1000, clock);
    registry.startJob();
    for (let i = 0; i < 900; i++) add(registry, `old${i}`, now);
    const steady = Array.from({ length: 100 }, (_, i) => add(registry, `steady${i}`, now));
    now += IDLE_SECONDS + 1;
    for (let i = 0; i < 100; i++) expect(add(registry, `steady${i}`, now)).toBe(steady[i]);
    registry.startJob();
    expect(add(registry, 'new', now)).toBeDefined();
    expect([registry.size, registry.forgottenInJob]).toEqual([951, 50]);
    for (let i = 0; i < 2000; i++) add(registry, `more${i}`, now);
    // Every old one forgotten, every steady one kept, the rest refused.
    expect(registry.size).toBe(1000);
    for (let i = 0; i < 100; i++) expect(add(registry, `steady${i}`, now)).toBe(steady[i]);
  });

  it('reuses the numbers of forgotten series from the next job on, never within the job that forgot them', () => {
    const registry = new SeriesRegistry(1000, clock);
    registry.startJob();
    for (let i = 0; i < 1000; i++) add(registry, `t${i}`, now);
    now += IDLE_SECONDS + 1;
    registry.startJob();
    const inJob = new Set<number>();
    for (let i = 0; i < 200; i++) inJob.add((add(registry, `new${i}`, now) as NumberedSeries).id);
    expect(inJob.size).toBe(200);
    expect(Math.min(...inJob)).toBeGreaterThanOrEqual(1000);
    registry.startJob();
    expect(add(registry, 'next-job', now)?.id).toBeLessThan(1000);
  });
});

describe('RecordTranslation past FORWARDER_MAX_SERIES', () => {
  const NOW_MS = 1_700_000_000_000;
  const catalog = parseMetricDeclaration({ inferenceMetrics: [{ key: 'risk_score' }] });

  function record(model: number, offset: number): KafkaMessage {
    const value = JSON.stringify({
      algorithm_name: `model_${model}`,
      algorithm_version: '1.0.0',
      time: '2023-11-14T22:13:10.000000',
      risk_score: model + 0.5,
      duration_milliseconds: model,
    });
    return { key: null, value: Buffer.from(value), timestamp: String(NOW_MS), attributes: 0, offset: String(offset), headers: {} };
  }

  it("resolves every point to its own message's series while numbers are forgotten and reused; refuses the rest", () => {
    const minimum = FORWARDER_SETTINGS.maxSeries.min;
    let nowSeconds = NOW_MS / 1000;
    const translation = new RecordTranslation(translatorSettings(catalog, ['env:test'], false, minimum), () => nowSeconds);
    const table = new SeriesTable();
    let forgotten = 0;
    let refused = 0;
    // 3 series per model (2 values and its count): 10 jobs of 500 models (more than the bound
    // holds), each model twice, a job a minute apart (the last job's models are idle by then).
    for (let job = 0; job < 10; job++) {
      const models = Array.from({ length: 500 }, (_, i) => ((job * 500 + i) * 7919) % 3000);
      const records = translation.translateMessages([...models, ...models].map((model, offset) => record(model, offset)));
      table.update(records);
      forgotten += records.seriesForgotten;
      expect(records.seriesKnown).toBeLessThanOrEqual(minimum);
      const sent = new Map<number, number>();
      for (let i = 0; i < records.points.length; i += POINT_FIELDS) {
        const model = [...models, ...models][records.points[i]];
        expect(table.get(records.points[i + 1]).tags).toContain(`algorithm_name:model_${model}`);
        expect(Math.floor(records.points[i + 3])).toBe(model);
        sent.set(model, (sent.get(model) ?? 0) + 1);
      }
      const executions = new Map<number, number>();
      for (let i = 0; i < records.counts.length; i += POINT_FIELDS) {
        const model = [...models, ...models][records.counts[i]];
        expect(table.get(records.counts[i + 1]).tags).toContain(`algorithm_name:model_${model}`);
        executions.set(model, (executions.get(model) ?? 0) + records.counts[i + 3]);
      }
      // Every value and execution is sent or counted as refused (a model at the edge of the bound
      // may keep some of its series and not others).
      const executed = [...executions.values()].reduce((a, b) => a + b, 0);
      expect(records.points.length / POINT_FIELDS + executed + (records.dropped.series_limit ?? 0)).toBe(3000);
      expect([...sent.values()].every((values) => values <= 4)).toBe(true);
      expect([...executions.values()].every((count) => count === 2)).toBe(true);
      refused += records.dropped.series_limit ?? 0;
      nowSeconds += IDLE_SECONDS + 1;
    }
    expect(forgotten).toBeGreaterThan(2000);
    expect(refused).toBeGreaterThan(3000);
  });
});
