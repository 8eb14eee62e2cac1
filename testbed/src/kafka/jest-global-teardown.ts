/**
 * jest globalTeardown of the `integration` project: stops the broker that global-setup.ts started,
 * and only that one (never a user's KAFKA_BROKER, nor a test-bed broker that was already running).
 * jest runs it whether tests passed or failed.
 */
import { runKafkaScript } from './broker-script';
import { STARTED_BROKER_FLAG } from './jest-global-setup';

export default async function globalTeardown(): Promise<void> {
  const flags = globalThis as Record<string, unknown>;
  if (!flags[STARTED_BROKER_FLAG]) return;
  delete flags[STARTED_BROKER_FLAG];
  const stopped = await runKafkaScript('stop', 60_000);
  if (stopped.exitCode !== 0) throw new Error(`scripts/kafka.sh stop failed (exit ${stopped.exitCode})`);
}
