import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1, DeploymentV1SpecTemplateSpecContainerEnv } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { DatadogSite, isDatadogSite, MetricDeclarationError, parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { addProblems, duplicateProblems, tagProblems } from './validation';

/** A key of an existing Kubernetes Secret. The construct never sees the secret value itself. */
export interface SecretKeyReference {
  /** The Secret's name, in the Deployment's namespace. */
  readonly name: string;
  /** The key inside the Secret's data. */
  readonly key: string;
}

export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';
export const KAFKA_SASL_MECHANISMS: readonly KafkaSaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512'];

export interface ForwarderKafkaProps {
  /** Bootstrap brokers, `host:port` each (`KAFKA_BROKER`). */
  readonly brokers: readonly string[];
  /** The Algorithmia Insights topic (`KAFKA_TOPIC`). */
  readonly topic: string;
  /**
   * How many partitions the topic has. A consumer group gives each partition to one consumer, so
   * `replicas` may not exceed it (extra replicas would sit idle).
   */
  readonly partitions: number;
  /** @default 'algorithmia-datadog-forwarder' (`KAFKA_GROUP_ID`) */
  readonly groupId?: string;
  /** Where undecodable messages go (`KAFKA_DLQ_TOPIC`). @default none: they are counted and skipped */
  readonly deadLetterTopic?: string;
  /** TLS to the brokers (`KAFKA_SSL`). @default false */
  readonly ssl?: boolean;
  /** SASL authentication; the password comes from a Secret. @default none */
  readonly sasl?: {
    readonly mechanism: KafkaSaslMechanism;
    readonly username: string;
    readonly passwordSecret: SecretKeyReference;
  };
}

/** CPU and memory quantities, as Kubernetes writes them (`100m`, `1`, `128Mi`). */
export interface ForwarderResourceQuantities {
  readonly cpu?: string;
  readonly memory?: string;
}

export interface ForwarderDeploymentProps {
  /** The forwarder image built from forwarder/Dockerfile, e.g. `ghcr.io/acme/algorithmia-datadog-forwarder:0.1.0`. */
  readonly image: string;
  /** Kafka connection and topic. */
  readonly kafka: ForwarderKafkaProps;
  /**
   * The text of the metric declaration (config/metrics.json). It goes into a ConfigMap mounted at
   * /etc/algorithmia-datadog/metrics.json, so the forwarder and the dashboards read the same file.
   */
  readonly metricDeclaration: string;
  /** @default 1 */
  readonly replicas?: number;
  /** An existing namespace. @default 'default' */
  readonly namespace?: string;
  /** Name of the Deployment; the ConfigMap is `<name>-metrics`. @default 'algorithmia-datadog-forwarder' */
  readonly name?: string;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /**
   * The Secret key holding the Datadog API key (`DD_API_KEY`). Create it beforehand, e.g.
   * `kubectl create secret generic datadog-api-key --from-literal=api-key=...`.
   * @default { name: 'datadog-api-key', key: 'api-key' }
   */
  readonly apiKeySecret?: SecretKeyReference;
  /** Datadog site (`DD_SITE`). @default unset: the forwarder's default, datadoghq.com */
  readonly site?: DatadogSite;
  /** Tags added to every point (`FORWARDER_TAGS`), e.g. `env:prod` so that monitors scoped `env:prod` see them. @default none */
  readonly tags?: readonly string[];
  /**
   * How long the forwarder may flush and commit on SIGTERM (`FORWARDER_SHUTDOWN_TIMEOUT_MS`). The
   * pod's terminationGracePeriodSeconds is this plus 10 s.
   * @default 20000
   */
  readonly shutdownTimeoutMs?: number;
  /** @default requests 100m / 128Mi, limits 1 CPU / 256Mi */
  readonly resources?: {
    readonly requests?: ForwarderResourceQuantities;
    readonly limits?: ForwarderResourceQuantities;
  };
  /**
   * Further forwarder settings (see forwarder/src/config/config.ts), e.g. `{ "LOG_LEVEL": "debug" }`.
   * Secrets and the settings above have their own props and are refused here.
   * @default none
   */
  readonly env?: Readonly<Record<string, string>>;
}

export const DEFAULT_FORWARDER_NAME = 'algorithmia-datadog-forwarder';
export const DEFAULT_API_KEY_SECRET: SecretKeyReference = { name: 'datadog-api-key', key: 'api-key' };
export const FORWARDER_HTTP_PORT = 8080;
export const METRICS_MOUNT_DIR = '/etc/algorithmia-datadog';
export const METRICS_FILE_NAME = 'metrics.json';
export const DEFAULT_FORWARDER_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '1', memory: '256Mi' },
} as const;
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 20_000;
/** Seconds between the forwarder's own shutdown deadline and the kubelet's SIGKILL. */
const GRACE_MARGIN_SECONDS = 10;

/** Variables the construct sets itself, with the prop that controls each. */
const MANAGED_ENV: Readonly<Record<string, string>> = {
  DD_API_KEY: 'apiKeySecret',
  DATADOG_API_KEY: 'apiKeySecret',
  DD_SITE: 'site',
  DD_HOST: 'site',
  KAFKA_BROKER: 'kafka.brokers',
  KAFKA_TOPIC: 'kafka.topic',
  KAFKA_GROUP_ID: 'kafka.groupId',
  KAFKA_DLQ_TOPIC: 'kafka.deadLetterTopic',
  KAFKA_SSL: 'kafka.ssl',
  KAFKA_SASL_MECHANISM: 'kafka.sasl.mechanism',
  KAFKA_SASL_USERNAME: 'kafka.sasl.username',
  KAFKA_SASL_PASSWORD: 'kafka.sasl.passwordSecret',
  FORWARDER_METRICS_FILE: 'metricDeclaration',
  FORWARDER_TAGS: 'tags',
  FORWARDER_HTTP_PORT: `(fixed at ${FORWARDER_HTTP_PORT} for the probes)`,
  FORWARDER_SHUTDOWN_TIMEOUT_MS: 'shutdownTimeoutMs',
};

/**
 * The forwarder as a Kubernetes Deployment next to the Datadog resources: the image, its settings
 * as environment variables, the metric declaration as a mounted ConfigMap, the API key (and SASL
 * password) from existing Secrets, health probes, resources, and a replica count that the topic's
 * partitions can keep busy.
 *
 * Pods restart when the metric declaration changes (its hash is a pod-template annotation).
 * The stack needs a KubernetesProvider; `AlgorithmiaStack` adds one when the forwarder is enabled.
 */
export class ForwarderDeployment extends Construct {
  readonly configMap: ConfigMapV1;
  readonly deployment: DeploymentV1;

  constructor(scope: Construct, id: string, props: ForwarderDeploymentProps) {
    super(scope, id);
    const name = props.name ?? DEFAULT_FORWARDER_NAME;
    const namespace = props.namespace ?? 'default';
    const replicas = props.replicas ?? 1;
    const shutdownTimeoutMs = props.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    const apiKeySecret = props.apiKeySecret ?? DEFAULT_API_KEY_SECRET;
    const kafka = props.kafka;
    const groupId = kafka.groupId ?? DEFAULT_FORWARDER_NAME;
    const resources = {
      requests: { ...DEFAULT_FORWARDER_RESOURCES.requests, ...props.resources?.requests },
      limits: { ...DEFAULT_FORWARDER_RESOURCES.limits, ...props.resources?.limits },
    };
    const extraEnv = props.env ?? {};

    addProblems(this, [
      ...imageProblems(props.image),
      ...kubernetesNameProblems('name', name, 63 - '-metrics'.length),
      ...kubernetesNameProblems('namespace', namespace, 63),
      ...replicaProblems(replicas, kafka.partitions, kafka.topic),
      ...kafkaProblems(kafka),
      ...secretReferenceProblems('apiKeySecret', apiKeySecret),
      ...(props.site !== undefined && !isDatadogSite(props.site) ? [`site "${String(props.site)}" is not a Datadog site.`] : []),
      ...tagProblems('tags', props.tags ?? []),
      ...duplicateProblems('tags', props.tags ?? [], 'tag'),
      ...(props.tags ?? []).flatMap((tag, index) =>
        tag.includes(',') ? [`tags[${index}] "${tag}" contains ",", which separates tags in FORWARDER_TAGS.`] : [],
      ),
      ...integerProblems('shutdownTimeoutMs', shutdownTimeoutMs, 100, 3_600_000),
      ...quantityProblems('resources', resources),
      ...envProblems(extraEnv),
      ...metricDeclarationProblems(props.metricDeclaration),
    ]);

    const labels = {
      'app.kubernetes.io/name': DEFAULT_FORWARDER_NAME,
      'app.kubernetes.io/instance': name,
      'app.kubernetes.io/part-of': 'algorithmia-datadog',
      'app.kubernetes.io/managed-by': 'cdktf',
    };
    const selector = { 'app.kubernetes.io/name': labels['app.kubernetes.io/name'], 'app.kubernetes.io/instance': name };

    this.configMap = new ConfigMapV1(this, 'metrics', {
      metadata: { name: `${name}-metrics`, namespace, labels },
      data: { [METRICS_FILE_NAME]: props.metricDeclaration },
    });

    const env: DeploymentV1SpecTemplateSpecContainerEnv[] = [
      { name: 'DD_API_KEY', valueFrom: { secretKeyRef: { name: apiKeySecret.name, key: apiKeySecret.key } } },
      ...(props.site !== undefined ? [{ name: 'DD_SITE', value: props.site }] : []),
      { name: 'KAFKA_BROKER', value: kafka.brokers.join(',') },
      { name: 'KAFKA_TOPIC', value: kafka.topic },
      { name: 'KAFKA_GROUP_ID', value: groupId },
      ...(kafka.deadLetterTopic !== undefined ? [{ name: 'KAFKA_DLQ_TOPIC', value: kafka.deadLetterTopic }] : []),
      ...(kafka.ssl ? [{ name: 'KAFKA_SSL', value: 'true' }] : []),
      ...(kafka.sasl
        ? [
            { name: 'KAFKA_SASL_MECHANISM', value: kafka.sasl.mechanism },
            { name: 'KAFKA_SASL_USERNAME', value: kafka.sasl.username },
            {
              name: 'KAFKA_SASL_PASSWORD',
              valueFrom: { secretKeyRef: { name: kafka.sasl.passwordSecret.name, key: kafka.sasl.passwordSecret.key } },
            },
          ]
        : []),
      { name: 'FORWARDER_METRICS_FILE', value: `${METRICS_MOUNT_DIR}/${METRICS_FILE_NAME}` },
      ...(props.tags && props.tags.length > 0 ? [{ name: 'FORWARDER_TAGS', value: props.tags.join(',') }] : []),
      { name: 'FORWARDER_HTTP_PORT', value: String(FORWARDER_HTTP_PORT) },
      { name: 'FORWARDER_SHUTDOWN_TIMEOUT_MS', value: String(shutdownTimeoutMs) },
      ...Object.keys(extraEnv)
        .sort()
        .map((key) => ({ name: key, value: extraEnv[key] })),
    ];

    const probe = (path: string, periodSeconds: number, initialDelaySeconds: number) => ({
      httpGet: { path, port: String(FORWARDER_HTTP_PORT) },
      initialDelaySeconds,
      periodSeconds,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });

    this.deployment = new DeploymentV1(this, 'deployment', {
      metadata: { name, namespace, labels },
      spec: {
        replicas: String(replicas),
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels,
            // A new metric declaration restarts the pods (a mounted ConfigMap alone would not).
            annotations: { 'algorithmia-datadog/metrics-sha256': sha256(props.metricDeclaration) },
          },
          spec: {
            terminationGracePeriodSeconds: Math.ceil(shutdownTimeoutMs / 1000) + GRACE_MARGIN_SECONDS,
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: '1000', runAsGroup: '1000' },
            container: [
              {
                name: 'forwarder',
                image: props.image,
                imagePullPolicy: props.imagePullPolicy ?? 'IfNotPresent',
                port: [{ name: 'http', containerPort: FORWARDER_HTTP_PORT }],
                env,
                livenessProbe: probe('/healthz', 10, 10),
                readinessProbe: probe('/readyz', 5, 5),
                resources: { requests: resources.requests, limits: resources.limits },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMount: [{ name: 'metrics', mountPath: METRICS_MOUNT_DIR, readOnly: true }],
              },
            ],
            volume: [{ name: 'metrics', configMap: { name: this.configMap.metadata.name } }],
          },
        },
      },
    });
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function imageProblems(image: string): string[] {
  if (typeof image !== 'string' || image.trim() === '') {
    return [
      'image is empty: give the forwarder image built from forwarder/Dockerfile, e.g. "ghcr.io/acme/algorithmia-datadog-forwarder:0.1.0".',
    ];
  }
  if (/\s/.test(image)) return [`image "${image}" contains whitespace.`];
  return [];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function kubernetesNameProblems(setting: string, name: string, maxLength: number): string[] {
  if (DNS_LABEL.test(name) && name.length <= maxLength) return [];
  return [
    `${setting} "${name}" is not a valid Kubernetes name: use at most ${maxLength} lower-case letters, digits and "-", ` +
      'starting and ending with a letter or digit.',
  ];
}

function integerProblems(setting: string, value: number, min: number, max: number): string[] {
  if (Number.isInteger(value) && value >= min && value <= max) return [];
  return [`${setting} must be a whole number from ${min} to ${max} (got ${value}).`];
}

function replicaProblems(replicas: number, partitions: number, topic: string): string[] {
  const problems = [...integerProblems('replicas', replicas, 0, 1000), ...integerProblems('kafka.partitions', partitions, 1, 100_000)];
  if (problems.length > 0) return problems;
  if (replicas > partitions) {
    const idle = replicas - partitions;
    problems.push(
      `replicas (${replicas}) is more than kafka.partitions (${partitions}): a consumer group reads each partition of ` +
        `"${topic}" with one consumer, so ${idle} ${idle === 1 ? 'replica' : 'replicas'} would sit idle. ` +
        `Lower replicas to ${partitions} or less, or add partitions to the topic ` +
        `(kafka-topics.sh --alter --topic ${topic} --partitions ${replicas}) and set kafka.partitions to match.`,
    );
  }
  return problems;
}

const KAFKA_TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

function kafkaProblems(kafka: ForwarderKafkaProps): string[] {
  const problems: string[] = [];
  if (kafka.brokers.length === 0) problems.push('kafka.brokers is empty: give at least one bootstrap broker as "host:port".');
  kafka.brokers.forEach((broker, index) => {
    if (!/^[^\s:/,]+:\d{1,5}$/.test(broker))
      problems.push(`kafka.brokers[${index}] "${broker}" is not host:port (e.g. "kafka-0.kafka:9092").`);
  });
  problems.push(...duplicateProblems('kafka.brokers', kafka.brokers, 'broker'));
  if (!KAFKA_TOPIC_NAME.test(kafka.topic))
    problems.push(`kafka.topic "${kafka.topic}" is not a valid Kafka topic name (letters, digits, ".", "_", "-").`);
  if (kafka.deadLetterTopic !== undefined) {
    if (!KAFKA_TOPIC_NAME.test(kafka.deadLetterTopic)) {
      problems.push(`kafka.deadLetterTopic "${kafka.deadLetterTopic}" is not a valid Kafka topic name (letters, digits, ".", "_", "-").`);
    } else if (kafka.deadLetterTopic === kafka.topic) {
      problems.push('kafka.deadLetterTopic must differ from kafka.topic, or bad messages would be read again.');
    }
  }
  if (kafka.groupId !== undefined && kafka.groupId.trim() === '')
    problems.push('kafka.groupId is empty: remove it for the default, or name the consumer group.');
  if (kafka.sasl) {
    if (!KAFKA_SASL_MECHANISMS.includes(kafka.sasl.mechanism)) {
      problems.push(`kafka.sasl.mechanism "${kafka.sasl.mechanism}" is not supported: use one of ${KAFKA_SASL_MECHANISMS.join(', ')}.`);
    }
    if (kafka.sasl.username.trim() === '') problems.push('kafka.sasl.username is empty.');
    problems.push(...secretReferenceProblems('kafka.sasl.passwordSecret', kafka.sasl.passwordSecret));
  }
  return problems;
}

function secretReferenceProblems(setting: string, reference: SecretKeyReference): string[] {
  const problems: string[] = [];
  if (!DNS_SUBDOMAIN.test(reference.name) || reference.name.length > 253) {
    problems.push(`${setting}.name "${reference.name}" is not a valid Secret name: lower-case letters, digits, "-" and ".".`);
  }
  if (!/^[-._a-zA-Z0-9]{1,253}$/.test(reference.key)) {
    problems.push(`${setting}.key "${reference.key}" is not a valid Secret key: letters, digits, "-", "_" and ".".`);
  }
  return problems;
}

const CPU_QUANTITY = /^([0-9]+m|[0-9]+(\.[0-9]+)?)$/;
const MEMORY_QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/;

function quantityProblems(
  setting: string,
  resources: { requests: ForwarderResourceQuantities; limits: ForwarderResourceQuantities },
): string[] {
  const problems: string[] = [];
  for (const kind of ['requests', 'limits'] as const) {
    const { cpu, memory } = resources[kind];
    if (cpu !== undefined && !CPU_QUANTITY.test(cpu))
      problems.push(`${setting}.${kind}.cpu "${cpu}" is not a CPU quantity such as "100m" or "1".`);
    if (memory !== undefined && !MEMORY_QUANTITY.test(memory))
      problems.push(`${setting}.${kind}.memory "${memory}" is not a memory quantity such as "128Mi" or "1Gi".`);
  }
  return problems;
}

function envProblems(env: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    const managedBy = MANAGED_ENV[key];
    if (managedBy !== undefined) {
      problems.push(
        `env.${key} is set by the construct: use ${managedBy} instead${/KEY|PASSWORD/.test(key) ? ' (a Secret reference: never a literal secret)' : ''}.`,
      );
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

function metricDeclarationProblems(text: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return [`metricDeclaration is not valid JSON (${(error as Error).message}).`];
  }
  try {
    parseMetricDeclaration(json, 'metricDeclaration');
  } catch (error) {
    if (error instanceof MetricDeclarationError) return [`metricDeclaration would be refused by the forwarder: ${error.message}`];
    throw error;
  }
  return [];
}
