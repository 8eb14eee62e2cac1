import { FORWARDER_SETTINGS, parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import type { KafkaMessage } from 'kafkajs';
import { POINT_FIELDS, RecordTranslation, SeriesTable, translatorSettings } from '../../../src/translate/records';
import { SeriesRegistry, type NumberedSeries, type TrackedTagSet } from '../../../src/translate/series-registry';

function add(registry: SeriesRegistry, key: string, metric = 'm'): { tagSet: TrackedTagSet; series: NumberedSeries } {
  const tagSet = registry.tagSet(key, () => [`model:${key}`]);
  const series = registry.number(tagSet, (id) => ({ id, metric, kind: 'gauge', tags: tagSet.tags }));
  tagSet.series[0] = series;
  return { tagSet, series };
}

describe('SeriesRegistry', () => {
  it('never knows more series than its bound, forgetting a twentieth of it at a time', () => {
    const registry = new SeriesRegistry(1000);
    registry.startJob();
    for (let i = 0; i < 1000; i++) add(registry, `t${i}`);
    expect(registry.size).toBe(1000);
    expect(registry.forgottenInJob).toBe(0);
    registry.startJob();
    add(registry, 'one-more');
    expect(registry.size).toBe(951);
    expect(registry.forgottenInJob).toBe(50);
    for (let i = 0; i < 10_000; i++) {
      add(registry, `burst${i}`);
      expect(registry.size).toBeLessThanOrEqual(1000);
    }
  });

  it('keeps the tag sets used since the last sweep and forgets the idle ones', () => {
    const registry = new SeriesRegistry(1000);
    registry.startJob();
    const steady = Array.from({ length: 100 }, (_, i) => add(registry, `steady${i}`));
    for (let round = 0; round < 50; round++) {
      // The steady models send in every round; each round also brings 100 tag sets never seen again.
      for (let i = 0; i < 100; i++) expect(registry.tagSet(`steady${i}`, () => []).series[0]).toBe(steady[i].series);
      for (let i = 0; i < 100; i++) add(registry, `once${round}-${i}`);
    }
    expect(registry.size).toBeLessThanOrEqual(1000);
  });

  it('reuses the numbers of forgotten series from the next job on, never within the job that forgot them', () => {
    const registry = new SeriesRegistry(1000);
    registry.startJob();
    for (let i = 0; i < 1000; i++) add(registry, `t${i}`);
    registry.startJob();
    const inJob = new Set<number>();
    for (let i = 0; i < 200; i++) inJob.add(add(registry, `new${i}`).series.id);
    expect(inJob.size).toBe(200);
    expect(Math.min(...inJob)).toBeGreaterThanOrEqual(1000);
    registry.startJob();
    expect(add(registry, 'next-job').series.id).toBeLessThan(1000);
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

  it("resolves every point to its own message's series while numbers are forgotten and reused", () => {
    const minimum = FORWARDER_SETTINGS.maxSeries.min;
    const translation = new RecordTranslation(translatorSettings(catalog, ['env:test'], false, minimum), () => NOW_MS / 1000);
    const table = new SeriesTable();
    let forgotten = 0;
    let checked = 0;
    // 3 series per model (2 values and its count): 10 jobs of 500 models, each model seen twice.
    for (let job = 0; job < 10; job++) {
      const models = Array.from({ length: 500 }, (_, i) => ((job * 500 + i) * 7919) % 3000);
      const records = translation.translateMessages([...models, ...models].map((model, offset) => record(model, offset)));
      table.update(records);
      forgotten += records.seriesForgotten;
      expect(records.seriesKnown).toBeLessThanOrEqual(minimum);
      for (let i = 0; i < records.points.length; i += POINT_FIELDS) {
        const model = [...models, ...models][records.points[i]];
        const series = table.get(records.points[i + 1]);
        expect(series.tags).toContain(`algorithm_name:model_${model}`);
        expect(Math.floor(records.points[i + 3])).toBe(model);
        checked++;
      }
      // A model forgotten between its two records is counted under two numbers: the sums still add up.
      const executions = new Map<number, number>();
      for (let i = 0; i < records.counts.length; i += POINT_FIELDS) {
        const model = [...models, ...models][records.counts[i]];
        expect(table.get(records.counts[i + 1]).tags).toContain(`algorithm_name:model_${model}`);
        executions.set(model, (executions.get(model) ?? 0) + records.counts[i + 3]);
      }
      expect([...executions.values()]).toEqual(models.map(() => 2));
    }
    expect(checked).toBe(10 * 1000 * 2);
    expect(forgotten).toBeGreaterThan(3000);
  });
});
