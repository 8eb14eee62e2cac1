/**
 * Where fetched records are decoded and translated: by default in a worker thread of its own
 * (translate-worker.ts), so that the thread reading Kafka does only that and both cores work.
 * Where the compiled worker is not available (the stages' unit tests run the TypeScript sources),
 * in this thread.
 */
import path from 'node:path';
import type { ResourceLimits } from 'node:worker_threads';
import { SERIES_HEAP_BYTES } from '@algorithmia-datadog/metric-declaration';
import { JobWorker } from '../threads/job-worker';
import type { KafkaMessage } from 'kafkajs';
import { packRecords, RecordTranslation, type RecordsJob, type TranslatedRecords, type TranslatorSettings } from './records';

export interface RecordTranslator {
  /** A partition's records, decoded and translated; answers in the order they were given. */
  translate(messages: readonly KafkaMessage[]): Promise<TranslatedRecords>;
  close(): Promise<void>;
}

export class InThreadRecordTranslator implements RecordTranslator {
  private readonly translation: RecordTranslation;

  constructor(settings: TranslatorSettings, nowSeconds?: () => number) {
    this.translation = new RecordTranslation(settings, nowSeconds);
  }

  async translate(messages: readonly KafkaMessage[]): Promise<TranslatedRecords> {
    return this.translation.translateMessages(messages);
  }

  async close(): Promise<void> {}
}

export const TRANSLATE_WORKER_FILE = path.join(__dirname, 'translate-worker.js');
/**
 * The worker's heap: what one job makes (a partition's records of one fetch, parsed) dies with
 * the job, so a small young generation does. What stays is the series it knows (FORWARDER_MAX_SERIES).
 */
export function workerLimits(maxSeries: number): ResourceLimits {
  return { maxOldGenerationSizeMb: 32 + Math.ceil((maxSeries * SERIES_HEAP_BYTES.decodeThread) / 2 ** 20), maxYoungGenerationSizeMb: 8 };
}

/** One worker thread, jobs in order; if it dies, this thread takes over (numbering series anew). */
export class WorkerRecordTranslator implements RecordTranslator {
  private readonly worker: JobWorker<RecordsJob, TranslatedRecords>;

  /** A thread stopped when idle starts anew: its first answer says to forget the series numbers. */
  constructor(settings: TranslatorSettings, workerFile = TRANSLATE_WORKER_FILE, idleStopMs?: number) {
    let fallback: RecordTranslation | undefined;
    this.worker = new JobWorker<RecordsJob, TranslatedRecords>({
      file: workerFile,
      workerData: settings,
      idleStopMs,
      resourceLimits: workerLimits(settings.maxSeries),
      fallback: async (job) => (fallback ??= new RecordTranslation(settings)).translate(job),
      describeError: (message) => `decoding fetched records failed: ${message}`,
    });
  }

  /** Threads started so far (one per busy spell). */
  get threadsStarted(): number {
    return this.worker.threadsStarted;
  }

  get threadRunning(): boolean {
    return this.worker.running;
  }

  translate(messages: readonly KafkaMessage[]): Promise<TranslatedRecords> {
    // Packed, the records are a few buffers: cheap to copy to the worker and to keep meanwhile.
    return this.worker.run(packRecords(messages));
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}

export function defaultRecordTranslator(settings: TranslatorSettings): RecordTranslator {
  return JobWorker.available(TRANSLATE_WORKER_FILE) ? new WorkerRecordTranslator(settings) : new InThreadRecordTranslator(settings);
}
