import { DeploymentV1SpecTemplateSpecContainerEnv } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { DatadogSite } from '@algorithmia-datadog/metric-declaration';
import { ForwarderKafkaProps, KAFKA_CA_FILE_NAME, KAFKA_CA_MOUNT_DIR, METRICS_FILE_NAME, METRICS_MOUNT_DIR, SecretKeyReference } from './props';

/** The forwarder's settings (forwarder/src/config/config.ts), resolved from the props. */
export interface ForwarderEnvironmentInputs {
  readonly apiKeySecret: SecretKeyReference;
  readonly site: DatadogSite;
  readonly apiUrl?: string;
  readonly kafka: ForwarderKafkaProps;
  readonly groupId: string;
  readonly tags: readonly string[];
  readonly httpPort: number;
  readonly shutdownTimeoutMs: number;
  readonly nodeOptions: string;
  readonly extraEnv: Readonly<Record<string, string>>;
}

/** Variables the construct sets itself, with the prop that controls each. */
const MANAGED_ENV: Readonly<Record<string, string>> = {
  DD_API_KEY: 'apiKeySecret',
  DATADOG_API_KEY: 'apiKeySecret',
  DD_SITE: 'site',
  DD_HOST: 'apiUrl',
  KAFKA_BROKER: 'kafka.brokers',
  KAFKA_TOPIC: 'kafka.topic',
  KAFKA_GROUP_ID: 'kafka.groupId',
  KAFKA_DLQ_TOPIC: 'kafka.deadLetterTopic',
  KAFKA_SSL: 'kafka.ssl',
  KAFKA_SSL_CA_FILE: 'kafka.sslCa (the CA certificate is mounted from a Secret or ConfigMap)',
  KAFKA_SASL_MECHANISM: 'kafka.sasl.mechanism',
  KAFKA_SASL_USERNAME: 'kafka.sasl.username',
  KAFKA_SASL_PASSWORD: 'kafka.sasl.passwordSecret',
  FORWARDER_METRICS_FILE: 'metricDeclaration',
  FORWARDER_TAGS: 'tags',
  FORWARDER_HTTP_PORT: 'httpPort (the probes and the container port follow it)',
  FORWARDER_SHUTDOWN_TIMEOUT_MS: 'shutdownTimeoutMs',
};

/** Variables that would break the pod whatever their value. */
const REFUSED_ENV: Readonly<Record<string, string>> = {
  FORWARDER_HTTP_HOST:
    'the kubelet probes the pod\'s IP, so the forwarder must listen on every interface (0.0.0.0, its default); ' +
    'another address would fail both probes. Remove it.',
};

export function forwarderEnv(inputs: ForwarderEnvironmentInputs): DeploymentV1SpecTemplateSpecContainerEnv[] {
  const { kafka, extraEnv } = inputs;
  const secret = (reference: SecretKeyReference) => ({ secretKeyRef: { name: reference.name, key: reference.key } });
  return [
    { name: 'DD_API_KEY', valueFrom: secret(inputs.apiKeySecret) },
    { name: 'DD_SITE', value: inputs.site },
    ...(inputs.apiUrl !== undefined ? [{ name: 'DD_HOST', value: inputs.apiUrl }] : []),
    { name: 'KAFKA_BROKER', value: kafka.brokers.join(',') },
    { name: 'KAFKA_TOPIC', value: kafka.topic },
    { name: 'KAFKA_GROUP_ID', value: inputs.groupId },
    ...(kafka.deadLetterTopic !== undefined ? [{ name: 'KAFKA_DLQ_TOPIC', value: kafka.deadLetterTopic }] : []),
    ...(kafka.ssl ? [{ name: 'KAFKA_SSL', value: 'true' }] : []),
    ...(kafka.sslCa ? [{ name: 'KAFKA_SSL_CA_FILE', value: `${KAFKA_CA_MOUNT_DIR}/${KAFKA_CA_FILE_NAME}` }] : []),
    ...(kafka.sasl
      ? [
          { name: 'KAFKA_SASL_MECHANISM', value: kafka.sasl.mechanism },
          { name: 'KAFKA_SASL_USERNAME', value: kafka.sasl.username },
          { name: 'KAFKA_SASL_PASSWORD', valueFrom: secret(kafka.sasl.passwordSecret) },
        ]
      : []),
    { name: 'FORWARDER_METRICS_FILE', value: `${METRICS_MOUNT_DIR}/${METRICS_FILE_NAME}` },
    ...(inputs.tags.length > 0 ? [{ name: 'FORWARDER_TAGS', value: inputs.tags.join(',') }] : []),
    { name: 'FORWARDER_HTTP_PORT', value: String(inputs.httpPort) },
    { name: 'FORWARDER_SHUTDOWN_TIMEOUT_MS', value: String(inputs.shutdownTimeoutMs) },
    // The launcher's heap flags, sized for the send buffer (see memory.ts).
    { name: 'FORWARDER_NODE_OPTIONS', value: inputs.nodeOptions },
    ...Object.keys(extraEnv)
      .filter((key) => key !== 'FORWARDER_NODE_OPTIONS')
      .sort()
      .map((key) => ({ name: key, value: extraEnv[key] })),
  ];
}

export function envProblems(env: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    const managedBy = MANAGED_ENV[key];
    if (managedBy !== undefined) {
      problems.push(`env.${key} is set by the construct: use ${managedBy} instead${/KEY|PASSWORD/.test(key) ? ' (a Secret reference: never a literal secret)' : ''}.`);
    } else if (REFUSED_ENV[key] !== undefined) {
      problems.push(`env.${key} is refused: ${REFUSED_ENV[key]}`);
    } else if (!/^[A-Z_][A-Z0-9_]*$/.test(key)) {
      problems.push(`env.${key} is not an environment variable name: upper-case letters, digits and "_".`);
    } else if (/(API_KEY|APP_KEY|PASSWORD|SECRET|TOKEN)/.test(key)) {
      problems.push(`env.${key} looks like a secret: secrets must come from a Kubernetes Secret, not from the configuration.`);
    } else if (typeof value !== 'string') {
      problems.push(`env.${key} must be a string (got ${JSON.stringify(value)}).`);
    }
  }
  return problems;
}
