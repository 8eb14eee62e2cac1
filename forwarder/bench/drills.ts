/**
 * npm run drills: every fault drill at full length, then a table and bench-results/drills-*.json.
 *
 *   DRILLS=kill,500,429,broker,rebalance   which to run (default all), in that order
 *   DRILL_RATE=2000                        messages/s produced during each drill
 *   DRILL_KILLS=5                          kill -9 cycles
 *   DRILL_OUTAGE_S=60                      how long the double answers 500 (300 for the 5-minute outage)
 *   DRILL_429_COUNT=100 DRILL_429_RESET_S=2
 *   DRILL_BROKER_DOWN_S=10
 * KAFKA_BROKER: use that broker; the broker drill then needs BENCH_KAFKA_STATE_DIR (its
 * scripts/kafka.sh KAFKA_STATE_DIR) to restart it. Exit code 1 when any drill lost a point.
 */
import { useBroker } from './lib/broker';
import {
  brokerRestartDrill,
  datadogOutageDrill,
  killRestartDrill,
  rateLimitDrill,
  rebalanceDrill,
  type DrillEnvironment,
  type DrillReport,
} from './lib/drills';
import { loadAverage } from './lib/proc';
import { envNumber, log, table, writeResults } from './lib/report';

async function main(): Promise<void> {
  const selected = (process.env.DRILLS ?? 'kill,500,429,broker,rebalance').split(',').map((s) => s.trim());
  const rate = envNumber('DRILL_RATE', 2000);
  const broker = await useBroker(log);
  const env: DrillEnvironment = { brokers: broker.brokers, restartBroker: (downMs) => broker.restart(downMs), log };
  const reports: DrillReport[] = [];
  const runners: Record<string, () => Promise<DrillReport>> = {
    kill: () => killRestartDrill(env, { rate, kills: envNumber('DRILL_KILLS', 5) }),
    500: () => datadogOutageDrill(env, { rate, status: 500, downMs: envNumber('DRILL_OUTAGE_S', 60) * 1000 }),
    429: () => rateLimitDrill(env, { rate, count: envNumber('DRILL_429_COUNT', 100), resetSeconds: envNumber('DRILL_429_RESET_S', 2) }),
    broker: () => brokerRestartDrill(env, { rate, downMs: envNumber('DRILL_BROKER_DOWN_S', 10) * 1000 }),
    rebalance: () => rebalanceDrill(env, { rate }),
  };
  try {
    for (const name of selected) {
      const runner = runners[name];
      if (!runner) throw new Error(`unknown drill ${name} (${Object.keys(runners).join(', ')})`);
      log(`drill ${name}: starting (load ${loadAverage()})`);
      reports.push(await runner());
    }
  } finally {
    await broker.stop();
  }
  const rows = reports.map((r) => [
    r.drill,
    r.produced,
    r.expectedPoints,
    r.delivered,
    r.lost,
    r.duplicates,
    r.peakRssMb,
    r.forwarderProcesses,
    r.seconds,
  ]);
  process.stdout.write(
    `\n${table(['drill', 'produced', 'expected points', 'delivered', 'lost', 'duplicates', 'peak RSS MB', 'processes', 'seconds'], rows)}\n`,
  );
  for (const r of reports) for (const note of r.notes) process.stdout.write(`${r.drill}: ${note}\n`);
  process.stdout.write(`load average ${loadAverage()}\nresults: ${writeResults('drills', { rate, reports })}\n`);
  if (reports.some((r) => r.lost !== 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  log(`drills failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
