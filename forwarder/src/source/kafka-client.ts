import { logLevel as KafkaLogLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
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
