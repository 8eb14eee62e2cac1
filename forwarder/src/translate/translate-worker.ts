/** The thread that decodes and translates fetched records (record-translator.ts). */
import { workerData } from 'node:worker_threads';
import { serveJobs } from '../threads/job-worker';
import { RecordTranslation, type RecordsJob, type TranslatedRecords, type TranslatorSettings } from './records';

const translation = new RecordTranslation(workerData as TranslatorSettings);

serveJobs<RecordsJob, TranslatedRecords>((job) => {
  const translated = translation.translate(job);
  return { answer: translated, transfer: [translated.points.buffer as ArrayBuffer, translated.counts.buffer as ArrayBuffer] };
});
