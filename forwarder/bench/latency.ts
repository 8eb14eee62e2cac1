/**
 * npm run bench:latency: the forwarder and Telegraf at the fixed rates users run at, for sizing
 * their pods (issue 26). For each rate of LATENCY_RATES (default 1000,5000,20000; LATENCY_RATE
 * for one rate), the forwarder (its launcher, own process) and Telegraf (lib/telegraf.ts's config),
 * one after the other, the first alternating per rate: each on a fresh topic, ready before the
 * first message, then the rate for LATENCY_SECONDS (default 60) against the Datadog double in this
 * process (lib/latency-run.ts). Prints per tool and rate CPU seconds per minute, peak and steady
 * RSS, p50/p90/p99/max latency, lost/dup; then forwarder ÷ Telegraf per rate against the targets;
 * writes bench-results/latency-*.json. Exit code 1 when either tool lost a point.
 *
 * LATENCY_TELEGRAF=0: the forwarder alone. BENCH_NODE: a node binary for the forwarder.
 * FORWARDER_* variables and BENCH_NODE_ARGS: passed to the forwarder, as in npm run bench.
 */
import { FORWARDER_SETTINGS } from '@algorithmia-datadog/metric-declaration';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useBroker } from './lib/broker';
import { benchOverrides } from './lib/forwarder-process';
import { benchKafka } from './lib/kafka';
import {
  type LatencyResult,
  type LatencyTool,
  LATENCY_TARGETS,
  rateRatios,
  ratioTable,
  resultsTable,
  targetsLine,
} from './lib/latency-report';
import { type LatencyContext, latencyRun } from './lib/latency-run';
import { loadAverage } from './lib/proc';
import { envNumber, envNumberList, log, writeResults } from './lib/report';
import { ensureTelegraf, TELEGRAF_FLUSH_INTERVAL, TELEGRAF_VERSION } from './lib/telegraf';
import { TrackedDouble } from './lib/tracked-double';

const DEFAULT_RATES = [1000, 5000, 20_000];
const RATES = envNumberList('LATENCY_RATES', process.env.LATENCY_RATE ? [envNumber('LATENCY_RATE', 0)] : DEFAULT_RATES);
const SECONDS = envNumber('LATENCY_SECONDS', 60);
const PARTITIONS = envNumber('BENCH_PARTITIONS', 6);
const DELIVERY_TIMEOUT_MS = 120_000;
const WITH_TELEGRAF = process.env.LATENCY_TELEGRAF !== '0';
const FLUSH_INTERVAL = FORWARDER_SETTINGS.flushIntervalMs;

function describe(result: LatencyResult): string {
  return (
    `${result.tool} at ${result.rate} msg/s: ${result.produced} produced, ${result.cpuSecondsPerMinute.toFixed(1)} CPU s/min, ` +
    `RSS peak ${result.peakRssMb.toFixed(0)} MB steady ${result.steadyRssMb.toFixed(0)} MB, ` +
    `p50 ${result.p50Ms} p99 ${result.p99Ms} max ${result.maxMs} ms, lost ${result.lost} dup ${result.duplicates}, drained in ${result.drainSeconds.toFixed(1)} s, ` +
    `driver ${(result.driverCpuShare * 100).toFixed(0)}% CPU, load ${result.loadAverage}`
  );
}

async function main(): Promise<void> {
  if (!WITH_TELEGRAF) log('Telegraf skipped: LATENCY_TELEGRAF=0');
  // A first build takes minutes: it runs while the broker starts.
  const telegrafBuild = WITH_TELEGRAF ? ensureTelegraf(log) : Promise.resolve(undefined);
  const broker = await useBroker(log);
  const kafka = benchKafka(broker.brokers);
  // Sized per run (latency-run.ts resets it for each).
  const datadog = await TrackedDouble.start(1);
  const workDir = mkdtempSync(path.join(tmpdir(), 'bench-latency-'));
  try {
    const telegrafBin = await telegrafBuild;
    const context: LatencyContext = {
      brokers: broker.brokers,
      kafka,
      datadog,
      seconds: SECONDS,
      partitions: PARTITIONS,
      deliveryTimeoutMs: DELIVERY_TIMEOUT_MS,
      workDir,
      telegrafBin,
    };
    const results: LatencyResult[] = [];
    for (const [index, rate] of RATES.entries()) {
      // Alternate who goes first, so that neither always runs on the broker the other warmed.
      const pair: LatencyTool[] = index % 2 === 0 ? ['forwarder', 'telegraf'] : ['telegraf', 'forwarder'];
      const tools = telegrafBin ? pair : pair.filter((tool) => tool === 'forwarder');
      for (const [position, tool] of tools.entries()) {
        const result = await latencyRun(tool, rate, position + 1, context);
        results.push(result);
        log(describe(result));
      }
    }

    const ratios = rateRatios(results);
    const lines = [
      '',
      `${SECONDS} s per tool and rate, ${PARTITIONS} partitions; longest wait for a batch that does not fill: ` +
        `forwarder ${FLUSH_INTERVAL.env} ${process.env[FLUSH_INTERVAL.env] ?? FLUSH_INTERVAL.default} ms, Telegraf flush_interval ${TELEGRAF_FLUSH_INTERVAL}`,
      resultsTable(results),
      'drain s: from the end of the window to the last point (about a flush when the tool kept up; longer: it fell behind, and its CPU s/min undercounts); ' +
        'driver CPU: CPU of this process (producer and double) per second of the window (near 100%: the driver limited the run)',
      '',
    ];
    if (ratios.length > 0) lines.push(ratioTable(ratios), '', targetsLine(ratios));
    else lines.push(`no Telegraf runs: no ratios (Telegraf ${TELEGRAF_VERSION} ${WITH_TELEGRAF ? 'not available' : 'skipped'})`);
    lines.push(`load average now ${loadAverage()}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    const file = writeResults('latency', {
      config: {
        rates: RATES,
        seconds: SECONDS,
        partitions: PARTITIONS,
        telegraf: telegrafBin ? TELEGRAF_VERSION : null,
        forwarderNode: process.env.BENCH_NODE ?? null,
      },
      forwarderOverrides: benchOverrides(),
      results,
      forwarderToTelegraf: { perRate: ratios, targets: LATENCY_TARGETS },
      loadAverage: loadAverage(),
    });
    process.stdout.write(`results: ${file}\n`);
    const lossy = results.filter((result) => result.lost !== 0);
    for (const result of lossy) log(`FAILED: ${result.tool} at ${result.rate} msg/s lost ${result.lost} points`);
    if (lossy.length > 0) process.exitCode = 1;
  } finally {
    await datadog.close();
    await broker.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  log(`latency bench failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
