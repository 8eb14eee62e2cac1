import { existsSync } from 'node:fs';
import path from 'node:path';
import { FORWARDER_SETTINGS, parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { InThreadRecordTranslator, WorkerRecordTranslator } from '../../../src/translate/record-translator';
import type { KafkaMessage } from 'kafkajs';
import { translatorSettings, type TranslatedRecords } from '../../../src/translate/records';

/** The compiled worker: the forwarder runs it when built (`npm run build`, which npm test runs first). */
const WORKER_FILE = path.resolve(__dirname, '../../../dist/translate/translate-worker.js');
const settings = translatorSettings(parseMetricDeclaration({}), [], false, FORWARDER_SETTINGS.maxSeries.default);

/** A partition's records, as kafkajs hands them over. */
function job(values: number[]): KafkaMessage[] {
  const time = new Date().toISOString().replace('Z', '000');
  return values.map((v, offset) => ({
    key: null,
    value: Buffer.from(JSON.stringify({ algorithm_name: 'a', time, score: v })),
    timestamp: String(Date.now()),
    attributes: 0,
    offset: String(offset),
    headers: {},
  }));
}

const summary = (r: TranslatedRecords) => ({
  reset: r.seriesReset,
  series: r.newSeries,
  points: [...r.points],
  counts: [...r.counts],
  invalid: r.invalid,
});

describe('WorkerRecordTranslator (the compiled worker thread)', () => {
  beforeAll(() => {
    if (!existsSync(WORKER_FILE)) throw new Error(`${WORKER_FILE} is missing: run \`npm run build\` first`);
  });

  it('answers as this thread would, in order, also with jobs in flight together', async () => {
    const worker = new WorkerRecordTranslator(settings, WORKER_FILE);
    const local = new InThreadRecordTranslator(settings);
    try {
      const jobs = [job([1, 2]), job([3]), job([4, 5, 6])];
      const viaWorker = await Promise.all(jobs.map((j) => worker.translate(j)));
      const here = await Promise.all(jobs.map((j) => local.translate(j)));
      expect(viaWorker.map(summary)).toEqual(here.map(summary));
      // Each record: its score; each job: one sum of its executions (one algorithm, one interval).
      expect(viaWorker.map((r) => r.points.length / 4)).toEqual([2, 1, 3]);
      expect(viaWorker.map((r) => [r.counts[0], r.counts[3], r.counts.length / 4])).toEqual([
        [0, 2, 1],
        [0, 1, 1],
        [0, 3, 1],
      ]);
    } finally {
      await worker.close();
    }
  });

  it('starts its thread with the first job, stops it when idle, and numbers series anew in the next one', async () => {
    const worker = new WorkerRecordTranslator(settings, WORKER_FILE, 50);
    try {
      const first = await worker.translate(job([1]));
      expect([first.seriesReset, first.newSeries.length]).toEqual([true, 2]);
      const again = await worker.translate(job([2]));
      expect([again.seriesReset, again.newSeries.length]).toEqual([false, 0]);
      await until(() => !worker.threadRunning, 5_000);
      const restarted = await worker.translate(job([3]));
      // A new thread: the receiver must forget the numbers, and learns them again.
      expect([restarted.seriesReset, restarted.newSeries.map((s) => s.id)]).toEqual([true, [0, 1]]);
      expect(worker.threadsStarted).toBe(2);
    } finally {
      await worker.close();
    }
  });

  it('still answers every job when its worker is gone, numbering series anew (in this thread)', async () => {
    const worker = new WorkerRecordTranslator(settings, WORKER_FILE);
    const first = await worker.translate(job([1]));
    const pending = worker.translate(job([2]));
    await worker.close();
    const [held, after] = await Promise.all([pending, worker.translate(job([3]))]);
    expect(first.seriesReset).toBe(true);
    // The thread that took over numbers from 0 again, and says so.
    expect([held.seriesReset, held.newSeries.map((s) => s.id)]).toEqual([true, [0, 1]]);
    expect([after.seriesReset, after.newSeries]).toEqual([false, []]);
    expect([...after.points]).toEqual([0, 0, expect.any(Number), 3]);
    expect([...after.counts]).toEqual([0, 1, expect.any(Number), 1]);
  });
});

/** Polls `condition` every 10 ms until it holds; fails past `deadlineMs`. */
async function until(condition: () => boolean, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`not true within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
