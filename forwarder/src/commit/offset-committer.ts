import { OffsetLedger } from './offset-ledger';

export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface OffsetCommitterOptions {
  /** Commits to the group (kafkajs `consumer.commitOffsets`). */
  readonly commitOffsets: (offsets: TopicPartitionOffset[]) => Promise<void>;
  readonly onCommitted?: () => void;
  readonly onFailed?: (error: unknown) => void;
}

/**
 * The ledgers of the partitions this member owns in the current group generation, and their
 * commits: only offsets that moved, one commit at a time.
 */
export class OffsetCommitter {
  private ledgers = new Map<string, OffsetLedger>();
  private committed = new Map<string, string>();
  private committing: Promise<void> | undefined;

  constructor(private readonly options: OffsetCommitterOptions) {}

  ledgerFor(topic: string, partition: number): OffsetLedger {
    const key = `${topic}\u0000${partition}`;
    let ledger = this.ledgers.get(key);
    if (ledger === undefined) {
      ledger = new OffsetLedger(topic, partition);
      this.ledgers.set(key, ledger);
    }
    return ledger;
  }

  /**
   * A new group generation: offsets of the previous one are not ours to commit any more (their
   * messages are read again by whoever owns the partition now: at least once).
   */
  newGeneration(): void {
    this.ledgers = new Map();
    this.committed = new Map();
  }

  /** Commits every partition whose finished prefix moved since its last commit. */
  commit(): Promise<void> {
    this.committing ??= this.commitNow().finally(() => (this.committing = undefined));
    return this.committing;
  }

  /** Waits for a commit under way, then commits what finished since it computed its offsets. */
  async commitAfterPending(): Promise<void> {
    await this.committing;
    await this.commit();
  }

  private async commitNow(): Promise<void> {
    // A generation change during the await must not mix old offsets into the new maps.
    const ledgers = this.ledgers;
    const committed = this.committed;
    const offsets: TopicPartitionOffset[] = [];
    for (const [key, ledger] of ledgers) {
      const offset = ledger.committableOffset();
      if (offset !== undefined && committed.get(key) !== offset) offsets.push({ topic: ledger.topic, partition: ledger.partition, offset });
    }
    if (offsets.length === 0) return;
    try {
      await this.options.commitOffsets(offsets);
      for (const { topic, partition, offset } of offsets) committed.set(`${topic}\u0000${partition}`, offset);
      this.options.onCommitted?.();
    } catch (error) {
      // Typically a rebalance in progress; the next tick (or the next owner) commits.
      this.options.onFailed?.(error);
    }
  }
}
