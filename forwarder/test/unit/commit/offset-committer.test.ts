import { OffsetCommitter, type TopicPartitionOffset } from '../../../src/commit/offset-committer';

function committer(commitOffsets: (offsets: TopicPartitionOffset[]) => Promise<void>) {
  const events: string[] = [];
  return {
    events,
    committer: new OffsetCommitter({
      commitOffsets,
      onCommitted: () => events.push('ok'),
      onFailed: (e) => events.push(`failed: ${(e as Error).message}`),
    }),
  };
}

describe('OffsetCommitter', () => {
  it('commits the finished prefix of each partition, and only offsets that moved', async () => {
    const calls: TopicPartitionOffset[][] = [];
    const { committer: c } = committer(async (offsets) => void calls.push(offsets));
    const a = c.ledgerFor('t', 0);
    const b = c.ledgerFor('t', 1);
    expect(c.ledgerFor('t', 0)).toBe(a);
    a.register('5').release();
    const pending = b.register('9');
    await c.commit();
    await c.commit();
    pending.release();
    await c.commit();
    expect(calls).toEqual([[{ topic: 't', partition: 0, offset: '6' }], [{ topic: 't', partition: 1, offset: '10' }]]);
  });

  it('runs one commit at a time, and commits again after one under way', async () => {
    let release: () => void = () => undefined;
    const calls: TopicPartitionOffset[][] = [];
    const { committer: c } = committer((offsets) => {
      calls.push(offsets);
      return new Promise<void>((resolve) => (release = resolve));
    });
    const ledger = c.ledgerFor('t', 0);
    ledger.register('1').release();
    const first = c.commit();
    expect(c.commit()).toBe(first);
    ledger.register('2').release();
    const after = c.commitAfterPending();
    release();
    await first;
    await Promise.resolve();
    release();
    await after;
    expect(calls.map((offsets) => offsets[0].offset)).toEqual(['2', '3']);
  });

  it('forgets the previous generation: its offsets are never committed', async () => {
    const calls: TopicPartitionOffset[][] = [];
    const { committer: c } = committer(async (offsets) => void calls.push(offsets));
    const old = c.ledgerFor('t', 0).register('7');
    c.newGeneration();
    old.release();
    await c.commit();
    expect(calls).toEqual([]);
    c.ledgerFor('t', 0).register('3').release();
    await c.commit();
    expect(calls).toEqual([[{ topic: 't', partition: 0, offset: '4' }]]);
  });

  it('reports a failed commit and tries the same offsets again next time', async () => {
    let fail = true;
    const calls: TopicPartitionOffset[][] = [];
    const { committer: c, events } = committer(async (offsets) => {
      calls.push(offsets);
      if (fail) throw new Error('REBALANCE_IN_PROGRESS');
    });
    c.ledgerFor('t', 0).register('0').release();
    await c.commit();
    fail = false;
    await c.commit();
    expect(events).toEqual(['failed: REBALANCE_IN_PROGRESS', 'ok']);
    expect(calls).toHaveLength(2);
  });
});
