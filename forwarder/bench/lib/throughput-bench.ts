/**
 * The throughput bench's machinery, shared by npm run bench (throughput.ts) and npm run
 * bench:scaling (scaling.ts): a session (Telegraf built in the background, one broker, one
 * intake, a work directory) and, per shape of work, one topic produced once and measured in
 * interleaved rounds (optionally the ceiling, then the forwarder and Telegraf in alternating
 * order), then deleted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { useBroker } from './broker';
import { BenchIntake, type ExpectedRun } from './intake/intake';
import { benchKafka, connectedProducer, createTopic, deleteTopics, produceRange } from './kafka';
import {
  benchMessageTimeMs,
  DEFAULT_ALGORITHMS,
  DEFAULT_INFERENCE_METRICS,
  DEFAULT_VERSIONS,
  insightJson,
  type MessageShape,
} from './messages';
import { envNumber, log } from './report';
import { ceilingRun, forwarderRun, telegrafRun, type RunContext, type RunResult } from './runs';
import { ensureTelegraf } from './telegraf';

/** One shape of work: the messages produced (see messages.ts) and the partitions they go to. */
export interface BenchShape extends Required<MessageShape> {
  messages: number;
  partitions: number;
}

export const DEFAULT_PARTITIONS = 6;

/** The shape the environment asks for: BENCH_MESSAGES, BENCH_PARTITIONS, BENCH_ALGORITHMS, BENCH_VERSIONS, BENCH_METRICS. */
export function shapeFromEnv(defaultMessages: number): BenchShape {
  return {
    messages: envNumber('BENCH_MESSAGES', defaultMessages),
    partitions: envNumber('BENCH_PARTITIONS', DEFAULT_PARTITIONS),
    algorithms: envNumber('BENCH_ALGORITHMS', DEFAULT_ALGORITHMS),
    versions: envNumber('BENCH_VERSIONS', DEFAULT_VERSIONS),
    inferenceMetrics: envNumber('BENCH_METRICS', DEFAULT_INFERENCE_METRICS),
  };
}

export function tagSets(shape: MessageShape & Pick<BenchShape, 'algorithms' | 'versions'>): number {
  return shape.algorithms * shape.versions;
}

export interface BenchSession {
  readonly brokers: string;
  readonly kafka: Kafka;
  readonly intake: BenchIntake;
  readonly workDir: string;
  /** The Telegraf binary once built; undefined when skipped or unavailable (the reason is logged). */
  readonly telegraf: Promise<string | undefined>;
}

/** Starts the Telegraf build (BENCH_TELEGRAF=0: none), the broker and the intake; stops them after `body`. */
export async function withBenchSession<T>(name: string, body: (session: BenchSession) => Promise<T>): Promise<T> {
  const withTelegraf = process.env.BENCH_TELEGRAF !== '0';
  // The first Telegraf build takes minutes: it runs while the broker starts and messages are produced.
  const telegraf = withTelegraf ? ensureTelegraf(log) : Promise.resolve(undefined);
  if (!withTelegraf) log('Telegraf skipped: BENCH_TELEGRAF=0');
  const broker = await useBroker(log);
  const kafka = benchKafka(broker.brokers);
  const intake = await BenchIntake.start();
  const workDir = mkdtempSync(path.join(tmpdir(), `bench-${name}-`));
  try {
    return await body({ brokers: broker.brokers, kafka, intake, workDir, telegraf });
  } finally {
    await intake.close();
    await broker.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

export interface MeasureOptions {
  runs: number;
  /** Also time the bare kafkajs consumer in each round. */
  ceiling: boolean;
  timeoutMs: number;
  cpuProfileDir?: string;
}

export interface ShapeMeasurement {
  results: RunResult[];
  /** Whether Telegraf ran (it is skipped where it could not be built). */
  telegraf: boolean;
}

/** Produces `shape` into a topic of its own, runs `options.runs` interleaved rounds on it, deletes it. */
export async function measureShape(session: BenchSession, shape: BenchShape, options: MeasureOptions): Promise<ShapeMeasurement> {
  const { kafka, intake } = session;
  const topic = await createTopic(kafka, 'bench-throughput', shape.partitions);
  try {
    const baseMs = await produceShape(kafka, topic, shape);
    const telegrafBin = await session.telegraf;
    const expected: ExpectedRun = {
      messages: shape.messages,
      baseMs,
      algorithms: shape.algorithms,
      versions: shape.versions,
      inferenceMetrics: shape.inferenceMetrics,
    };
    const context: RunContext = {
      brokers: session.brokers,
      kafka,
      topic,
      expected,
      intake,
      timeoutMs: options.timeoutMs,
      workDir: session.workDir,
      cpuProfileDir: options.cpuProfileDir,
    };
    const results: RunResult[] = [];
    const report = (result: RunResult): void => {
      results.push(result);
      logRun(result);
    };
    for (let run = 1; run <= options.runs; run++) {
      if (options.ceiling) report(await ceilingRun(context, run));
      // Alternate who goes first, so neither always follows the other.
      const order = run % 2 === 1 ? (['forwarder', 'telegraf'] as const) : (['telegraf', 'forwarder'] as const);
      for (const kind of order) {
        if (kind === 'forwarder') report(await forwarderRun(context, run));
        else if (telegrafBin) report(await telegrafRun(context, run, telegrafBin));
      }
    }
    return { results, telegraf: telegrafBin !== undefined };
  } finally {
    await deleteTopics(kafka, [topic]);
  }
}

/** Produces messages 0..shape.messages-1; returns the base time they are stamped from. */
async function produceShape(kafka: Kafka, topic: string, shape: BenchShape): Promise<number> {
  const producer = await connectedProducer(kafka);
  const baseMs = Date.now() - 5 * 60_000;
  const producedStart = Date.now();
  let lastReport = 0;
  await produceRange(producer, topic, 0, shape.messages, (id) => insightJson(id, benchMessageTimeMs(id, baseMs), shape), {
    batch: 2000,
    concurrency: 4,
    onProgress: (done) => {
      if (done - lastReport >= 200_000) {
        lastReport = done;
        log(`produced ${done}`);
      }
    },
  });
  await producer.disconnect();
  log(
    `produced ${shape.messages} messages in ${((Date.now() - producedStart) / 1000).toFixed(1)} s to ${topic} ` +
      `(${shape.partitions} partitions, ${tagSets(shape)} tag sets, ${shape.inferenceMetrics} inference metrics per message)`,
  );
  return baseMs;
}

function logRun(result: RunResult): void {
  const delivery =
    result.kind === 'ceiling'
      ? ''
      : `, ${result.bytesPerPoint?.toFixed(2)} B/point (${result.encodings}), lost ${result.lost}, dup ${result.duplicates}, wrong ${result.wrong}, intake ${result.intakeCpuSeconds?.toFixed(1)} CPU s`;
  log(
    `${result.kind} run ${result.run}: ${Math.round(result.messagesPerSecond)} msg/s, ${result.cpuSeconds.toFixed(2)} CPU s, ${result.peakRssMb.toFixed(0)} MB${delivery}, load ${result.loadAverage}`,
  );
  for (const problem of result.problems) log(`${result.kind} run ${result.run}: PROBLEM ${problem}`);
}

/** Why a delivery run does not prove every point arrived once and exact (empty when it does). */
export function deliveryFailures(result: RunResult): string[] {
  if (result.kind === 'ceiling') return [];
  const failures: string[] = [];
  if (result.lost !== 0) failures.push(`${result.lost} lost`);
  if (result.duplicates !== 0) failures.push(`${result.duplicates} duplicates`);
  if (result.wrong !== 0) failures.push(`${result.wrong} wrong`);
  if (result.refusedRequests !== 0) failures.push(`${result.refusedRequests} refused requests`);
  return [...failures, ...result.problems];
}
