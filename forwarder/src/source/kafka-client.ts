import {
  logLevel as KafkaLogLevel,
  Partitioners,
  type ConsumerConfig,
  type Kafka,
  type KafkaConfig,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import type { ForwarderConfig } from '../config/config';
import type { Logger } from '../observe/logger';

export interface KafkaLogGate {
  /** While false, kafkajs' own lines go to debug: start-up failures are reported in one line instead. */
  readonly loud: boolean;
}

/** kafkajs client settings from the forwarder's configuration, its logs routed into ours. */
export function kafkaClientConfig(config: ForwarderConfig, logger: Logger, gate: KafkaLogGate = { loud: true }): KafkaConfig {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return {
    clientId: config.kafka.clientId,
    brokers: [...config.kafka.brokers],
    ssl: config.kafka.ssl === false || config.kafka.ssl === true ? config.kafka.ssl : { ...config.kafka.ssl },
    ...(config.kafka.sasl ? { sasl: { ...config.kafka.sasl } as KafkaConfig['sasl'] } : {}),
    logLevel: KafkaLogLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, ...extra } = log as LogEntry['log'] & { logger?: string };
        const fields = { namespace, ...extra };
        if (!gate.loud) kafkaLogger.debug(fields, message);
        else if (level === KafkaLogLevel.ERROR) kafkaLogger.error(fields, message);
        else if (level === KafkaLogLevel.WARN) kafkaLogger.warn(fields, message);
        else if (level === KafkaLogLevel.INFO) kafkaLogger.info(fields, message);
        else kafkaLogger.debug(fields, message);
      },
  };
}

/**
 * The most record bytes one fetch brings (kafkajs `maxBytes`, default 10 MB), and the most that
 * wait to be decoded besides (Forwarder): one fetch is received while the one before is decoded.
 */
export const FETCH_MAX_BYTES = 2 * 1024 * 1024;

/**
 * The broker answers a fetch once it has this much (or after maxWaitTimeInMs): at a steady,
 * moderate rate a fetch then brings tens of records per partition instead of one or two, and the
 * per-fetch work (request, decode, eachBatch, offsets) is paid that many times less. kafkajs's
 * default is 1 byte.
 */
export const FETCH_MIN_BYTES = 64 * 1024;

/** The forwarder's consumer settings. */
export function consumerConfig(config: ForwarderConfig): ConsumerConfig {
  return {
    groupId: config.kafka.groupId,
    allowAutoTopicCreation: false,
    // How long a killed instance keeps its partitions before the group moves them.
    sessionTimeout: config.kafka.sessionTimeoutMs,
    heartbeatInterval: config.kafka.heartbeatIntervalMs,
    // While every partition is paused kafkajs sleeps this long between fetch attempts, so it
    // bounds how late consumption resumes after Datadog catches up (default 5 s).
    maxWaitTimeInMs: 500,
    minBytes: FETCH_MIN_BYTES,
    maxBytes: FETCH_MAX_BYTES,
    // Per partition and fetch (default 1 MB).
    maxBytesPerPartition: 512 * 1024,
  };
}

/** The producer of the dead-letter topic, which must exist (it is never created on the fly). */
export function deadLetterProducer(kafka: Kafka): Producer {
  return kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
}
