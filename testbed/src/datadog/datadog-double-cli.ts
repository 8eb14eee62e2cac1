/**
 * The Datadog double as a standalone server, for demos and benchmarks:
 *
 *   node_modules/.bin/tsx testbed/src/datadog/datadog-double-cli.ts [--port 8126] [--host 127.0.0.1]
 *       [--api-key KEY] [--counts-only] [--quiet] [--drop-stale]
 *
 * Prints `listening on http://HOST:PORT` first, then one summary line per request (unless
 * --quiet), and a JSON summary of everything received on SIGINT/SIGTERM. Control it from another
 * process through the /_double/* routes (always on here):
 *   GET|POST /_double/stats                    counts as JSON
 *   POST /_double/down?status=503, /_double/up an outage, and its end
 *   POST /_double/fail?count=N&status=500      N failed answers
 *   POST /_double/rate-limit?count=N&reset=S   N answers 429, X-RateLimit-Reset: S
 *   POST /_double/delay?count=N&ms=M           N answers M ms late (points recorded)
 *   POST /_double/drop?count=N[&afterAccept=true]  N dropped connections
 *   POST /_double/behave, /_double/clear       forget faults / forget recordings
 * Options: --counts-only keeps no individual points (benchmarks); --drop-stale answers 202 for
 * out-of-window timestamps and skips those points, as Datadog does, instead of 400.
 */
import { parseArgs } from 'node:util';

import { DEFAULT_API_KEY, DatadogDouble, formatRequestSummary } from './datadog-double';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8126' },
      host: { type: 'string', default: '127.0.0.1' },
      'api-key': { type: 'string', default: process.env.DD_API_KEY ?? DEFAULT_API_KEY },
      'counts-only': { type: 'boolean', default: false },
      'drop-stale': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);

  const double = await DatadogDouble.start({
    port,
    host: values.host,
    apiKey: values['api-key'],
    recordPoints: !values['counts-only'],
    outOfWindowTimestamps: values['drop-stale'] ? 'drop' : 'reject',
    controlRoutes: true,
    onRequest: values.quiet ? undefined : (summary) => process.stdout.write(`${formatRequestSummary(summary)}\n`),
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: ${JSON.stringify(double.stats())}\n`);
    double.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Announced only once the handlers are in place: whoever waits for this line may signal at once,
  // and a signal before them would end the process without its totals.
  process.stdout.write(`listening on ${double.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`datadog double: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
