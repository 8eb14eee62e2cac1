/**
 * npm run bench: the forwarder against its peer (Telegraf) and its ceiling, on one broker, one
 * intake and one topic.
 *
 * 1. Starts building Telegraf (lib/telegraf.ts, cached in .cache/telegraf/; skipped with a
 *    message where Go is missing; BENCH_TELEGRAF=0 skips it), a private broker and the intake
 *    (lib/intake/: answers 202 as soon as a body is read, verifies every point in a thread of its
 *    own: 0 lost, 0 duplicates, exact tags, values and timestamps).
 * 2. Produces BENCH_MESSAGES (default 1 000 000) Insights messages, 1 + BENCH_METRICS (default 2)
 *    points each, BENCH_ALGORITHMS x BENCH_VERSIONS tag sets, BENCH_PARTITIONS partitions.
 * 3. BENCH_RUNS rounds (default 3), interleaved: the ceiling (a bare kafkajs consumer), then the
 *    forwarder (its launcher, as users run it) and Telegraf, in alternating order. Each in a fresh
 *    consumer group, timed from joining to the answer that completed its points.
 * 4. Prints per-round results, medians and forwarder/Telegraf ratios per round and their medians;
 *    writes bench-results/throughput-*.json.
 *
 * BENCH_CPU_PROF=<dir>: the forwarder runs with node --cpu-prof. KAFKA_BROKER: use that broker.
 */
import { benchOverrides } from './lib/forwarder-process';
import { pointsPerMessage } from './lib/messages';
import { loadAverage } from './lib/proc';
import { envNumber, log, writeResults } from './lib/report';
import { deliveryFailures, measureShape, shapeFromEnv, tagSets, withBenchSession } from './lib/throughput-bench';
import { TELEGRAF_VERSION } from './lib/telegraf';
import { mediansTable, medianRatios, perRunTable, ratioTable, roundRatios, summarize, TARGETS } from './lib/throughput-report';

const RUNS = envNumber('BENCH_RUNS', 3);
const TIMEOUT_MS = envNumber('BENCH_TIMEOUT_S', 900) * 1000;

async function main(): Promise<void> {
  const shape = shapeFromEnv(1_000_000);
  await withBenchSession('throughput', async (session) => {
    const { results, telegraf } = await measureShape(session, shape, {
      runs: RUNS,
      ceiling: true,
      timeoutMs: TIMEOUT_MS,
      cpuProfileDir: process.env.BENCH_CPU_PROF,
    });

    const ratios = roundRatios(results);
    const med = medianRatios(ratios);
    const forwarder = summarize(results, 'forwarder');
    const ceiling = summarize(results, 'ceiling');
    const lines = [
      '',
      `${shape.messages.toLocaleString('en-US')} messages, ${pointsPerMessage(shape)} points each, ${shape.partitions} partitions, ${tagSets(shape)} tag sets, ${RUNS} interleaved rounds`,
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
        messages: shape.messages,
        pointsPerMessage: pointsPerMessage(shape),
        partitions: shape.partitions,
        algorithms: shape.algorithms,
        versions: shape.versions,
        inferenceMetrics: shape.inferenceMetrics,
        runs: RUNS,
        node: process.version,
        telegraf: telegraf ? TELEGRAF_VERSION : null,
        forwarderDir: process.env.BENCH_FORWARDER_DIR ?? null,
      },
      medians: { ceiling, forwarder, telegraf: summarize(results, 'telegraf') },
      forwarderToTelegraf: { perRound: ratios, median: med, targets: TARGETS },
      forwarderOverrides: benchOverrides(),
      runs: results,
    });
    process.stdout.write(`results: ${file}\n`);
    if (results.some((r) => r.kind === 'forwarder' && deliveryFailures(r).length > 0)) process.exitCode = 1;
  });
}

main().catch((error: unknown) => {
  log(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
