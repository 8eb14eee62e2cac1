/**
 * The bench intake must never call a run good that was not: every expected point once, with the
 * tags, timestamp and value its message was produced with, in bodies Datadog would accept. These
 * tests feed it bodies shaped like the forwarder's (v2, gzip) and Telegraf's (v1, plain).
 */
import zlib, { deflateSync, gzipSync } from 'node:zlib';
import { decompress as fzstdDecompress } from 'fzstd';
import { EXECUTIONS_METRIC_NAME, expectedTags, OWN_METRICS_PREFIX, TRACKED_METRICS, VALUE_OFFSETS } from '../messages';
import { BenchIntake } from './intake';
import { PointLedger, type ExpectedRun } from './point-ledger';
import { verifyBody } from './verify-body';

const NOW_MS = Date.UTC(2026, 10, 25, 12, 0, 0);
const EXPECTED: ExpectedRun = { messages: 4, baseMs: NOW_MS - 60_000, algorithms: 2, versions: 2, inferenceMetrics: 2 };
const second = (id: number): number => Math.floor((EXPECTED.baseMs + id) / 1000);
const tagsOf = (id: number): string[] => expectedTags(id % 2, Math.floor(id / 2) % 2);

interface Point {
  id: number;
  slot: number;
  timestamp?: number;
  value?: number;
  tags?: string[];
}

/** The forwarder's shape: /api/v2/series, one series per (metric, tags), gzip. */
function v2Body(points: Point[]): Uint8Array {
  const series = points.map((p) => ({
    metric: TRACKED_METRICS[p.slot],
    type: 3,
    points: [{ timestamp: p.timestamp ?? second(p.id), value: p.value ?? p.id + VALUE_OFFSETS[p.slot] }],
    tags: p.tags ?? tagsOf(p.id),
  }));
  return gzipSync(JSON.stringify({ series }));
}

/** Telegraf's shape: /api/v1/series, [[t, v]] points, tags sorted, host "", uncompressed. */
function v1Body(points: Point[]): Uint8Array {
  const series = points.map((p) => ({
    metric: TRACKED_METRICS[p.slot],
    points: [[p.timestamp ?? second(p.id), p.value ?? p.id + VALUE_OFFSETS[p.slot]]],
    host: '',
    tags: [...(p.tags ?? tagsOf(p.id))].sort(),
    interval: 0,
  }));
  return Buffer.from(JSON.stringify({ series }));
}

const all = (ids: number[]): Point[] => ids.flatMap((id) => [0, 1, 2].map((slot) => ({ id, slot })));

describe('verifyBody', () => {
  it('counts a complete run from the forwarder and from Telegraf, exactly', () => {
    for (const [endpoint, encoding, body] of [
      ['v2/series', 'gzip', v2Body(all([0, 1, 2, 3]))],
      ['v1/series', 'identity', v1Body(all([0, 1, 2, 3]))],
    ] as const) {
      const ledger = new PointLedger(EXPECTED);
      expect(verifyBody(ledger, endpoint, encoding, body, NOW_MS)).toEqual({ decodedBytes: expect.any(Number), points: 12 });
      expect(ledger.summary()).toMatchObject({ expectedPoints: 12, unique: 12, lost: 0, duplicates: 0, mismatches: {} });
      expect(ledger.complete).toBe(true);
    }
  });

  it('reads every encoding the forwarder sends: gzip, zstd1 (when this Node can make it) and deflate on distributions', () => {
    const ledger = new PointLedger(EXPECTED);
    const json = Buffer.from(
      JSON.stringify({
        series: [{ metric: TRACKED_METRICS[0], type: 3, points: [{ timestamp: second(0), value: VALUE_OFFSETS[0] }], tags: tagsOf(0) }],
      }),
    );
    const zstdCompressSync = (zlib as unknown as { zstdCompressSync?: (input: Buffer) => Buffer }).zstdCompressSync;
    expect(verifyBody(ledger, 'v2/series', 'gzip', gzipSync(json), NOW_MS).points).toBe(1);
    if (zstdCompressSync) {
      const zstd = zstdCompressSync(json);
      expect(Buffer.from(fzstdDecompress(zstd)).equals(json)).toBe(true);
      expect(verifyBody(ledger, 'v2/series', 'zstd1', zstd, NOW_MS).points).toBe(1);
    }
    const distribution = JSON.stringify({
      series: [{ metric: TRACKED_METRICS[1], points: [[second(0), [VALUE_OFFSETS[1]]]], tags: tagsOf(0) }],
    });
    expect(verifyBody(ledger, 'v1/distribution_points', 'deflate', deflateSync(distribution), NOW_MS).points).toBe(1);
    expect(ledger.summary()).toMatchObject({ unique: 2, lost: 10, mismatches: {} });
  });

  it('counts lost points and duplicates', () => {
    const ledger = new PointLedger(EXPECTED);
    verifyBody(ledger, 'v2/series', 'gzip', v2Body(all([0, 1])), NOW_MS);
    verifyBody(ledger, 'v2/series', 'gzip', v2Body([{ id: 1, slot: 2 }]), NOW_MS);
    expect(ledger.summary()).toMatchObject({ unique: 6, lost: 6, duplicates: 1 });
    expect(ledger.complete).toBe(false);
  });

  it('sums execution counts as Datadog stores them (last write per series and timestamp), and sets the own metrics aside', () => {
    const ledger = new PointLedger(EXPECTED);
    const instance = (id: string) => [...tagsOf(0), `forwarder_instance:host.${id}`];
    ledger.record(EXECUTIONS_METRIC_NAME, -1, second(0), 2, instance('a'));
    ledger.record(EXECUTIONS_METRIC_NAME, -1, second(0), 5, instance('a')); // a running total sent again
    ledger.record(EXECUTIONS_METRIC_NAME, -1, second(0), 3, instance('b')); // another process: its own series
    ledger.record(EXECUTIONS_METRIC_NAME, -1, second(0) + 10, 1, instance('a'));
    ledger.record(`${OWN_METRICS_PREFIX}heartbeat`, -1, second(0), 1, instance('a'));
    expect(ledger.summary()).toMatchObject({ executions: 9, ownPoints: 1, received: 0, mismatches: {} });
  });

  it('sees a point whose timestamp, tags or value differ from its message, or that was never produced', () => {
    const ledger = new PointLedger(EXPECTED);
    verifyBody(
      ledger,
      'v2/series',
      'gzip',
      v2Body([
        { id: 0, slot: 0, timestamp: second(0) + 1 },
        { id: 1, slot: 0, tags: tagsOf(0) },
        { id: 2, slot: 1, value: 2.25 },
        { id: 3, slot: 0, value: 4 },
        { id: 3, slot: 0, tags: [...tagsOf(3), 'host:x'] },
      ]),
      NOW_MS,
    );
    const summary = ledger.summary();
    expect(summary.mismatches).toEqual({ wrong_timestamp: 1, wrong_tags: 2, wrong_value: 1, foreign_id: 1 });
    expect(summary.unique).toBe(0);
    expect(summary.examples[0]).toContain('wrong_timestamp');
  });

  it('refuses what Datadog would refuse: a fractional timestamp, a point outside the window, bad gzip, a field the model lacks', () => {
    const ledger = new PointLedger(EXPECTED);
    expect(verifyBody(ledger, 'v1/series', 'identity', v1Body([{ id: 0, slot: 0, timestamp: second(0) + 0.5 }]), NOW_MS).refused).toMatch(
      /integer seconds/,
    );
    expect(verifyBody(ledger, 'v2/series', 'gzip', v2Body([{ id: 0, slot: 0 }]), NOW_MS + 2 * 3600_000).refused).toMatch(/in the past/);
    expect(verifyBody(ledger, 'v2/series', 'gzip', Buffer.from('not gzip'), NOW_MS).refused).toMatch(/not valid gzip/);
    const unknownField = JSON.stringify({
      series: [{ metric: TRACKED_METRICS[0], type: 3, points: [{ timestamp: second(0), value: 1 }], colour: 'red' }],
    });
    expect(verifyBody(ledger, 'v2/series', 'identity', Buffer.from(unknownField), NOW_MS).refused).toMatch(
      /series\[0\]\.colour: unknown field/,
    );
    expect(ledger.summary().received).toBe(0);
  });

  it('counts each value of a distribution point', () => {
    const ledger = new PointLedger(EXPECTED);
    const body = JSON.stringify({ series: [{ metric: TRACKED_METRICS[0], points: [[second(0), [0]]], tags: tagsOf(0) }] });
    verifyBody(ledger, 'v1/distribution_points', 'identity', Buffer.from(body), NOW_MS);
    expect(ledger.summary()).toMatchObject({ unique: 1, received: 1 });
  });
});

describe('BenchIntake', () => {
  let intake: BenchIntake;
  beforeAll(async () => {
    intake = await BenchIntake.start('key');
  }, 30_000);
  afterAll(() => intake.close());

  it('answers 202 at once, then verifies off the request path; refuses a wrong key with 403', async () => {
    const baseMs = Date.now() - 60_000;
    await intake.reset({ messages: 2, baseMs, algorithms: 2, versions: 2, inferenceMetrics: 2 });
    const post = (path: string, body: Uint8Array, headers: Record<string, string>) =>
      fetch(`${intake.url}${path}`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });
    const series = (ids: number[]) =>
      ids.flatMap((id) =>
        [0, 1, 2].map((slot) => ({
          metric: TRACKED_METRICS[slot],
          points: [[Math.floor((baseMs + id) / 1000), id + VALUE_OFFSETS[slot]]],
          tags: tagsOf(id),
        })),
      );

    expect((await post('/api/v1/series', Buffer.from(JSON.stringify({ series: series([0]) })), { 'DD-API-KEY': 'wrong' })).status).toBe(
      403,
    );
    const deflated = deflateSync(JSON.stringify({ series: series([0]) }));
    const gzipped = gzipSync(JSON.stringify({ series: series([0]) }));
    expect((await post('/api/v1/distribution_points', gzipped, { 'DD-API-KEY': 'key', 'Content-Encoding': 'gzip' })).status).toBe(415);
    expect((await post('/api/v1/series', deflated, { 'DD-API-KEY': 'key', 'Content-Encoding': 'br' })).status).toBe(415);
    const validate = await fetch(`${intake.url}/api/v1/validate`, { headers: { 'DD-API-KEY': 'key' } });
    expect(await validate.json()).toEqual({ valid: true });
    const answered = await post('/api/v1/series?api_key=key', Buffer.from(JSON.stringify({ series: series([0, 1]) })), {});
    expect(answered.status).toBe(202);
    const summary = await intake.waitForAll(10_000, 10_000);
    expect(summary).toMatchObject({ complete: true, requests: 4, requestsByStatus: { 202: 1, 403: 1, 415: 2 }, refusedRequests: 0 });
    expect(summary.ledger).toMatchObject({ unique: 6, lost: 0, duplicates: 0, mismatches: {} });
    expect(summary.completedAtMs).toBeGreaterThan(0);
  }, 30_000);
});
