/**
 * npm run bench: forwarder throughput against its ceiling, in one run on one broker.
 *
 * 1. Produces BENCH_MESSAGES (default 1 000 000) Insights messages, 3 points each (duration and
 *    two inference metrics), BENCH_ALGORITHMS x BENCH_VERSIONS tag sets, BENCH_PARTITIONS partitions.
 * 2. BENCH_RUNS times (default 3), alternating:
 *    - the ceiling: bench/bare-consumer.ts, a bare kafkajs consumer reading and discarding the topic;
 *    - the forwarder (built bin, own process) until the Datadog double (in this process) holds
 *      every point.
 *    Each in a fresh consumer group, each timed from joining the group to the last message.
 * 3. Prints a table of medians and writes bench-results/throughput-*.json.
 *
 * BENCH_CPU_PROF=<dir>: the forwarder runs with node --cpu-prof, profiles into <dir>.
 * KAFKA_BROKER: use that broker instead of starting a private one (scripts/kafka.sh).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { useBroker } from './lib/broker';
import { benchOverrides, ForwarderProcess, metricSum } from './lib/forwarder-process';
import { benchKafka, connectedProducer, createTopic, deleteTopics, produceRange, uniqueName } from './lib/kafka';
import { insightJson, POINTS_PER_MESSAGE } from './lib/messages';
import { loadAverage, median, ProcSampler } from './lib/proc';
import { envNumber, log, table, writeResults } from './lib/report';
import { TrackedDouble } from './lib/tracked-double';

const MESSAGES = envNumber('BENCH_MESSAGES', 1_000_000);
const RUNS = envNumber('BENCH_RUNS', 3);
const PARTITIONS = envNumber('BENCH_PARTITIONS', 6);
const ALGORITHMS = envNumber('BENCH_ALGORITHMS', 24);
const VERSIONS = envNumber('BENCH_VERSIONS', 3);
const TIMEOUT_MS = envNumber('BENCH_TIMEOUT_S', 900) * 1000;
const CPU_PROF = process.env.BENCH_CPU_PROF;

interface RunResult {
  kind: 'ceiling' | 'forwarder';
  run: number;
  seconds: number;
  messagesPerSecond: number;
  pointsPerSecond: number;
  cpuSeconds: number;
  peakRssMb: number;
  bytesPerPoint?: number;
  lost?: number;
  duplicates?: number;
  requests?: number;
  loadAverage: string;
}

async function ceilingRun(brokers: string, topic: string, run: number): Promise<RunResult> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(__dirname, 'bare-consumer.ts')], {
    env: {
      ...process.env,
      KAFKA_BROKER: brokers,
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: uniqueName('bench-bare'),
      BARE_EXPECT: String(MESSAGES),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const sampler = new ProcSampler(child.pid as number);
  let joinedAt = 0;
  let doneAt = 0;
  let cpuAtDone = 0;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) {
      if (line.includes('"joined"') && joinedAt === 0) joinedAt = Date.now();
      if (line.includes('"done"')) {
        doneAt = Date.now();
        cpuAtDone = sampler.sample().cpuSeconds;
      }
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const usage = sampler.stop();
  if (code !== 0 || doneAt === 0) throw new Error(`bare consumer failed (exit ${code})`);
  const seconds = (doneAt - joinedAt) / 1000;
  return {
    kind: 'ceiling',
    run,
    seconds,
    messagesPerSecond: MESSAGES / seconds,
    pointsPerSecond: (MESSAGES * POINTS_PER_MESSAGE) / seconds,
    cpuSeconds: cpuAtDone || usage.cpuSeconds,
    peakRssMb: usage.peakRssMb,
    loadAverage: loadAverage(),
  };
}

async function forwarderRun(brokers: string, topic: string, datadog: TrackedDouble, run: number): Promise<RunResult> {
  datadog.reset(MESSAGES);
  const forwarder = new ForwarderProcess(
    {
      DD_API_KEY: datadog.double.apiKey,
      DD_HOST: datadog.url,
      KAFKA_BROKER: brokers,
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: uniqueName('bench-forwarder'),
      LOG_LEVEL: 'info',
      ...benchOverrides().env,
    },
    { name: `forwarder#${run}`, nodeArgs: [...benchOverrides().nodeArgs, ...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF] : [])] },
  );
  try {
    await forwarder.waitForJoin(60_000);
    const joinedAt = forwarder.joinedAt as number;
    await datadog.waitForAll(MESSAGES, TIMEOUT_MS);
    const doneAt = Date.now();
    const usage = forwarder.usage();
    const metrics = await forwarder.metrics();
    const seconds = (doneAt - joinedAt) / 1000;
    const stats = datadog.double.stats();
    const delivery = datadog.delivery(MESSAGES);
    const requestSeconds = metricSum(metrics, 'forwarder_request_duration_seconds_sum');
    const doubleMs = datadog.double.requests.reduce((sum, r) => sum + r.durationMs, 0);
    log(
      `forwarder run ${run}: sent ${metricSum(metrics, 'forwarder_points_sent_total')} points in ${stats.requests} requests; ` +
        `mean request ${((requestSeconds / Math.max(1, stats.requests)) * 1000).toFixed(0)} ms as the forwarder saw it, ` +
        `${(doubleMs / Math.max(1, stats.requests)).toFixed(0)} ms in the double; paused ${forwarder.pauses} times (buffer full)`,
    );
    return {
      kind: 'forwarder',
      run,
      seconds,
      messagesPerSecond: MESSAGES / seconds,
      pointsPerSecond: (MESSAGES * POINTS_PER_MESSAGE) / seconds,
      cpuSeconds: usage.cpuSeconds,
      peakRssMb: usage.peakRssMb,
      bytesPerPoint: stats.wireBytes / stats.acceptedPoints,
      lost: delivery.lost,
      duplicates: delivery.duplicates,
      requests: stats.requests,
      loadAverage: loadAverage(),
    };
  } catch (error) {
    log(`forwarder output:\n${forwarder.output()}`);
    throw error;
  } finally {
    await forwarder.terminate();
  }
}

async function main(): Promise<void> {
  const broker = await useBroker(log);
  const kafka = benchKafka(broker.brokers);
  const datadog = await TrackedDouble.start(MESSAGES);
  let topic: string | undefined;
  try {
    topic = await createTopic(kafka, 'bench-throughput', PARTITIONS);
    const producer = await connectedProducer(kafka);
    const base = Date.now() - 5 * 60_000;
    const producedStart = Date.now();
    let lastReport = 0;
    await produceRange(
      producer,
      topic,
      0,
      MESSAGES,
      (id) => insightJson(id, base + (id % 240_000), { algorithms: ALGORITHMS, versions: VERSIONS }),
      {
        batch: 2000,
        concurrency: 4,
        onProgress: (done) => {
          if (done - lastReport >= 200_000) {
            lastReport = done;
            log(`produced ${done}`);
          }
        },
      },
    );
    await producer.disconnect();
    log(`produced ${MESSAGES} messages in ${((Date.now() - producedStart) / 1000).toFixed(1)} s to ${topic} (${PARTITIONS} partitions)`);

    const results: RunResult[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const ceiling = await ceilingRun(broker.brokers, topic, run);
      log(
        `ceiling run ${run}: ${Math.round(ceiling.messagesPerSecond)} msg/s, ${ceiling.cpuSeconds.toFixed(1)} CPU s, load ${ceiling.loadAverage}`,
      );
      results.push(ceiling);
      const forwarded = await forwarderRun(broker.brokers, topic, datadog, run);
      log(
        `forwarder run ${run}: ${Math.round(forwarded.messagesPerSecond)} msg/s, ${forwarded.cpuSeconds.toFixed(1)} CPU s, ${forwarded.peakRssMb.toFixed(0)} MB, lost ${forwarded.lost}, load ${forwarded.loadAverage}`,
      );
      results.push(forwarded);
    }

    const summary = (kind: RunResult['kind']) => {
      const of = results.filter((r) => r.kind === kind);
      const pick = (f: (r: RunResult) => number | undefined) => median(of.map((r) => f(r) ?? Number.NaN));
      return {
        messagesPerSecond: pick((r) => r.messagesPerSecond),
        pointsPerSecond: pick((r) => r.pointsPerSecond),
        seconds: pick((r) => r.seconds),
        cpuSeconds: pick((r) => r.cpuSeconds),
        cpuSecondsPerMillionMessages: pick((r) => (r.cpuSeconds / MESSAGES) * 1e6),
        messagesPerCpuSecond: pick((r) => MESSAGES / r.cpuSeconds),
        peakRssMb: pick((r) => r.peakRssMb),
        bytesPerPoint: pick((r) => r.bytesPerPoint),
        lost: kind === 'forwarder' ? Math.max(...of.map((r) => r.lost ?? 0)) : undefined,
        duplicates: kind === 'forwarder' ? Math.max(...of.map((r) => r.duplicates ?? 0)) : undefined,
      };
    };
    const ceiling = summary('ceiling');
    const forwarder = summary('forwarder');
    const ratio = forwarder.messagesPerSecond / ceiling.messagesPerSecond;
    const perCoreRatio = forwarder.messagesPerCpuSecond / ceiling.messagesPerCpuSecond;
    const rows = [
      [
        'bare kafkajs consumer (ceiling)',
        ceiling.messagesPerSecond,
        ceiling.pointsPerSecond,
        ceiling.cpuSeconds,
        ceiling.messagesPerCpuSecond,
        ceiling.peakRssMb,
        '-',
        '-',
      ],
      [
        'forwarder, end to end',
        forwarder.messagesPerSecond,
        forwarder.pointsPerSecond,
        forwarder.cpuSeconds,
        forwarder.messagesPerCpuSecond,
        forwarder.peakRssMb,
        forwarder.bytesPerPoint,
        `${forwarder.lost}/${forwarder.duplicates}`,
      ],
    ];
    const text = table(
      ['medians of ' + RUNS + ' runs', 'messages/s', 'points/s', 'CPU s', 'messages/CPU s', 'peak RSS MB', 'bytes/point', 'lost/dup'],
      rows,
    );
    process.stdout.write(
      `\n${MESSAGES.toLocaleString('en-US')} messages, ${POINTS_PER_MESSAGE} points each, ${PARTITIONS} partitions, ${ALGORITHMS * VERSIONS} tag sets\n${text}\nforwarder/ceiling: ${(ratio * 100).toFixed(1)}% of the wall-clock rate (target >= 70%), ${(perCoreRatio * 100).toFixed(1)}% per CPU second; peak RSS target <= 150 MB; load average now ${loadAverage()}\n`,
    );
    const file = writeResults('throughput', {
      config: {
        messages: MESSAGES,
        pointsPerMessage: POINTS_PER_MESSAGE,
        partitions: PARTITIONS,
        algorithms: ALGORITHMS,
        versions: VERSIONS,
        runs: RUNS,
        node: process.version,
      },
      ceiling,
      forwarder,
      forwarderToCeiling: ratio,
      forwarderToCeilingPerCpuSecond: perCoreRatio,
      forwarderOverrides: benchOverrides(),
      runs: results,
    });
    process.stdout.write(`results: ${file}\n`);
    if (forwarder.lost !== 0) process.exitCode = 1;
  } finally {
    await datadog.close();
    if (topic) await deleteTopics(kafka, [topic]);
    await broker.stop();
  }
}

main().catch((error: unknown) => {
  log(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
