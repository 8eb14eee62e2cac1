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
const totals = (batch: Batch) =>
  [...batch.series.values()].flatMap((s) => [...s.timestamps].map((t, i) => [s.tags.join(','), t, s.values[i]]));

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

  it('forgets the oldest sent bucket past its bound, and opens it again a second later instead of overwriting its total', () => {
    const { counts, sent, dropped } = aggregator(2);
    counts.add(series('a'), NOW - 30, 2, new Ack('0'));
    counts.add(series('b'), NOW - 20, 1, new Ack('1'));
    counts.flush();
    accepted(sent[0]);
    counts.add(series('c'), NOW - 10, 1, new Ack('2'));
    // a's bucket (sent) made room: nothing was lost.
    expect([dropped, counts.liveBuckets]).toEqual([[], 2]);
    // A late message for it: a point of its own at NOW - 29, which Datadog adds to the 2 at NOW - 30.
    counts.add(series('a'), NOW - 25, 1, new Ack('3'));
    counts.flush();
    expect(totals(sent[1])).toEqual([
      [`algorithm_name:c,${INSTANCE}`, NOW - 10, 1],
      [`algorithm_name:a,${INSTANCE}`, NOW - 29, 1],
    ]);
    expect(dropped).toEqual([]);
    counts.close();
  });

  it('drops only what it never sent: a bucket forgotten unsent, or one opened again past its ten seconds', () => {
    const unsent = aggregator(1);
    const held = new Ack('0');
    unsent.counts.add(series('a'), NOW - 30, 2, held);
    unsent.counts.add(series('b'), NOW - 20, 1, new Ack('1'));
    // Nothing was sent yet: the oldest goes with its executions, counted, and its message let go.
    expect(unsent.dropped).toEqual([['count_evicted', 2]]);
    held.release();
    expect(held.done).toBe(true);
    unsent.counts.close();

    const { counts, sent, dropped } = aggregator(1);
    const send = (of: Series, at: number) => {
      counts.add(of, at, 1, new Ack('x'));
      counts.flush();
      if (sent.length > 0) accepted(sent[sent.length - 1]);
    };
    for (let round = 0; round < 12; round++) {
      send(series('a'), NOW - 40);
      // Another series makes a's bucket go (alternating starts, so its own stay within their ten).
      send(series(`z${round}`), NOW - 20 + (round % 2) * 10);
    }
    const aAt = sent.flatMap((batch) => totals(batch)).filter(([tags]) => String(tags).startsWith('algorithm_name:a,'));
    // NOW - 40, then each later second of its interval once; the 11th and 12th are dropped.
    expect(aAt.map(([, t]) => t)).toEqual(Array.from({ length: 10 }, (_, i) => NOW - 40 + i));
    expect(dropped).toEqual([
      ['count_evicted', 1],
      ['count_evicted', 1],
    ]);
    counts.close();
  });

  it("drops executions whose bucket is past Datadog's window", () => {
    const { counts, sent, dropped } = aggregator();
    counts.add(series('a'), NOW - 3600, 1, new Ack('0'));
    counts.flush();
    expect(dropped).toEqual([['too_old', 1]]);
    expect(sent).toHaveLength(0);
  });
});
