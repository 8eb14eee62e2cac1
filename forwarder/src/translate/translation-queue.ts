import type { KafkaMessage } from 'kafkajs';
import type { Point } from './point';
import type { RecordTranslator } from './record-translator';
import { POINT_FIELDS, SeriesTable, type InvalidRecord, type TranslatedRecords } from './records';

/** What the receiver of an answer does with it, record by record. */
export interface TranslationSink {
  /** One point of record `record`; a record's points come one after another. */
  point(record: number, series: Point['series'], timestamp: number, value: number): void;
  /** The record's last point was given. */
  recordDone(): void;
  invalid(invalid: InvalidRecord): void;
  /** Then everything else the answer says (counts of dropped values, records timed by Kafka). */
  done(records: TranslatedRecords): void;
}

/**
 * The records handed to the translator and not answered yet: how many, how many points they
 * will likely add, and the answers delivered in order with their series resolved. A rebalance
 * (`newGeneration`) drops the answers of records read before it.
 */
export class TranslationQueue {
  private readonly series = new SeriesTable();
  private readonly inFlight = new Set<Promise<void>>();
  private generation = 0;
  private pendingBytes = 0;
  private pendingMessages = 0;
  /** Points per record in the last answer (at least 1). */
  private pointsPerRecord = 1;

  constructor(
    private readonly translator: RecordTranslator,
    private readonly onSettled: () => void,
    private readonly onFailed: (error: unknown) => void,
  ) {}

  /** Record value bytes being decoded. */
  get bytes(): number {
    return this.pendingBytes;
  }

  /** Points the records being decoded will likely add. */
  get expectedPoints(): number {
    return this.pendingMessages * this.pointsPerRecord;
  }

  get messages(): number {
    return this.pendingMessages;
  }

  newGeneration(): void {
    this.generation++;
  }

  /** Resolves when every answer under way was delivered (or dropped). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  add(messages: readonly KafkaMessage[], sink: TranslationSink): void {
    let bytes = 0;
    for (const message of messages) bytes += message.value?.length ?? 0;
    // Only numbers are kept meanwhile: the records themselves can go once packed.
    const count = messages.length;
    const generation = this.generation;
    this.pendingBytes += bytes;
    this.pendingMessages += count;
    const answered: Promise<void> = this.translator
      .translate(messages)
      .then((records) => {
        // Series numbered in a dropped answer are used by later ones: always learnt.
        this.series.update(records);
        // After a rebalance kafkajs reads these again from the last commit.
        if (generation === this.generation) this.deliver(records, count, sink);
      })
      // A failed translation, or a fault in delivering it: the caller is told, nothing escapes.
      .catch(this.onFailed)
      .finally(() => {
        this.pendingBytes -= bytes;
        this.pendingMessages -= count;
        this.inFlight.delete(answered);
        this.onSettled();
      });
    this.inFlight.add(answered);
  }

  private deliver(records: TranslatedRecords, messages: number, sink: TranslationSink): void {
    const { points } = records;
    this.pointsPerRecord = Math.max(1, points.length / POINT_FIELDS / messages);
    for (let i = 0; i < points.length; i += POINT_FIELDS) {
      const record = points[i];
      sink.point(record, this.series.get(points[i + 1]), points[i + 2], points[i + 3]);
      if (points[i + POINT_FIELDS] !== record) sink.recordDone();
    }
    for (const invalid of records.invalid) sink.invalid(invalid);
    sink.done(records);
  }
}
