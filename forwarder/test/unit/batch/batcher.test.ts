import type { Batch } from '../../../src/batch/batch';
import { Batcher } from '../../../src/batch/batcher';
import { Ack } from '../../../src/commit/offset-ledger';
import { serializeSeries } from '../../../src/submit/payload';
import type { Point, Series } from '../../../src/translate/point';

const seriesByKey = new Map<string, Series>();

/** A point of the series (metric, kind, tags, unit), the same Series object for the same key. */
function point(metric: string, value: number, extra: Partial<Series> & { timestamp?: number } = {}): Point {
  const { timestamp = 1_700_000_000, tags = ['algorithm_name:a'], kind = 'gauge', unit } = extra;
  const key = JSON.stringify([metric, kind, tags, unit]);
  let series = seriesByKey.get(key);
  if (!series) {
    series = { metric, kind, tags, unit };
    seriesByKey.set(key, series);
  }
  return { series, timestamp, value };
}

/** One message's points, added as the forwarder adds them: one after another, then messageDone. */
function addMessage(batcher: Batcher, points: readonly Point[], ack: Ack): void {
  for (const { series, timestamp, value } of points) batcher.addPoint(series, timestamp, value, ack);
  batcher.messageDone();
}

describe('Batcher', () => {
  it('groups points by series and holds the message until the batch settles', () => {
    const batches: Batch[] = [];
    const batcher = new Batcher({ maxBatchBytes: 1_000_000, flushIntervalMs: 60_000, onBatch: (b) => batches.push(b) });
    const ack = new Ack('7');
    addMessage(batcher, [point('m.a', 1), point('m.b', 2), point('m.a', 3, { timestamp: 1_700_000_001 })], ack);
    ack.release();
    expect(ack.done).toBe(false);
    expect(batcher.bufferedPoints).toBe(3);
    batcher.flush();
    expect(batches).toHaveLength(1);
    expect(batches[0].pointCount).toBe(3);
    expect([...batches[0].series.values()].map((s) => [s.metric, [...s.values]])).toEqual([
      ['m.a', [1, 3]],
      ['m.b', [2]],
    ]);
    batches[0].settle();
    expect(ack.done).toBe(true);
  });

  it('sends distributions to their own batch, holding the message once per batch', () => {
    const batches: Batch[] = [];
    const batcher = new Batcher({ maxBatchBytes: 1_000_000, flushIntervalMs: 60_000, onBatch: (b) => batches.push(b) });
    const ack = new Ack('1');
    addMessage(batcher, [point('m.g', 1), point('m.d', 2, { kind: 'distribution' }), point('m.g2', 1)], ack);
    ack.release();
    batcher.flush();
    expect(batches.map((b) => [b.endpoint, b.pointCount])).toEqual([
      ['series', 2],
      ['distribution_points', 1],
    ]);
    batches[0].settle();
    expect(ack.done).toBe(false);
    batches[1].settle();
    expect(ack.done).toBe(true);
  });

  it('closes a batch when its size bound is reached, never splitting a message', () => {
    const batches: Batch[] = [];
    const batcher = new Batcher({ maxBatchBytes: 2_000, flushIntervalMs: 60_000, onBatch: (b) => batches.push(b) });
    for (let i = 0; i < 100; i++) addMessage(batcher, [point('m.a', i), point('m.b', i)], new Ack(String(i)));
    expect(batches.length).toBeGreaterThan(3);
    for (const batch of batches) {
      expect(batch.estimatedBytes).toBeLessThan(2_000 + 200);
      expect(batch.pointCount % 2).toBe(0);
      expect(serializeSeries([...batch.series.values()], batch.endpoint, 0).json.length).toBeLessThanOrEqual(batch.estimatedBytes);
    }
    batcher.flush();
  });

  it('flushes after the interval even when the batch is small', async () => {
    const closed = new Promise<Batch>((resolve) => {
      const batcher = new Batcher({ maxBatchBytes: 1_000_000, flushIntervalMs: 20, onBatch: resolve });
      addMessage(batcher, [point('m.a', 1)], new Ack('1'));
    });
    await expect(closed).resolves.toMatchObject({ pointCount: 1 });
  });

  describe('with an idle flush', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('sends a small batch early when the sender is idle, and waits the interval while it is busy', () => {
      let idle = false;
      const closedAt: number[] = [];
      const started = Date.now();
      const batcher = new Batcher({
        maxBatchBytes: 1_000_000,
        flushIntervalMs: 500,
        idleFlushMs: 100,
        senderIdle: () => idle,
        onBatch: () => closedAt.push(Date.now() - started),
      });
      addMessage(batcher, [point('m.a', 1)], new Ack('1'));
      jest.advanceTimersByTime(350);
      expect(closedAt).toEqual([]);
      idle = true;
      jest.advanceTimersByTime(100);
      expect(closedAt).toEqual([400]);

      // Busy the whole time: the batch waits the full interval, not longer.
      idle = false;
      const reopened = Date.now() - started;
      addMessage(batcher, [point('m.a', 2)], new Ack('2'));
      jest.advanceTimersByTime(499);
      expect(closedAt).toHaveLength(1);
      jest.advanceTimersByTime(1);
      expect(closedAt).toEqual([400, reopened + 500]);
    });
  });
});
