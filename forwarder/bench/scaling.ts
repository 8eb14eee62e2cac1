/**
 * npm run bench:scaling: what the work's growth costs the forwarder and Telegraf (issue 26). Each
 * axis varied with the others at the base shape (npm run bench's: 72 tag sets, 2 inference metrics
 * per message, 6 partitions): tag sets 72 → 720 → 7 200 → 72 000, inference metrics 2 → 10 → 25,
 * partitions 6 → 24 → 48. At each point: a topic of its own, BENCH_MESSAGES (default 300 000)
 * produced once, BENCH_RUNS (default 3) interleaved rounds of the forwarder and Telegraf on one
 * broker and one intake (lib/throughput-bench.ts, as npm run bench, without the ceiling), each run
 * proving 0 lost, 0 duplicates and exact values (exit 1 otherwise).
 *
 * Prints one table (lib/scaling-report.ts) and writes bench-results/scaling-*.json.
 * `--plot <results.json> [--out <file.svg>]`: writes the plot of a results file instead
 * (lib/scaling-plot.ts; default docs/img/bench-scaling.svg).
 *
 * Knobs: SCALING_AXES (tagsets,metrics,partitions), SCALING_TAGSETS, SCALING_METRICS,
 * SCALING_PARTITIONS (comma-separated values), BENCH_MESSAGES, BENCH_RUNS, BENCH_TIMEOUT_S,
 * BENCH_TELEGRAF=0, BENCH_NODE, and the base shape's BENCH_ALGORITHMS, BENCH_VERSIONS,
 * BENCH_METRICS, BENCH_PARTITIONS.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './lib/broker';
import { benchOverrides } from './lib/forwarder-process';
import { loadAverage } from './lib/proc';
import { envNumber, log, writeResults } from './lib/report';
import type { RunResult } from './lib/runs';
import { scalingSvg } from './lib/scaling-plot';
import { axesFromEnv, axisValuesFromEnv, scalingPlan, SCALING_DEFAULT_MESSAGES, shapeKey, type ScalingAxis } from './lib/scaling-points';
import { SCALING_TARGETS, scalingRow, scalingTable, type ScalingRow } from './lib/scaling-report';
import { TELEGRAF_VERSION } from './lib/telegraf';
import { measureShape, shapeFromEnv, tagSets, withBenchSession, type BenchShape } from './lib/throughput-bench';
import { summarize } from './lib/throughput-report';

const RUNS = envNumber('BENCH_RUNS', 3);
const TIMEOUT_MS = envNumber('BENCH_TIMEOUT_S', 900) * 1000;
const DEFAULT_PLOT = path.join(REPO_ROOT, 'docs', 'img', 'bench-scaling.svg');

/** What bench-results/scaling-*.json holds (the plot reads `config` and `rows`). */
interface ScalingResults {
  config: { base: BenchShape; runs: number; axes: ScalingAxis[]; telegraf: string | null; node: string; forwarderDir: string | null };
  rows: ScalingRow[];
}

function describeBase(base: BenchShape): string {
  return `${tagSets(base)} tag sets, ${base.inferenceMetrics} inference metrics per message, ${base.partitions} partitions`;
}

async function measure(): Promise<void> {
  const base = shapeFromEnv(SCALING_DEFAULT_MESSAGES);
  const axes = axesFromEnv();
  const plan = scalingPlan(base, axes, axisValuesFromEnv);
  const shapes = new Map(plan.map((point) => [shapeKey(point.shape), point.shape]));
  const loadAtStart = loadAverage();
  log(`scaling: ${plan.length} points on ${axes.join(', ')} (${shapes.size} shapes to measure), base: ${describeBase(base)}`);
  for (const point of plan)
    if (point.shape.messages < tagSets(point.shape))
      log(
        `scaling: ${point.axis} ${point.value}: ${point.shape.messages} messages reach only that many of its ${tagSets(point.shape)} tag sets`,
      );

  const resultsByShape = new Map<string, RunResult[]>();
  let telegrafRan = false;
  await withBenchSession('scaling', async (session) => {
    let index = 0;
    for (const [key, shape] of shapes) {
      index++;
      log(`scaling: shape ${index} of ${shapes.size}: ${describeBase(shape)}, ${shape.messages} messages`);
      const measured = await measureShape(session, shape, { runs: RUNS, ceiling: false, timeoutMs: TIMEOUT_MS });
      resultsByShape.set(key, measured.results);
      telegrafRan ||= measured.telegraf;
    }
  });

  const baseResults = resultsByShape.get(shapeKey(base));
  const baseRss = baseResults && summarize(baseResults, 'forwarder')?.peakRssMb;
  const rows = plan.map((point) => scalingRow(point, resultsByShape.get(shapeKey(point.shape)) ?? [], baseRss));
  const failures = [...new Set(rows.flatMap((row) => row.failures.map((why) => `${row.axis} ${row.value}: ${why}`)))];
  const lines = [
    '',
    `base: ${describeBase(base)}; ${RUNS} interleaved rounds per shape; medians; ÷ = forwarder ÷ Telegraf (medians of per-round ratios)`,
    scalingTable(rows),
    '',
  ];
  if (!telegrafRan) lines.push(`no Telegraf rounds: no ratios (Telegraf ${TELEGRAF_VERSION} not available)`);
  if (baseRss === undefined) lines.push('fwd RSS ÷ base: the base shape was not measured (it is the first value of each default axis)');
  lines.push(failures.length === 0 ? 'every run: 0 lost, 0 duplicates, every value exact' : `FAILED runs:\n  ${failures.join('\n  ')}`);
  lines.push(`load average at start ${loadAtStart}, now ${loadAverage()}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  const file = writeResults('scaling', {
    config: {
      base,
      runs: RUNS,
      axes,
      telegraf: telegrafRan ? TELEGRAF_VERSION : null,
      node: process.version,
      forwarderDir: process.env.BENCH_FORWARDER_DIR ?? null,
    },
    targets: SCALING_TARGETS,
    loadAverage: { start: loadAtStart, end: loadAverage() },
    forwarderOverrides: benchOverrides(),
    rows,
    runs: [...shapes].map(([key, shape]) => ({ shape, results: resultsByShape.get(key) ?? [] })),
  } satisfies ScalingResults & Record<string, unknown>);
  process.stdout.write(`results: ${file}\nplot: npm run bench:scaling -- --plot ${path.relative(REPO_ROOT, file)}\n`);
  if (failures.length > 0) process.exitCode = 1;
}

function plot(resultsFile: string, outFile: string): void {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as ScalingResults & { provenance?: { commit: string } };
  const { base, runs } = results.config;
  const rounds = `${runs} round${runs === 1 ? '' : 's'}`;
  const svg = scalingSvg(results.rows, {
    title: 'Cost as the work grows: the forwarder and Telegraf, one axis at a time',
    subtitles: [
      `base ${describeBase(base)}; ${base.messages.toLocaleString('en-US')} messages per point; medians of ${rounds}`,
      `${path.basename(resultsFile)}${results.provenance ? `, commit ${results.provenance.commit}` : ''}`,
    ],
  });
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, svg);
  process.stdout.write(`plot: ${outFile}\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const plotAt = args.indexOf('--plot');
  if (plotAt < 0) return measure();
  const resultsFile = args[plotAt + 1];
  if (!resultsFile) throw new Error('--plot needs a results file, e.g. bench-results/scaling-<time>.json');
  // npm run starts scripts at the repository root: paths are the caller's, as typed.
  const callerDir = process.env.INIT_CWD ?? process.cwd();
  const outAt = args.indexOf('--out');
  plot(path.resolve(callerDir, resultsFile), outAt < 0 ? DEFAULT_PLOT : path.resolve(callerDir, args[outAt + 1]));
}

main().catch((error: unknown) => {
  log(`bench:scaling failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
