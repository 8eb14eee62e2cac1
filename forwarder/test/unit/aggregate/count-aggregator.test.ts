import { FORWARDER_SETTINGS } from '@algorithmia-datadog/metric-declaration';
import type { Batch } from '../../../src/batch/batch';
import { CountAggregator } from '../../../src/aggregate/count-aggregator';
import { Ack } from '../../../src/commit/offset-ledger';
import type { PointDropReason, Series } from '../../../src/translate/point';

const NOW = 1_700_000_000;
const INSTANCE = 'forwarder_instance:host.abc123';
const series = (algorithm: string): Series => ({
  metric: 'algorithmia.executions',
  kind: 'count',
  // The translator adds the instance tag to the execution count (translate.ts).
  tags: [`algorithm_name:${algorithm}`, INSTANCE],
  unit: 'execution',
});
const accepted = (batch: Batch) => batch.settle();

function aggregator(maxBuckets: number = FORWARDER_SETTINGS.maxSeries.default) {
  const sent: Batch[] = [];
  const dropped: [PointDropReason, number][] = [];
  const counts = new CountAggregator({
    flushIntervalMs: 60_000,
    maxBatchBytes: 1_000_000,
    send: (batch) => sent.push(batch),
    onDropped: (reason, executions) => dropped.push([reason, executions]),
    maxBuckets,
    nowSeconds: () => NOW,
  });
  return { counts, sent, dropped };
}

/** A batch's points as [tags, timestamp, total]. */
const totals = (batch: Batch) => [...batch.series.values()].flatMap((s) => s.timestamps.map((t, i) => [s.tags.join(','), t, s.values[i]]));

describe('CountAggregator', () => {
  afterEach(() => jest.useRealTimers());

  it('sends running totals per series and 10 s bucket under the instance tag, again only for touched buckets', () => {
    const { counts, sent } = aggregator();
    const a = series('a');
    // Two series objects naming one series (two translator threads) count together.
    for (const t of [NOW - 21, NOW - 19, NOW - 11]) counts.add(a, t, 1, new Ack('0'));
    counts.add({ ...a }, NOW - 12, 1, new Ack('1'));
    counts.add(series('b'), NOW - 5, 1, new Ack('2'));
    counts.flush();
    expect(sent).toHaveLength(1);
    expect(totals(sent[0])).toEqual([
      [`algorithm_name:a,${INSTANCE}`, NOW - 30, 1],
      [`algorithm_name:a,${INSTANCE}`, NOW - 20, 3],
      [`algorithm_name:b,${INSTANCE}`, NOW - 10, 1],
    ]);
    expect([...sent[0].series.values()][0].kind).toBe('count');
    accepted(sent[0]);

    counts.add(a, NOW - 15, 1, new Ack('3'));
    counts.flush();
    // The whole total of the bucket touched, which overwrites the 3 sent before.
    expect(totals(sent[1])).toEqual([[`algorithm_name:a,${INSTANCE}`, NOW - 20, 4]]);
  });

  it('holds each message until the batch with its total settles, and sends one batch at a time', async () => {
    const { counts, sent } = aggregator();
    const first = new Ack('0');
    counts.add(series('a'), NOW, 1, first);
    first.release(); // the forwarder's own hold, let go once the message's points were handed on
    counts.flush();
    const second = new Ack('1');
    counts.add(series('a'), NOW, 1, second);
    second.release();
    counts.flush();
    // The first batch is in flight: the second total waits, so it cannot land before the first.
    expect(sent).toHaveLength(1);
    expect([first.done, second.done]).toEqual([false, false]);
    let drained = false;
    const whenDrained = counts.drained().then(() => (drained = true));

    accepted(sent[0]);
    expect(first.done).toBe(true);
    expect(sent).toHaveLength(2);
    expect(totals(sent[1])).toEqual([[`algorithm_name:a,${INSTANCE}`, NOW, 2]]);
    await Promise.resolve();
    expect(drained).toBe(false);
    accepted(sent[1]);
    await whenDrained;
    expect(second.done).toBe(true);
  });

  it('flushes on its own after the flush interval', () => {
    jest.useFakeTimers();
    const { counts, sent } = aggregator();
    counts.add(series('a'), NOW, 1, new Ack('0'));
    jest.advanceTimersByTime(59_999);
    expect(sent).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(sent).toHaveLength(1);
    counts.close();
  });

  it('evicts the oldest bucket past its bound, and never starts an evicted bucket again from 0', () => {
    const { counts, sent, dropped } = aggregator(2);
    const old = new Ack('0');
    counts.add(series('a'), NOW - 30, 1, old);
    counts.add(series('a'), NOW - 30, 1, new Ack('1'));
    counts.add(series('b'), NOW - 20, 1, new Ack('2'));
    counts.add(series('c'), NOW - 10, 1, new Ack('3'));
    expect(dropped).toEqual([['count_evicted', 2]]);
    expect(counts.liveBuckets).toBe(2);
    old.release();
    expect(old.done).toBe(true);
    // A total for it may have been sent: a new one from 0 would overwrite it with less.
    counts.add(series('z'), NOW - 35, 1, new Ack('4'));
    expect(dropped).toEqual([
      ['count_evicted', 2],
      ['count_evicted', 1],
    ]);
    counts.flush();
    expect(totals(sent[0]).map(([, t]) => t)).toEqual([NOW - 20, NOW - 10]);
  });

  it("drops executions whose bucket is past Datadog's window", () => {
    const { counts, sent, dropped } = aggregator();
    counts.add(series('a'), NOW - 3600, 1, new Ack('0'));
    counts.flush();
    expect(dropped).toEqual([['too_old', 1]]);
    expect(sent).toHaveLength(0);
  });
});
