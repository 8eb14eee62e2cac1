import { Writable } from 'node:stream';
import { loadConfig, type ForwarderConfig } from '../../src/config/config';
import { Forwarder } from '../../src/forwarder';
import { createLogger } from '../../src/observe/logger';
import { ForwarderMetrics } from '../../src/observe/metrics';
import { type DatadogDouble, kafkaBrokers } from '@algorithmia-datadog/testbed';

/** Log lines the forwarder wrote, kept for assertions (and printed when a test fails). */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.lines.push(JSON.parse(line));
    done();
  }

  text(): string {
    return this.lines.map((line) => JSON.stringify(line)).join('\n');
  }
}

export interface RunningForwarder {
  readonly forwarder: Forwarder;
  readonly metrics: ForwarderMetrics;
  readonly config: ForwarderConfig;
  readonly logs: LogCapture;
  stop(): Promise<{ drained: boolean }>;
}

/** Environment for a forwarder reading `topic` and writing to `datadog`, its health reports off unless `extra` turns them on. */
export function forwarderEnv(
  topic: string,
  groupId: string,
  datadog: DatadogDouble,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DD_API_KEY: datadog.apiKey,
    DD_HOST: datadog.url,
    KAFKA_BROKER: kafkaBrokers().join(','),
    KAFKA_TOPIC: topic,
    KAFKA_GROUP_ID: groupId,
    FORWARDER_FLUSH_INTERVAL_MS: '100',
    FORWARDER_COMMIT_INTERVAL_MS: '200',
    FORWARDER_RETRY_BASE_DELAY_MS: '50',
    FORWARDER_RETRY_MAX_DELAY_MS: '1000',
    FORWARDER_REQUEST_TIMEOUT_MS: '2000',
    // The tests of the data path count what reaches the double, and faults go to requests in
    // arrival order: the health reports are tested on their own (health-metrics.test.ts).
    FORWARDER_HEALTH_METRICS: 'false',
    ...extra,
  };
}

/** Starts a forwarder in this process, as the bin would, with its logs captured. */
export async function startForwarder(env: Record<string, string>): Promise<RunningForwarder> {
  const config = loadConfig(env);
  const logs = new LogCapture();
  const metrics = new ForwarderMetrics();
  const forwarder = new Forwarder(config, { logger: createLogger('info', logs), metrics });
  await forwarder.start();
  return { forwarder, metrics, config, logs, stop: () => forwarder.stop() };
}

/** Sum of a counter's values whose labels match. */
export async function counterValue(metrics: ForwarderMetrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return (metric?.values ?? [])
    .filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))
    .reduce((sum, v) => sum + v.value, 0);
}
