/**
 * jest globalSetup of the `integration` project: makes a Kafka broker available to the tests and
 * tells them where it is through process.env.KAFKA_BROKER (workers inherit the parent's env).
 *
 * - KAFKA_BROKER already set: the user's own cluster (comma-separated bootstrap list); nothing is
 *   started and nothing will be stopped.
 * - A test-bed broker already running (`scripts/kafka.sh start` by hand or by .ci/run): used, and
 *   left running at the end, since whoever started it stops it.
 * - Otherwise: scripts/kafka.sh start, and global-teardown.ts stops it, failed tests or not.
 *
 * With a test-bed broker, its secured listeners (SASL_SSL, SSL), CA file and users reach the tests
 * as KAFKA_TESTBED_* variables (`scripts/kafka.sh env`); with KAFKA_BROKER set they come from the
 * user (or are absent, and the secured-Kafka tests are skipped).
 */
import { bootstrapAddressOf, runKafkaScript, securedListeners } from './broker-script';

/** Shared with global-teardown.ts: jest runs both in the same process. */
export const STARTED_BROKER_FLAG = '__testbedStartedKafkaBroker';

// A first start downloads the jars (tens of MB) before the broker itself starts.
const START_TIMEOUT_MS = 10 * 60_000;

export default async function globalSetup(): Promise<void> {
  if (process.env.KAFKA_BROKER) {
    process.stderr.write(`\ntest bed: using KAFKA_BROKER=${process.env.KAFKA_BROKER}\n`);
    return;
  }
  const status = await runKafkaScript('status', 30_000);
  if (status.exitCode === 0) {
    process.env.KAFKA_BROKER = bootstrapAddressOf(status);
    process.stderr.write(`\ntest bed: using the running test-bed broker at ${process.env.KAFKA_BROKER}\n`);
    Object.assign(process.env, await securedListeners());
    return;
  }
  process.stderr.write('\ntest bed: starting a Kafka broker (scripts/kafka.sh start)\n');
  const started = await runKafkaScript('start', START_TIMEOUT_MS);
  if (started.exitCode !== 0) {
    // The script stops a broker that did not become ready; stop again in case it was interrupted.
    await runKafkaScript('stop', 60_000).catch(() => undefined);
    throw new Error(`scripts/kafka.sh start failed (exit ${started.exitCode}); see its output above`);
  }
  process.env.KAFKA_BROKER = bootstrapAddressOf(started);
  Object.assign(process.env, await securedListeners());
  (globalThis as Record<string, unknown>)[STARTED_BROKER_FLAG] = true;
}
