#!/usr/bin/env node
import { ConfigError, loadConfig, type ForwarderConfig } from '../config/config';
import { Forwarder } from '../forwarder';
import { HealthServer } from '../observe/health-server';
import { createLogger } from '../observe/logger';
import { ForwarderMetrics } from '../observe/metrics';

/** Exit codes: 0 clean stop, 1 runtime failure, 2 bad configuration. */
async function main(): Promise<void> {
  let config: ForwarderConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`algorithmia-datadog-forwarder: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const logger = createLogger(config.logLevel);
  const metrics = new ForwarderMetrics();
  const forwarder = new Forwarder(config, { logger, metrics });
  const health = new HealthServer({ live: () => forwarder.live(), ready: () => forwarder.ready() }, metrics.registry);

  logger.info(
    {
      brokers: config.kafka.brokers,
      topics: config.kafka.topics,
      groupId: config.kafka.groupId,
      ssl: config.kafka.ssl !== false,
      saslMechanism: config.kafka.sasl?.mechanism ?? null,
      deadLetterTopic: config.kafka.deadLetterTopic ?? null,
      datadog: config.datadog.baseUrl,
      prefix: config.catalog.prefix,
      declaredMetrics: config.catalog.metrics.map((m) => `${m.name}:${m.kind}`),
      onlyDeclared: config.catalog.onlyDeclared,
      staticTags: config.staticTags,
    },
    'starting',
  );
  if (config.tagRequestIds) {
    logger.warn(
      'FORWARDER_TAG_REQUEST_IDS is on: every request and session becomes its own series, each billed by Datadog as a custom metric',
    );
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, deadlineMs: config.shutdownTimeoutMs }, 'stopping: flushing and committing');
    // Last resort if something hangs past the deadline: exit without committing more.
    setTimeout(() => {
      logger.error('shutdown deadline passed; exiting');
      logger.flush();
      process.exit(1);
    }, config.shutdownTimeoutMs + 2000).unref();
    forwarder
      .stop(config.shutdownTimeoutMs)
      .then(async ({ drained }) => {
        await health.close();
        logger.info({ drained }, 'stopped');
        logger.flush();
        process.exit(0);
      })
      .catch((err) => {
        logger.error({ err }, 'stop failed');
        logger.flush();
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  const port = await health.listen(config.httpPort, config.httpHost);
  logger.info({ port }, 'health and metrics server listening (/healthz, /readyz, /metrics)');
  try {
    await forwarder.start();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.flush();
      process.stderr.write(`algorithmia-datadog-forwarder: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  logger.info('consuming');
}

main().catch((err) => {
  // Secrets live only in the config object, which is never logged.
  process.stderr.write(`algorithmia-datadog-forwarder: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
