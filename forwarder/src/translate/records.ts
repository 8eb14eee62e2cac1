/**
 * Kafka records → points in bulk: decode and translate a partition's fetched records in one call,
 * with input and output in flat typed arrays so that the call can run in a worker thread
 * (translate-worker.ts) for the price of a copy. The points name their series by number; the
 * series themselves are sent once, when first seen.
 */
import { COUNT_INTERVAL_SECONDS, MetricCatalog, type MetricDefinition, type MetricKind } from '@algorithmia-datadog/metric-declaration';
import type { KafkaMessage } from 'kafkajs';
import { decodeInsight } from '../decode/decode';
import type { DecodeFailure } from '../decode/insight';
import type { PointDropReason, Series } from './point';
import { SERIES_ID_SPACE, type NumberedSeries } from './series-registry';
import { Translator } from './translate';

/** What the translator is made of, as plain data a worker thread can receive. */
export interface TranslatorSettings {
  readonly prefix: string;
  readonly onlyDeclared: boolean;
  readonly metrics: readonly MetricDefinition[];
  readonly staticTags: readonly string[];
  readonly tagRequestIds: boolean;
  /** FORWARDER_MAX_SERIES. */
  readonly maxSeries: number;
  /** Tags of the execution count only: the process's `forwarder_instance:…` (observe/instance.ts). */
  readonly executionTags: readonly string[];
}

export function translatorSettings(
  catalog: MetricCatalog,
  staticTags: readonly string[],
  tagRequestIds: boolean,
  maxSeries: number,
  executionTags: readonly string[] = [],
): TranslatorSettings {
  return {
    prefix: catalog.prefix,
    onlyDeclared: catalog.onlyDeclared,
    metrics: [...catalog.metrics],
    staticTags: [...staticTags],
    tagRequestIds,
    maxSeries,
    executionTags: [...executionTags],
  };
}

/** A partition's records, values back to back. */
export interface RecordsJob {
  readonly values: Uint8Array;
  /** Where each record's value ends in `values`; -1: the record has no value. */
  readonly ends: Int32Array;
  /** Each record's Kafka timestamp, ms (used when the message has no usable time). */
  readonly recordTimes: Float64Array;
}

export interface SeriesDefinition {
  readonly id: number;
  readonly metric: string;
  readonly kind: MetricKind;
  readonly tags: readonly string[];
  readonly unit?: string;
}

/** The points of a job's records, and what could not be sent. */
export interface TranslatedRecords {
  /** The series numbering restarted (a new translator): forget the earlier numbers. */
  readonly seriesReset: boolean;
  /** Series made by this job: new, or numbers reused for other series (the receiver overwrites them). */
  readonly newSeries: readonly SeriesDefinition[];
  /** Series forgotten during this job to stay within FORWARDER_MAX_SERIES. */
  readonly seriesForgotten: number;
  /** Series known after this job. */
  readonly seriesKnown: number;
  /** `POINT_FIELDS` numbers per point: record index, series number, timestamp, value. */
  readonly points: Float64Array;
  /**
   * The counts (kind `count`: the execution count) summed per series and count interval, in the
   * same layout: the first record counted, series number, interval start, the sum. One entry per
   * series and interval, not per record: the receiver adds each to its running totals and holds
   * that first record, which holds every later record of the partition with it (offsets commit in
   * order).
   */
  readonly counts: Float64Array;
  readonly invalid: readonly InvalidRecord[];
  /** Values found but not sent, by reason. */
  readonly dropped: Readonly<Partial<Record<PointDropReason, number>>>;
  /** Records whose time came from Kafka, for want of a usable time field. */
  readonly timeFromRecord: number;
}

export interface InvalidRecord extends DecodeFailure {
  readonly index: number;
}

export const POINT_FIELDS = 4;

/** Packs a partition's records for `RecordTranslation.translate` (copies the values once). */
export function packRecords(messages: readonly KafkaMessage[]): RecordsJob {
  let total = 0;
  for (const message of messages) total += message.value?.length ?? 0;
  const values = new Uint8Array(total);
  const ends = new Int32Array(messages.length);
  const recordTimes = new Float64Array(messages.length);
  let at = 0;
  for (let i = 0; i < messages.length; i++) {
    const { value, timestamp } = messages[i];
    if (value === null) {
      ends[i] = -1;
    } else {
      values.set(value, at);
      at += value.length;
      ends[i] = at;
    }
    recordTimes[i] = Number(timestamp);
  }
  return { values, ends, recordTimes };
}

/** Decodes and translates jobs in order, numbering series across them. */
export class RecordTranslation {
  private readonly translator: Translator;
  /** The first answer says so: whoever numbered series before (a thread that died) is forgotten. */
  private resetPending = true;

  constructor(settings: TranslatorSettings, nowSeconds?: () => number) {
    const catalog = new MetricCatalog(settings.prefix, settings.onlyDeclared, settings.metrics);
    this.translator = new Translator({
      catalog,
      staticTags: settings.staticTags,
      tagRequestIds: settings.tagRequestIds,
      maxSeries: settings.maxSeries,
      executionTags: settings.executionTags,
      nowSeconds,
    });
  }

  translate(job: RecordsJob): TranslatedRecords {
    const { values, ends, recordTimes } = job;
    const buffer = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    let start = 0;
    // Called once per record, in order: each value starts where the previous one ended.
    const valueAt = (index: number): Buffer | null => {
      const end = ends[index];
      if (end < 0) return null;
      const value = buffer.subarray(start, end);
      start = end;
      return value;
    };
    return this.translateEach(ends.length, valueAt, (index) => recordTimes[index]);
  }

  /** The same for records in this thread, read where they are (no packing copy). */
  translateMessages(messages: readonly KafkaMessage[]): TranslatedRecords {
    return this.translateEach(
      messages.length,
      (index) => messages[index].value,
      (index) => Number(messages[index].timestamp),
    );
  }

  private translateEach(
    count: number,
    valueAt: (index: number) => Buffer | null,
    recordTimeAt: (index: number) => number,
  ): TranslatedRecords {
    const seriesReset = this.resetPending;
    this.resetPending = false;
    const registry = this.translator.series;
    registry.startJob();
    const invalid: InvalidRecord[] = [];
    const dropped: Partial<Record<PointDropReason, number>> = {};
    let timeFromRecord = 0;
    let points = new Float64Array(count * 3 * POINT_FIELDS);
    let used = 0;
    const counts: number[] = [];
    /** Where each (interval start, series) sum is in `counts`. */
    const countAt = new Map<number, number>();
    for (let index = 0; index < count; index++) {
      const decoded = decodeInsight(valueAt(index), recordTimeAt(index));
      if (!decoded.ok) {
        invalid.push({ index, reason: decoded.reason, detail: decoded.detail });
        continue;
      }
      if (decoded.insight.timeFromRecord) timeFromRecord++;
      const translation = this.translator.translate(decoded.insight);
      for (const reason of translation.dropped) dropped[reason] = (dropped[reason] ?? 0) + 1;
      for (const point of translation.points) {
        const id = (point.series as NumberedSeries).id;
        if (point.series.kind === 'count') {
          const interval = Math.floor(point.timestamp / COUNT_INTERVAL_SECONDS);
          const start = interval * COUNT_INTERVAL_SECONDS;
          // Series numbers stay below SERIES_ID_SPACE, so interval and number make one exact key.
          const key = interval * SERIES_ID_SPACE + id;
          const at = countAt.get(key);
          if (at === undefined) {
            countAt.set(key, counts.length);
            counts.push(index, id, start, point.value);
          } else {
            counts[at + 3] += point.value;
          }
          continue;
        }
        if (used + POINT_FIELDS > points.length) {
          const grown = new Float64Array(points.length * 2);
          grown.set(points);
          points = grown;
        }
        points[used++] = index;
        points[used++] = id;
        points[used++] = point.timestamp;
        points[used++] = point.value;
      }
    }
    return {
      seriesReset,
      newSeries: registry.createdInJob.map(({ id, metric, kind, tags, unit }) => ({ id, metric, kind, tags, unit })),
      seriesForgotten: registry.forgottenInJob,
      seriesKnown: registry.size,
      points: points.subarray(0, used),
      counts: Float64Array.from(counts),
      invalid,
      dropped,
      timeFromRecord,
    };
  }
}

/** The series by number on the receiving side, kept in step with the answers of one translation. */
export class SeriesTable {
  private byNumber: Series[] = [];

  /** Takes in an answer's series; then `get` knows every number its points use. */
  update(records: TranslatedRecords): void {
    if (records.seriesReset) this.byNumber = [];
    for (const { id, metric, kind, tags, unit } of records.newSeries) this.byNumber[id] = { metric, kind, tags, unit };
  }

  get(id: number): Series {
    return this.byNumber[id];
  }
}
