/**
 * The ledger follows the shape of the run: as many points per message as its metrics, as many
 * tag sets as its algorithms x versions. Points are made here as Telegraf makes them, from the
 * messages themselves (every numeric field a point named algorithmia.<field>, tagged with the
 * three tag keys, stamped with the time field), so the messages and the ledger are held to agree.
 */
import { gzipSync } from 'node:zlib';
import { EXECUTIONS_METRIC_NAME, insightJson, trackedMetrics, valueOffsets } from '../messages';
import { PointLedger, type ExpectedRun } from './point-ledger';
import { verifyBody } from './verify-body';

const NOW_MS = Date.UTC(2026, 10, 25, 12, 0, 0);
const BASE_MS = NOW_MS - 60_000;
const TAG_KEYS = ['algorithm_name', 'algorithm_owner', 'algorithm_version'] as const;

interface SeriesPoint {
  metric: string;
  tags: string[];
  timestamp: number;
  value: number;
}

/** The points of message `id` (stamped BASE_MS + id), made from its JSON as Telegraf does. */
function pointsOf(id: number, expected: ExpectedRun): SeriesPoint[] {
  const message = JSON.parse(insightJson(id, BASE_MS + id, expected)) as Record<string, string | number>;
  const tags = TAG_KEYS.map((key) => `${key}:${message[key]}`);
  const timestamp = Math.floor(Date.parse(`${message.time as string}Z`) / 1000);
  return Object.entries(message)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([key, value]) => ({ metric: `algorithmia.${key}`, tags, timestamp, value }));
}

function recordAll(ledger: PointLedger, points: readonly SeriesPoint[]): void {
  for (const p of points) ledger.record(p.metric, ledger.tagSetOf(p.tags), p.timestamp, p.value, p.tags);
}

const run = (shape: Pick<ExpectedRun, 'messages' | 'algorithms' | 'inferenceMetrics'>): ExpectedRun => ({
  baseMs: BASE_MS,
  versions: 3,
  ...shape,
});

describe('PointLedger shapes', () => {
  it.each([2, 10, 25])('expects 1 + %i points per message and completes on exactly those', (inferenceMetrics) => {
    const expected = run({ messages: 50, algorithms: 4, inferenceMetrics });
    const ledger = new PointLedger(expected);
    for (let id = 0; id < expected.messages; id++) recordAll(ledger, pointsOf(id, expected));
    expect(ledger.summary()).toMatchObject({
      expectedPoints: 50 * (1 + inferenceMetrics),
      unique: 50 * (1 + inferenceMetrics),
      lost: 0,
      duplicates: 0,
      mismatches: {},
    });
    expect(ledger.complete).toBe(true);
  });

  it('refuses a metric the shape does not have, and a value of another slot', () => {
    const expected = run({ messages: 10, algorithms: 4, inferenceMetrics: 25 });
    const ledger = new PointLedger(expected);
    const [point] = pointsOf(3, expected);
    const confidence = 3 + valueOffsets(expected)[trackedMetrics(expected).indexOf('algorithmia.confidence')];
    ledger.record('algorithmia.inference_26', ledger.tagSetOf(point.tags), point.timestamp, 3.5, point.tags);
    ledger.record('algorithmia.inference_16', ledger.tagSetOf(point.tags), point.timestamp, confidence, point.tags);
    expect(ledger.summary().mismatches).toEqual({ untracked_metric: 1, wrong_value: 1 });

    const defaultShape = new PointLedger(run({ messages: 10, algorithms: 4, inferenceMetrics: 2 }));
    defaultShape.record('algorithmia.inference_3', defaultShape.tagSetOf(point.tags), point.timestamp, 3.546875, point.tags);
    expect(defaultShape.summary().mismatches).toEqual({ untracked_metric: 1 });
  });

  it('tells 72 000 tag sets apart: every message once complete, a neighbour tag set wrong', () => {
    const expected = run({ messages: 72_000, algorithms: 24_000, inferenceMetrics: 2 });
    const ledger = new PointLedger(expected);
    for (let id = 0; id < expected.messages; id++) recordAll(ledger, pointsOf(id, expected));
    expect(ledger.summary()).toMatchObject({ unique: 72_000 * 3, lost: 0, duplicates: 0, mismatches: {} });
    const [point] = pointsOf(5, expected);
    const neighbour = pointsOf(6, expected)[0].tags;
    ledger.record(point.metric, ledger.tagSetOf(neighbour), point.timestamp, point.value, neighbour);
    expect(ledger.summary().mismatches).toEqual({ wrong_tags: 1 });
  });

  it('sums execution counts per series and timestamp across bodies that repeat the series', () => {
    const expected = run({ messages: 10, algorithms: 4, inferenceMetrics: 2 });
    const ledger = new PointLedger(expected);
    const count = (tags: string[], timestamp: number, value: number) => ({
      metric: EXECUTIONS_METRIC_NAME,
      type: 1,
      interval: 10,
      points: [{ timestamp, value }],
      tags,
    });
    const tagsA = ['algorithm_name:algo_0', 'forwarder_instance:a'];
    const tagsB = ['algorithm_name:algo_1', 'forwarder_instance:a'];
    const second = Math.floor(BASE_MS / 1000);
    const body = (series: unknown[]): Uint8Array => gzipSync(JSON.stringify({ series }));
    verifyBody(ledger, 'v2/series', 'gzip', body([count(tagsA, second, 2), count(tagsB, second, 1)]), NOW_MS);
    // The same series again in a later body (a new tags array): a running total replaces the last.
    verifyBody(ledger, 'v2/series', 'gzip', body([count([...tagsA].reverse(), second, 4), count(tagsA, second + 10, 1)]), NOW_MS);
    expect(ledger.summary()).toMatchObject({ executions: 6, mismatches: {} });
  });
});
