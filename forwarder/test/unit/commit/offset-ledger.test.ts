import { OffsetLedger } from '../../../src/commit/offset-ledger';

describe('OffsetLedger', () => {
  it('commits only the finished prefix, whatever order messages finish in', () => {
    const ledger = new OffsetLedger('t', 0);
    const [a, b, c] = ['10', '11', '12'].map((o) => ledger.register(o));
    expect(ledger.committableOffset()).toBeUndefined();
    c.release();
    expect(ledger.committableOffset()).toBeUndefined();
    a.release();
    expect(ledger.committableOffset()).toBe('11');
    b.hold();
    b.release();
    expect(ledger.committableOffset()).toBe('11');
    b.release();
    expect(ledger.committableOffset()).toBe('13');
    expect(ledger.pending).toBe(0);
  });

  it('handles offsets past 2^53 and gaps left by compaction', () => {
    const ledger = new OffsetLedger('t', 0);
    ledger.register('9007199254740993').release();
    ledger.register('9007199254741000').release();
    expect(ledger.committableOffset()).toBe('9007199254741001');
  });

  it('stays correct while trimming a long finished prefix', () => {
    const ledger = new OffsetLedger('t', 0);
    const acks = Array.from({ length: 20_000 }, (_, i) => ledger.register(String(i)));
    for (const ack of acks.slice(0, 15_000)) ack.release();
    expect(ledger.committableOffset()).toBe('15000');
    for (const ack of acks.slice(15_000)) ack.release();
    expect(ledger.committableOffset()).toBe('20000');
    expect(ledger.pending).toBe(0);
  });
});
