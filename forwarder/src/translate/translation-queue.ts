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
  /** A sum of counts of one series and interval, first counted in record `record` (after the points). */
  count(record: number, series: Point['series'], timestamp: number, value: number): void;
  invalid(invalid: InvalidRecord): void;
  /** Then everything else the answer says (counts of dropped values, records timed by Kafka). */
  done(records: TranslatedRecords): void;
}

/** A translator and the series numbers of its answers. */
interface Route {
  readonly translator: RecordTranslator;
  readonly series: SeriesTable;
}

export interface TranslationQueueOptions {
  /** Where most records go: by default a worker thread. */
  readonly translator: RecordTranslator;
  /**
   * Where a handful of records go (fewer than `inlineBelow`): this thread, since handing a few
   * records to another thread costs more than decoding them (at steady, moderate rates most
   * fetches bring a few records per partition). @default translator (no split)
   */
  readonly inline?: RecordTranslator;
  /** @default 256 */
  readonly inlineBelow?: number;
  /** An answer was delivered or dropped: room for more. */
  readonly onSettled: () => void;
  readonly onFailed: (error: unknown) => void;
}

/**
 * The records handed to the translators and not answered yet: how many, how many points they
 * will likely add, and the answers delivered in the order the records came, with their series
 * resolved. A rebalance (`newGeneration`) drops the answers of records read before it.
 */
export class TranslationQueue {
  private readonly threaded: Route;
  private readonly inline: Route;
  private readonly inlineBelow: number;
  private readonly onSettled: () => void;
  private readonly onFailed: (error: unknown) => void;
  /** The last answer's delivery: each next one waits for it, so answers keep the records' order. */
  private tail: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<Promise<void>>();
  private generation = 0;
  private pendingBytes = 0;
  private pendingMessages = 0;
  /** Points per record in the last answer (at least 1). */
  private pointsPerRecord = 1;

  constructor(options: TranslationQueueOptions) {
    this.threaded = { translator: options.translator, series: new SeriesTable() };
    this.inline = options.inline ? { translator: options.inline, series: new SeriesTable() } : this.threaded;
    this.inlineBelow = options.inlineBelow ?? 256;
    this.onSettled = options.onSettled;
    this.onFailed = options.onFailed;
  }

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
    const route = count < this.inlineBelow ? this.inline : this.threaded;
    const translation = route.translator.translate(messages);
    const answered: Promise<void> = (this.tail = this.tail
      .then(() => translation)
      .then((records) => {
        // Series numbered in a dropped answer are used by later ones: always learnt.
        route.series.update(records);
        // After a rebalance kafkajs reads these again from the last commit.
        if (generation === this.generation) this.deliver(records, count, sink, route.series);
      })
      // A failed translation, or a fault in delivering it: the caller is told, nothing escapes.
      .catch(this.onFailed)
      .finally(() => {
        this.pendingBytes -= bytes;
        this.pendingMessages -= count;
        this.inFlight.delete(answered);
        this.onSettled();
      }));
    this.inFlight.add(answered);
  }

  private deliver(records: TranslatedRecords, messages: number, sink: TranslationSink, series: SeriesTable): void {
    const { points } = records;
    this.pointsPerRecord = Math.max(1, points.length / POINT_FIELDS / messages);
    for (let i = 0; i < points.length; i += POINT_FIELDS) {
      const record = points[i];
      sink.point(record, series.get(points[i + 1]), points[i + 2], points[i + 3]);
      if (points[i + POINT_FIELDS] !== record) sink.recordDone();
    }
    const { counts } = records;
    for (let i = 0; i < counts.length; i += POINT_FIELDS) sink.count(counts[i], series.get(counts[i + 1]), counts[i + 2], counts[i + 3]);
    for (const invalid of records.invalid) sink.invalid(invalid);
    sink.done(records);
  }
}
