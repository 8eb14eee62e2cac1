import type { KafkaMessage } from 'kafkajs';
import type { Ack } from '../commit/offset-ledger';
import type { OncePerKind } from '../observe/logger';
import type { ForwarderMetrics } from '../observe/metrics';
import type { InvalidRecord } from '../translate/records';
import type { DeadLetterWriter } from './dead-letter';

export interface InvalidRecordsOptions {
  readonly metrics: ForwarderMetrics;
  readonly logOnce: OncePerKind;
  /** Where undecodable records go, when a dead-letter topic is set. */
  readonly deadLetters: DeadLetterWriter | undefined;
  /** Aborts dead-letter writes still retrying at shutdown. */
  readonly signal: AbortSignal;
  /** A dead-letter write finished (written or given up). */
  readonly onWritten: () => void;
}

/**
 * Records that cannot be decoded: counted, logged once per kind, and written to the dead-letter
 * topic when there is one. A dead-lettered record holds its offset until the write is acknowledged.
 */
export class InvalidRecords {
  private readonly writes = new Set<Promise<void>>();

  constructor(private readonly options: InvalidRecordsOptions) {}

  /** Whether `handle` needs the record itself (to write it to the dead-letter topic). */
  get keepsRecords(): boolean {
    return this.options.deadLetters !== undefined;
  }

  /** Dead-letter writes not yet acknowledged. */
  get pendingWrites(): number {
    return this.writes.size;
  }

  /** Settles when every write under way has finished. */
  async written(): Promise<void> {
    await Promise.allSettled([...this.writes]);
  }

  /** `message` may be left out when `keepsRecords` is false. */
  handle(topic: string, partition: number, message: KafkaMessage | undefined, ack: Ack, invalid: InvalidRecord): void {
    const { metrics, logOnce, deadLetters } = this.options;
    const { reason, detail } = invalid;
    metrics.messagesInvalid.labels(reason).inc();
    logOnce.warn(`invalid:${reason}`, { reason, detail, topic, partition, offset: ack.offset }, 'message cannot be decoded');
    if (!deadLetters || !message) return;
    ack.hold();
    const letter = {
      value: message.value,
      key: message.key ?? null,
      headers: message.headers,
      reason,
      detail,
      topic,
      partition,
      offset: message.offset,
    };
    const write: Promise<void> = deadLetters
      .write(letter, this.options.signal)
      .then(
        () => {
          metrics.messagesDeadLettered.inc();
          ack.release();
        },
        // Aborted at shutdown: the offset stays held, so the record is read again.
        () => undefined,
      )
      .finally(() => {
        this.writes.delete(write);
        this.options.onWritten();
      });
    this.writes.add(write);
  }
}
