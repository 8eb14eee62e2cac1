/**
 * npm run bench: the forwarder against its peer (Telegraf) and its ceiling, on one broker, one
 * intake and one topic.
 *
 * 1. Starts building Telegraf (lib/telegraf.ts, cached in .cache/telegraf/; skipped with a
 *    message where Go is missing; BENCH_TELEGRAF=0 skips it), a private broker and the intake
 *    (lib/intake/: answers 202 as soon as a body is read, verifies every point in a thread of its
 *    own: 0 lost, 0 duplicates, exact tags, values and timestamps).
 * 2. Produces BENCH_MESSAGES (default 1 000 000) Insights messages, 3 points each,
 *    BENCH_ALGORITHMS x BENCH_VERSIONS tag sets, BENCH_PARTITIONS partitions.
 * 3. BENCH_RUNS rounds (default 3), interleaved: the ceiling (a bare kafkajs consumer), then the
 *    forwarder (its launcher, as users run it) and Telegraf, in alternating order. Each in a fresh
 *    consumer group, timed from joining to the answer that completed its points.
 * 4. Prints per-round results, medians and forwarder/Telegraf ratios per round and their medians;
 *    writes bench-results/throughput-*.json.
 *
 * BENCH_CPU_PROF=<dir>: the forwarder runs with node --cpu-prof. KAFKA_BROKER: use that broker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useBroker } from './lib/broker';
import { benchOverrides } from './lib/forwarder-process';
import { BenchIntake, type ExpectedRun } from './lib/intake/intake';
import { benchKafka, connectedProducer, createTopic, deleteTopics, produceRange } from './lib/kafka';
import { benchMessageTimeMs, insightJson, POINTS_PER_MESSAGE } from './lib/messages';
import { loadAverage } from './lib/proc';
import { envNumber, log, writeResults } from './lib/report';
import { ceilingRun, forwarderRun, telegrafRun, type RunContext, type RunResult } from './lib/runs';
import { ensureTelegraf, TELEGRAF_VERSION } from './lib/telegraf';
import { mediansTable, medianRatios, perRunTable, ratioTable, roundRatios, summarize, TARGETS } from './lib/throughput-report';

const MESSAGES = envNumber('BENCH_MESSAGES', 1_000_000);
const RUNS = envNumber('BENCH_RUNS', 3);
const PARTITIONS = envNumber('BENCH_PARTITIONS', 6);
const ALGORITHMS = envNumber('BENCH_ALGORITHMS', 24);
const VERSIONS = envNumber('BENCH_VERSIONS', 3);
const TIMEOUT_MS = envNumber('BENCH_TIMEOUT_S', 900) * 1000;
const WITH_TELEGRAF = process.env.BENCH_TELEGRAF !== '0';

async function main(): Promise<void> {
  // The first Telegraf build takes minutes: it runs while the broker starts and messages are produced.
  const telegrafBuild = WITH_TELEGRAF ? ensureTelegraf(log) : Promise.resolve(undefined);
  if (!WITH_TELEGRAF) log('Telegraf skipped: BENCH_TELEGRAF=0');
  const broker = await useBroker(log);
  const kafka = benchKafka(broker.brokers);
  const intake = await BenchIntake.start();
  const workDir = mkdtempSync(path.join(tmpdir(), 'bench-throughput-'));
  let topic: string | undefined;
  try {
    topic = await createTopic(kafka, 'bench-throughput', PARTITIONS);
    const producer = await connectedProducer(kafka);
    const baseMs = Date.now() - 5 * 60_000;
    const producedStart = Date.now();
    let lastReport = 0;
    await produceRange(
      producer,
      topic,
      0,
      MESSAGES,
      (id) => insightJson(id, benchMessageTimeMs(id, baseMs), { algorithms: ALGORITHMS, versions: VERSIONS }),
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
    const telegrafBin = await telegrafBuild;

    const expected: ExpectedRun = { messages: MESSAGES, baseMs, algorithms: ALGORITHMS, versions: VERSIONS };
    const context: RunContext = {
      brokers: broker.brokers,
      kafka,
      topic,
      expected,
      intake,
      timeoutMs: TIMEOUT_MS,
      workDir,
      cpuProfileDir: process.env.BENCH_CPU_PROF,
    };
    const results: RunResult[] = [];
    const report = (result: RunResult): void => {
      results.push(result);
      const delivery =
        result.kind === 'ceiling'
          ? ''
          : `, ${result.bytesPerPoint?.toFixed(2)} B/point (${result.encodings}), lost ${result.lost}, dup ${result.duplicates}, wrong ${result.wrong}, intake ${result.intakeCpuSeconds?.toFixed(1)} CPU s`;
      log(
        `${result.kind} run ${result.run}: ${Math.round(result.messagesPerSecond)} msg/s, ${result.cpuSeconds.toFixed(2)} CPU s, ${result.peakRssMb.toFixed(0)} MB${delivery}, load ${result.loadAverage}`,
      );
      for (const problem of result.problems) log(`${result.kind} run ${result.run}: PROBLEM ${problem}`);
    };
    for (let run = 1; run <= RUNS; run++) {
      report(await ceilingRun(context, run));
      // Alternate who goes first, so neither always follows the other.
      const order = run % 2 === 1 ? (['forwarder', 'telegraf'] as const) : (['telegraf', 'forwarder'] as const);
      for (const kind of order) {
        if (kind === 'forwarder') report(await forwarderRun(context, run));
        else if (telegrafBin) report(await telegrafRun(context, run, telegrafBin));
      }
    }

    const ratios = roundRatios(results);
    const med = medianRatios(ratios);
    const forwarder = summarize(results, 'forwarder');
    const ceiling = summarize(results, 'ceiling');
    const lines = [
      '',
      `${MESSAGES.toLocaleString('en-US')} messages, ${POINTS_PER_MESSAGE} points each, ${PARTITIONS} partitions, ${ALGORITHMS * VERSIONS} tag sets, ${RUNS} interleaved rounds`,
      perRunTable(results),
      '',
      mediansTable(results),
      '',
    ];
    if (med) {
      lines.push(ratioTable(ratios), '');
      const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
      lines.push(
        `targets (medians of per-round ratios): messages/s ${verdict(med.messagesPerSecond >= TARGETS.messagesPerSecond)}, ` +
          `messages/CPU s ${verdict(med.messagesPerCpuSecond >= TARGETS.messagesPerCpuSecond)}, peak RSS ${verdict(med.peakRss <= TARGETS.peakRss)}, ` +
          `bytes/point ${verdict((forwarder?.bytesPerPoint ?? Infinity) <= TARGETS.bytesPerPoint)}, 0 lost/dup/wrong ${verdict(forwarder?.lost === 0 && forwarder.duplicates === 0 && forwarder.wrong === 0)}`,
      );
    } else {
      lines.push(`no Telegraf rounds: no ratios (Telegraf ${TELEGRAF_VERSION} not available)`);
    }
    if (forwarder && ceiling)
      lines.push(
        `forwarder/ceiling: ${((forwarder.messagesPerSecond / ceiling.messagesPerSecond) * 100).toFixed(1)}% of the wall-clock rate, ${((forwarder.messagesPerCpuSecond / ceiling.messagesPerCpuSecond) * 100).toFixed(1)}% per CPU second`,
      );
    lines.push(`load average now ${loadAverage()}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    const file = writeResults('throughput', {
      config: {
        messages: MESSAGES,
        pointsPerMessage: POINTS_PER_MESSAGE,
        partitions: PARTITIONS,
        algorithms: ALGORITHMS,
        versions: VERSIONS,
        runs: RUNS,
        node: process.version,
        telegraf: telegrafBin ? TELEGRAF_VERSION : null,
        forwarderDir: process.env.BENCH_FORWARDER_DIR ?? null,
      },
      medians: { ceiling, forwarder, telegraf: summarize(results, 'telegraf') },
      forwarderToTelegraf: { perRound: ratios, median: med, targets: TARGETS },
      forwarderOverrides: benchOverrides(),
      runs: results,
    });
    process.stdout.write(`results: ${file}\n`);
    const failed = results.filter(
      (r) => r.kind === 'forwarder' && (r.lost !== 0 || r.wrong !== 0 || r.refusedRequests !== 0 || r.problems.length > 0),
    );
    if (failed.length > 0) process.exitCode = 1;
  } finally {
    await intake.close();
    if (topic) await deleteTopics(kafka, [topic]);
    await broker.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  log(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
