#!/usr/bin/env node
import { FORWARDER_SETTINGS as S } from '@algorithmia-datadog/metric-declaration';
import { ConfigError, loadConfig, type ForwarderConfig } from '../config/config';
import { Forwarder } from '../forwarder';
import { HealthServer } from '../observe/health-server';
import { createLogger, type Logger } from '../observe/logger';
import { ForwarderMetrics } from '../observe/metrics';
import { ProcessWarnings } from '../observe/process-warnings';
import { EXIT_CODES, StartupFailure, type ExitCode } from '../startup/startup-failure';
import { helpText, packageVersion } from './help';

const NAME = 'algorithmia-datadog-forwarder';

/** The one line a user reads, then the exit code; pino's buffer is flushed first so lines stay ordered. */
function fail(line: string, code: ExitCode, logger?: Logger): never {
  logger?.flush();
  process.stderr.write(`${NAME}: ${line}\n`);
  process.exit(code);
}

/** A start-up failure the user can fix, as one line; anything else is a bug and keeps its stack. */
function failOn(error: unknown, logger?: Logger): never {
  if (error instanceof ConfigError || (error instanceof StartupFailure && error.exitCode === EXIT_CODES.configuration)) {
    fail(`configuration error: ${error.message}`, EXIT_CODES.configuration, logger);
  }
  if (error instanceof StartupFailure) fail(error.message, error.exitCode, logger);
  throw error;
}

const warnings = new ProcessWarnings((line) => process.stderr.write(`${NAME}: ${line}\n`)).install();

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(helpText());
    return;
  }
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  if (argv.length > 0)
    fail(`unknown argument "${argv[0]}": the forwarder is configured by environment variables (see --help)`, EXIT_CODES.configuration);

  let config: ForwarderConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    failOn(error);
  }

  const logger = createLogger(config.logLevel);
  warnings.useLogger(logger);
  const metrics = new ForwarderMetrics();
  const forwarder = new Forwarder(config, { logger, metrics });
  const health = new HealthServer({ live: () => forwarder.live(), ready: () => forwarder.ready() }, metrics.registry);

  logger.info(
    {
      version: packageVersion(),
      brokers: config.kafka.brokers,
      topics: config.kafka.topics,
      groupId: config.kafka.groupId,
      ssl: config.kafka.ssl !== false,
      saslMechanism: config.kafka.sasl?.mechanism ?? null,
      deadLetterTopic: config.kafka.deadLetterTopic ?? null,
      datadog: config.datadog.baseUrl,
      contentEncodings: config.datadog.encodings,
      node: process.version,
      prefix: config.catalog.prefix,
      declaredMetrics: config.catalog.metrics.map((m) => `${m.name}:${m.kind}`),
      onlyDeclared: config.catalog.onlyDeclared,
      staticTags: config.staticTags,
      // The tag of this process's series in Datadog (its own metrics, its counts).
      instance: forwarder.instance,
      healthMetrics: config.healthMetrics,
    },
    'starting',
  );
  if (config.tagRequestIds) {
    logger.warn(
      `${S.tagRequestIds.env} is on: every request and session becomes its own series, each billed by Datadog as a custom metric`,
    );
  }
  if (typeof config.kafka.ssl === 'object' && !config.kafka.ssl.rejectUnauthorized) {
    logger.warn(
      `${S.sslRejectUnauthorized.env}=false: the brokers' certificates are not checked, so anyone on the network path can pose as a broker and read the traffic, credentials included; give ${S.sslCaFile.env} instead`,
    );
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, deadlineMs: config.shutdownTimeoutMs }, 'stopping: flushing and committing');
    // Last resort if something hangs past the deadline: exit without committing more.
    setTimeout(() => {
      logger.error('shutdown deadline passed while stopping; exiting: what was not committed will be read again');
      logger.flush();
      process.exit(EXIT_CODES.stoppedAtDeadline);
    }, config.shutdownTimeoutMs + 2000).unref();
    forwarder
      .stop(config.shutdownTimeoutMs)
      .then(async ({ drained }) => {
        await health.close();
        logger.info({ drained }, 'stopped');
        logger.flush();
        // A supervisor tells a clean stop (0) from one that left read messages uncommitted (4).
        process.exit(drained ? EXIT_CODES.stopped : EXIT_CODES.stoppedAtDeadline);
      })
      .catch((err) => {
        logger.error({ err }, 'stop failed');
        logger.flush();
        process.exit(EXIT_CODES.failed);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  let port: number;
  try {
    port = await health.listen(config.httpPort, config.httpHost);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? 'is already in use'
        : code === 'EACCES'
          ? 'needs privileges (use a port above 1023)'
          : `cannot be used (${code ?? String(error)})`;
    fail(
      `configuration error: ${S.httpPort.env}: port ${config.httpPort} on ${config.httpHost} ${why}: choose a free port`,
      EXIT_CODES.configuration,
      logger,
    );
  }
  logger.info({ port }, 'health and metrics server listening (/healthz, /readyz, /metrics)');
  void forwarder.fatal.then(async (failure) => {
    if (stopping) return;
    stopping = true;
    // Leave the group promptly; nothing was accepted by Datadog, so nothing more is committed.
    await forwarder.stop(Math.min(2_000, config.shutdownTimeoutMs)).catch(() => undefined);
    failOn(failure, logger);
  });
  try {
    await forwarder.start();
  } catch (error) {
    if (stopping) return;
    failOn(error, logger);
  }
  if (!stopping) logger.info('consuming');
}

main(process.argv.slice(2)).catch((err) => {
  // Secrets live only in the config object, which is never logged.
  process.stderr.write(`${NAME}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(EXIT_CODES.failed);
});
