/**
 * Which Kafka offsets may be committed. A message's offset becomes committable only when every
 * batch holding one of its points has settled (accepted, or deliberately dropped) — and every
 * message before it in the partition too. That is the whole at-least-once rule.
 */

/** A claim on one message: the message is done when every hold is released. */
export class Ack {
  private holds = 1;

  constructor(readonly offset: string) {}

  /** One more thing (a batch, a dead-letter send) must finish before this message is done. */
  hold(): void {
    this.holds++;
  }

  release(): void {
    if (this.holds > 0) this.holds--;
  }

  get done(): boolean {
    return this.holds === 0;
  }
}

/** The acks of one topic-partition in offset order. */
export class OffsetLedger {
  private readonly acks: Ack[] = [];
  private head = 0;
  private lastDoneOffset: string | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /**
   * Starts tracking a message, holding it once until the caller releases it after handing its
   * points to every batch. Offsets must be registered in increasing order.
   */
  register(offset: string): Ack {
    const ack = new Ack(offset);
    this.acks.push(ack);
    return ack;
  }

  /** The offset to commit (next to read), or undefined while the first message is unfinished. */
  committableOffset(): string | undefined {
    while (this.head < this.acks.length && this.acks[this.head].done) {
      this.lastDoneOffset = this.acks[this.head].offset;
      this.head++;
    }
    // Drop the finished prefix now and then so the array does not grow for ever.
    if (this.head > 4096 && this.head * 2 > this.acks.length) {
      this.acks.splice(0, this.head);
      this.head = 0;
    }
    return this.lastDoneOffset === undefined ? undefined : (BigInt(this.lastDoneOffset) + 1n).toString();
  }

  /** Messages registered and not yet done. */
  get pending(): number {
    this.committableOffset();
    return this.acks.length - this.head;
  }
}
