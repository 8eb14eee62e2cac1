import { COUNT_INTERVAL_SECONDS, FORWARDER_SETTINGS, parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import type { KafkaMessage } from 'kafkajs';
import { decodeInsight } from '../../../src/decode/decode';
import { Translator } from '../../../src/translate/translate';
import type { Point, PointDropReason } from '../../../src/translate/point';
import {
  packRecords,
  POINT_FIELDS,
  RecordTranslation,
  SeriesTable,
  translatorSettings,
  type TranslatedRecords,
} from '../../../src/translate/records';
import { CORPUS } from '../../corpus/bad-input';

const NOW_MS = 1_700_000_000_000;
const nowSeconds = (): number => NOW_MS / 1000;
const catalog = parseMetricDeclaration({ inferenceMetrics: [{ key: 'risk_score', unit: 'percent' }] });
const settings = translatorSettings(catalog, ['env:test'], false, FORWARDER_SETTINGS.maxSeries.default);

function message(value: string | Buffer | null, offset: number, timestampMs = NOW_MS - 1000): KafkaMessage {
  return {
    key: null,
    value: typeof value === 'string' ? Buffer.from(value) : value,
    timestamp: String(timestampMs),
    attributes: 0,
    offset: String(offset),
    headers: {},
  };
}

/** What decode and translate make of each message, one at a time: what the bulk call must equal. */
function oneByOne(messages: KafkaMessage[]) {
  const translator = new Translator({ catalog, staticTags: settings.staticTags, maxSeries: settings.maxSeries, nowSeconds });
  const points: { record: number; point: Point }[] = [];
  // Counts summed per series and interval, at the first record counted.
  const counts = new Map<string, { record: number; point: Point }>();
  const invalid: { index: number; reason: string }[] = [];
  const dropped: Partial<Record<PointDropReason, number>> = {};
  let timeFromRecord = 0;
  messages.forEach((m, index) => {
    const decoded = decodeInsight(m.value, Number(m.timestamp));
    if (!decoded.ok) {
      invalid.push({ index, reason: decoded.reason });
      return;
    }
    if (decoded.insight.timeFromRecord) timeFromRecord++;
    const translation = translator.translate(decoded.insight);
    for (const reason of translation.dropped) dropped[reason] = (dropped[reason] ?? 0) + 1;
    for (const numbered of translation.points) {
      // The bulk answer's series carry no number once resolved: compare them without.
      const { metric, kind, tags, unit } = numbered.series;
      const point = { ...numbered, series: { metric, kind, tags, unit } };
      if (point.series.kind !== 'count') {
        points.push({ record: index, point });
        continue;
      }
      const start = Math.floor(point.timestamp / COUNT_INTERVAL_SECONDS) * COUNT_INTERVAL_SECONDS;
      const key = `${point.series.metric} ${point.series.tags.join(',')} ${start}`;
      const sum = counts.get(key);
      if (sum) counts.set(key, { record: sum.record, point: { ...sum.point, value: sum.point.value + point.value } });
      else counts.set(key, { record: index, point: { series: point.series, timestamp: start, value: point.value } });
    }
  });
  return { points, counts: [...counts.values()], invalid, dropped, timeFromRecord };
}

/** The bulk answer with its series numbers resolved, as oneByOne reports. */
function resolved(records: TranslatedRecords, table = new SeriesTable()) {
  table.update(records);
  const read = (numbers: Float64Array) => {
    const entries: { record: number; point: Point }[] = [];
    for (let i = 0; i < numbers.length; i += POINT_FIELDS) {
      const series = table.get(numbers[i + 1]);
      entries.push({ record: numbers[i], point: { series, timestamp: numbers[i + 2], value: numbers[i + 3] } });
    }
    return entries;
  };
  return {
    points: read(records.points),
    counts: read(records.counts),
    invalid: records.invalid.map(({ index, reason }) => ({ index, reason })),
    dropped: records.dropped,
    timeFromRecord: records.timeFromRecord,
  };
}

describe('packRecords', () => {
  it('puts the values back to back, marks a record without value, keeps each record time', () => {
    const job = packRecords([message('{"a":1}', 0, 5), message(null, 1, 6), message('', 2, 7), message('xyz', 3, 8)]);
    expect(Buffer.from(job.values).toString()).toBe('{"a":1}xyz');
    expect([...job.ends]).toEqual([7, -1, 7, 10]);
    expect([...job.recordTimes]).toEqual([5, 6, 7, 8]);
  });
});

describe('RecordTranslation', () => {
  it('makes of every corpus record what decode and translate make of it one at a time', () => {
    const messages = CORPUS.map((c, i) => message(c.value(NOW_MS), i));
    const bulk = new RecordTranslation(settings, nowSeconds).translate(packRecords(messages));
    const expected = oneByOne(messages);
    expect(resolved(bulk)).toEqual(expected);
    // The corpus has every kind of bad record and dropped value, so this compares something.
    expect(expected.invalid.length).toBeGreaterThan(5);
    expect(Object.keys(expected.dropped).length).toBeGreaterThan(3);
    expect(bulk.invalid.every((entry) => entry.detail.length > 0)).toBe(true);
  });

  it('numbers each series once across jobs, and says to forget the numbers on its first answer', () => {
    const translation = new RecordTranslation(settings, nowSeconds);
    const insight = (algorithm: string, risk: number): string =>
      JSON.stringify({ algorithm_name: algorithm, time: '2023-11-14T22:13:10.000000', risk_score: risk, duration_milliseconds: 3 });
    const first = translation.translate(packRecords([message(insight('a', 0.1), 0), message(insight('a', 0.2), 1)]));
    const second = translation.translate(packRecords([message(insight('a', 0.3), 2), message(insight('b', 0.4), 3)]));
    expect(first.seriesReset).toBe(true);
    expect(first.newSeries.map((s) => [s.id, s.metric, s.tags])).toEqual([
      [0, 'algorithmia.risk_score', ['algorithm_name:a', 'env:test']],
      [1, 'algorithmia.duration_milliseconds', ['algorithm_name:a', 'env:test']],
      [2, 'algorithmia.executions', ['algorithm_name:a', 'env:test']],
    ]);
    expect(second.seriesReset).toBe(false);
    expect(second.newSeries.map((s) => s.id)).toEqual([3, 4, 5]);
    const table = new SeriesTable();
    const firstResolved = resolved(first, table);
    expect(firstResolved.points.map((p) => p.point.value)).toEqual([0.1, 3, 0.2, 3]);
    // Both records of algorithm a in one interval: one sum, held by the first record.
    expect(firstResolved.counts.map((c) => [c.record, c.point.series.metric, c.point.timestamp, c.point.value])).toEqual([
      [0, 'algorithmia.executions', 1_699_999_990, 2],
    ]);
    const laterResolved = resolved(second, table);
    const later = laterResolved.points;
    expect(later.map((p) => [p.record, p.point.series.tags[0], p.point.series.unit, p.point.value])).toEqual([
      [0, 'algorithm_name:a', 'percent', 0.3],
      [0, 'algorithm_name:a', 'millisecond', 3],
      [1, 'algorithm_name:b', 'percent', 0.4],
      [1, 'algorithm_name:b', 'millisecond', 3],
    ]);
    expect(laterResolved.counts.map((c) => [c.record, c.point.series.tags[0], c.point.series.unit, c.point.value])).toEqual([
      [0, 'algorithm_name:a', 'execution', 1],
      [1, 'algorithm_name:b', 'execution', 1],
    ]);
    // One object per series, so a batch groups its points by identity.
    expect(later[0].point.series).toBe(table.get(0));
  });

  it('holds any number of points per record', () => {
    const fields = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`m${i}`, i]));
    const wide = JSON.stringify({ time: '2023-11-14T22:13:10.000000', ...fields });
    const records = new RecordTranslation(settings, nowSeconds).translate(packRecords([message(wide, 0), message(wide, 1)]));
    expect(records.points.length / POINT_FIELDS).toBe(80);
  });
});
