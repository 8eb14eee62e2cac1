import { DatadogSite, FORWARDER_SETTINGS } from '@algorithmia-datadog/metric-declaration';

/** A key of an existing Kubernetes Secret. The construct never sees the secret value itself. */
export interface SecretKeyReference {
  /** The Secret's name, in the Deployment's namespace. */
  readonly name: string;
  /** The key inside the Secret's data. */
  readonly key: string;
}

/**
 * Where the PEM certificate of the CA that signed the brokers' certificates lives: a key of an
 * existing Secret or ConfigMap (exactly one of `secret`, `configMap`), in the Deployment's namespace.
 * A CA certificate is public, so a ConfigMap will do; a Secret works too (e.g. the `ca.crt` key of a
 * cert-manager or Strimzi cluster-CA Secret).
 */
export interface CaCertificateReference {
  /** Name of the Secret holding the certificate. @default none: give this or `configMap` */
  readonly secret?: string;
  /** Name of the ConfigMap holding the certificate. @default none: give this or `secret` */
  readonly configMap?: string;
  /** The key holding the PEM text, e.g. `ca.crt`. */
  readonly key: string;
}

/** The SASL mechanisms the forwarder supports: the choices of its `KAFKA_SASL_MECHANISM` setting. */
export const KAFKA_SASL_MECHANISMS = FORWARDER_SETTINGS.saslMechanism.choices;
/** One of {@link KAFKA_SASL_MECHANISMS}. */
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

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
  /**
   * The CA that signed the brokers' certificates, for a private CA. Mounted read-only at
   * `/etc/kafka-ca/ca.crt`, which `KAFKA_SSL_CA_FILE` names. Needs `ssl: true`.
   * @default none: the system CAs of the image
   */
  readonly sslCa?: CaCertificateReference;
  /** SASL authentication; the password comes from a Secret. @default none */
  readonly sasl?: {
    readonly mechanism: KafkaSaslMechanism;
    readonly username: string;
    readonly passwordSecret: SecretKeyReference;
  };
}

/** CPU and memory quantities, as Kubernetes writes them (`100m`, `1`, `160Mi`). */
export interface ForwarderResourceQuantities {
  readonly cpu?: string;
  readonly memory?: string;
}

export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';
export const IMAGE_PULL_POLICIES: readonly ImagePullPolicy[] = ['Always', 'IfNotPresent', 'Never'];
export const DEFAULT_IMAGE_PULL_POLICY: ImagePullPolicy = 'IfNotPresent';

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
  /** Between 1 and `kafka.partitions`. @default 1 */
  readonly replicas?: number;
  /** An existing namespace. @default 'default' */
  readonly namespace?: string;
  /** Name of the Deployment; the ConfigMap is `<name>-metrics`. @default 'algorithmia-datadog-forwarder' */
  readonly name?: string;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * The Secret key holding the Datadog API key (`DD_API_KEY`). Create it beforehand, e.g.
   * `kubectl create secret generic datadog-api-key --from-literal=api-key=...`.
   * @default { name: 'datadog-api-key', key: 'api-key' }
   */
  readonly apiKeySecret?: SecretKeyReference;
  /** Datadog site (`DD_SITE`, always set). @default 'datadoghq.com' */
  readonly site?: DatadogSite;
  /**
   * The Datadog API base URL (`DD_HOST`), e.g. a proxy `https://datadog-proxy.internal:8443`.
   * @default none: the site's API, e.g. https://api.datadoghq.com
   */
  readonly apiUrl?: string;
  /** Tags added to every point (`FORWARDER_TAGS`), e.g. `env:prod` so that monitors scoped `env:prod` see them. @default none */
  readonly tags?: readonly string[];
  /** How long the forwarder may flush and commit on SIGTERM (`FORWARDER_SHUTDOWN_TIMEOUT_MS`). @default 20000 */
  readonly shutdownTimeoutMs?: number;
  /**
   * Seconds between SIGTERM and the kubelet's SIGKILL; must exceed the shutdown timeout, or offsets
   * read and sent are not committed and are read again.
   * @default the shutdown timeout plus 10 s (30)
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * The port of /healthz, /readyz and /metrics (`FORWARDER_HTTP_PORT`), the container port and the
   * probes' port. 1024 or above: the pod runs as non-root without capabilities.
   * @default 8080
   */
  readonly httpPort?: number;
  /**
   * @default requests 100m / (heap + 192Mi), limits 1 CPU / (heap + 264Mi), where the heap follows
   * `FORWARDER_MAX_BUFFERED_POINTS` and `FORWARDER_MAX_SERIES` (96Mi for the defaults: 288Mi / 360Mi). See docs/kubernetes.md#sizing.
   */
  readonly resources?: {
    readonly requests?: ForwarderResourceQuantities;
    readonly limits?: ForwarderResourceQuantities;
  };
  /**
   * Further forwarder settings, e.g. `{ "LOG_LEVEL": "debug" }` (every one, with its default and
   * bounds: FORWARDER_SETTINGS in metric-declaration/src/forwarder-settings.ts).
   * Secrets and the settings above have their own props and are refused here.
   * `FORWARDER_MAX_BUFFERED_POINTS` sizes the heap and the memory; `FORWARDER_NODE_OPTIONS`, when
   * given, must name the heap (`--max-old-space-size`).
   * @default none
   */
  readonly env?: Readonly<Record<string, string>>;
}

export const DEFAULT_FORWARDER_NAME = 'algorithmia-datadog-forwarder';
export const DEFAULT_API_KEY_SECRET: SecretKeyReference = { name: 'datadog-api-key', key: 'api-key' };
// The forwarder's own defaults: the construct sets these variables always, to the same values.
export const DEFAULT_SITE_FOR_FORWARDER: DatadogSite = FORWARDER_SETTINGS.site.default;
export const DEFAULT_HTTP_PORT = FORWARDER_SETTINGS.httpPort.default;
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = FORWARDER_SETTINGS.shutdownTimeoutMs.default;
export const DEFAULT_GROUP_ID = FORWARDER_SETTINGS.groupId.default;
/** Seconds between the forwarder's own shutdown deadline and the kubelet's SIGKILL, by default. */
export const GRACE_MARGIN_SECONDS = 10;
export const METRICS_MOUNT_DIR = '/etc/algorithmia-datadog';
export const METRICS_FILE_NAME = 'metrics.json';
export const KAFKA_CA_MOUNT_DIR = '/etc/kafka-ca';
export const KAFKA_CA_FILE_NAME = 'ca.crt';
