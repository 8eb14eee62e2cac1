/**
 * Before the consumer starts: reach a broker, authenticate, check the topics exist. A wrong
 * setting fails at once with one line naming it (exit 2); an unreachable broker is retried with
 * backoff until FORWARDER_STARTUP_TIMEOUT_MS, then fails naming KAFKA_BROKER (exit 3).
 */
import { Kafka, logLevel } from 'kafkajs';
import { FORWARDER_SETTINGS as S } from '@algorithmia-datadog/metric-declaration';
import type { ForwarderConfig } from '../config/config';
import { sleep, type RetryPolicy } from '../common/retry-policy';
import type { Logger } from '../observe/logger';
import { kafkaClientConfig } from '../source/kafka-client';
import { classifyKafkaError } from './kafka-errors';
import { EXIT_CODES, StartupFailure } from './startup-failure';

export interface PreflightOptions {
  readonly config: ForwarderConfig;
  readonly logger: Logger;
  readonly retryPolicy: RetryPolicy;
  /** Aborted by SIGTERM during start-up: stop retrying. */
  readonly signal: AbortSignal;
}

export async function preflightKafka({ config, logger, retryPolicy, signal }: PreflightOptions): Promise<void> {
  const { kafka } = config;
  // One connection attempt per try, silently: this loop retries against its own deadline.
  const client = new Kafka({
    ...kafkaClientConfig(config, logger),
    logLevel: logLevel.NOTHING,
    logCreator: undefined,
    retry: { retries: 0 },
  });
  const started = Date.now();
  const lastReasonByBroker = new Map<string, string>();
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) return;
    const admin = client.admin();
    try {
      await admin.connect();
      const existing = new Set(await admin.listTopics());
      const missing = kafka.topics.filter((topic) => !existing.has(topic));
      if (missing.length > 0) {
        throw new StartupFailure(
          S.topics.env,
          `topic ${missing.map((t) => `"${t}"`).join(', ')} does not exist on ${kafka.brokers.join(',')}`,
        );
      }
      if (kafka.deadLetterTopic !== undefined && !existing.has(kafka.deadLetterTopic)) {
        throw new StartupFailure(
          S.deadLetterTopic.env,
          `topic "${kafka.deadLetterTopic}" does not exist on ${kafka.brokers.join(',')}: create it first`,
        );
      }
      return;
    } catch (error) {
      if (error instanceof StartupFailure) throw error;
      const problem = classifyKafkaError(error, kafka);
      if (problem.fatal) throw new StartupFailure(problem.setting, problem.problem);
      lastReasonByBroker.set(problem.broker ?? kafka.brokers.join(','), problem.reason);
      // At most 5 s apart, so that a broker coming up is noticed soon.
      const delayMs = Math.min(5_000, retryPolicy.delayMs(attempt));
      const remainingMs = config.startupTimeoutMs - (Date.now() - started);
      if (remainingMs <= 0) {
        const tried = [...lastReasonByBroker].map(([broker, reason]) => `${broker}: ${reason}`).join('; ');
        throw new StartupFailure(
          S.brokers.env,
          `no broker reachable within ${S.startupTimeoutMs.env} (${config.startupTimeoutMs} ms, ${attempt} attempts; ${tried})`,
          EXIT_CODES.brokerUnreachable,
        );
      }
      if (attempt === 1)
        logger.warn(
          { reason: problem.reason, broker: problem.broker, retryingForMs: config.startupTimeoutMs },
          'Kafka not reachable yet; retrying with backoff (not ready)',
        );
      // The last attempt is made at the deadline.
      await sleep(Math.min(delayMs, remainingMs), signal);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
