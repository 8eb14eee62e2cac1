import { readFileSync } from 'node:fs';
import { DATADOG_SITES, DatadogSite, isDatadogSite } from '@algorithmia-datadog/metric-declaration';
import type { AlgorithmiaIntegrationProps, InferenceMonitorProps } from '../constructs/algorithmia-integration';
import type { DurationMonitorProps } from '../constructs/duration-monitor';
import type { ForwarderStackProps } from '../constructs/algorithmia-stack';
import type { StateBackendConfig } from '../constructs/state-backend';

/**
 * Reads config/environments.json, the file users edit to describe their environments. This only
 * checks the shape (types, known keys) and names the offending key; what the values mean
 * (warning below critical, valid handles, tags...) is checked by the constructs at synth.
 */

/** One environment, ready for `AlgorithmiaStack`. */
export interface EnvironmentSettings {
  /** The key in `environments`, e.g. `prod`. */
  readonly name: string;
  /** `algorithmia-<name>`: the cdktf stack and the Terraform working directory. */
  readonly stackName: string;
  readonly site?: DatadogSite;
  readonly backend: StateBackendConfig;
  readonly integration: Omit<AlgorithmiaIntegrationProps, 'catalog'>;
  /**
   * Present only when `forwarder.enabled` is true. `tags` default to the environment's tags (so that
   * points carry e.g. `env:prod`, which the monitors' scope selects); main.ts adds the metric
   * declaration.
   */
  readonly forwarder?: ForwarderEnvironmentSettings;
}

export type ForwarderEnvironmentSettings = Omit<ForwarderStackProps, 'metricDeclaration'>;

export class EnvironmentConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'EnvironmentConfigError';
  }
}

const ENVIRONMENT_KEYS = [
  '$comment', 'label', 'site', 'scope', 'tags', 'notificationHandles', 'durationMonitor', 'inferenceMonitors', 'metricMetadata', 'backend', 'forwarder',
];
const FORWARDER_KEYS = [
  '$comment', 'enabled', 'image', 'imagePullPolicy', 'namespace', 'name', 'replicas', 'kafka', 'apiKeySecret', 'tags', 'shutdownTimeoutMs', 'resources', 'env', 'kubernetes',
];
const FORWARDER_KAFKA_KEYS = ['brokers', 'topic', 'partitions', 'groupId', 'deadLetterTopic', 'ssl', 'sasl'];
const THRESHOLD_KEYS = ['critical', 'warning', 'comparator', 'window', 'timeAggregation', 'spaceAggregation', 'scope', 'notificationHandles', 'tags'];
const OPTION_KEYS = ['notifyNoData', 'requireFullWindow', 'includeTags', 'renotifyInterval', 'newGroupDelay', 'notifyAudit', 'timeoutH'];
const MONITOR_KEYS = [...THRESHOLD_KEYS, ...OPTION_KEYS, 'name', 'message'];
const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]*$/;

export function loadEnvironments(path: string): EnvironmentSettings[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new EnvironmentConfigError(path, [`cannot be read as JSON (${(error as Error).message})`]);
  }
  return parseEnvironments(json, path);
}

export function parseEnvironments(json: unknown, source = 'environments config'): EnvironmentSettings[] {
  const reader = new Reader();
  const root = reader.object(json, '(file)');
  const settings: EnvironmentSettings[] = [];
  if (root) {
    reader.knownKeys(root, '(file)', ['environments', '$schema', '$comment']);
    const environments = reader.object(root.environments, 'environments');
    if (environments && Object.keys(environments).length === 0) {
      reader.problem('environments is empty: add at least one environment, e.g. "prod": {}.');
    }
    for (const [name, value] of Object.entries(environments ?? {})) {
      const environment = readEnvironment(reader, name, value);
      if (environment) settings.push(environment);
    }
  }
  if (reader.problems.length > 0) throw new EnvironmentConfigError(source, reader.problems);
  return settings;
}

function readEnvironment(reader: Reader, name: string, value: unknown): EnvironmentSettings | undefined {
  const at = `environments.${name}`;
  if (!ENVIRONMENT_NAME.test(name)) {
    reader.problem(`${at}: the environment name must be lower-case letters, digits and "-", starting with a letter (it becomes the stack name).`);
  }
  const environment = reader.object(value, at);
  if (!environment) return undefined;
  reader.knownKeys(environment, at, ENVIRONMENT_KEYS);

  const site = reader.string(environment.site, `${at}.site`);
  if (site !== undefined && !isDatadogSite(site)) {
    reader.problem(`${at}.site "${site}" is not a Datadog site: use one of ${DATADOG_SITES.join(', ')}.`);
  }
  const inferenceMonitors: Record<string, InferenceMonitorProps> = {};
  for (const [key, monitor] of Object.entries(reader.object(environment.inferenceMonitors, `${at}.inferenceMonitors`, true) ?? {})) {
    const props = readMonitor(reader, monitor, `${at}.inferenceMonitors.${key}`, true);
    if (props) inferenceMonitors[key] = props as unknown as InferenceMonitorProps;
  }
  const durationMonitor = environment.durationMonitor === undefined
    ? undefined
    : (readMonitor(reader, environment.durationMonitor, `${at}.durationMonitor`, false) as DurationMonitorProps | undefined);

  const tags = reader.strings(environment.tags, `${at}.tags`);
  const forwarder = environment.forwarder === undefined ? undefined : readForwarder(reader, environment.forwarder, `${at}.forwarder`, tags);

  return {
    name,
    stackName: `algorithmia-${name}`,
    ...(site !== undefined && isDatadogSite(site) ? { site } : {}),
    backend: readBackend(reader, environment.backend, `${at}.backend`),
    ...(forwarder ? { forwarder } : {}),
    integration: {
      label: reader.string(environment.label, `${at}.label`),
      scope: reader.string(environment.scope, `${at}.scope`),
      tags,
      notificationHandles: reader.strings(environment.notificationHandles, `${at}.notificationHandles`),
      durationMonitor,
      inferenceMonitors,
      metricMetadata: reader.boolean(environment.metricMetadata, `${at}.metricMetadata`),
    },
  };
}

/** Monitor settings use the construct prop names, so a construct's message names the JSON key. */
function readMonitor(reader: Reader, value: unknown, at: string, criticalRequired: boolean): Record<string, unknown> | undefined {
  const monitor = reader.object(value, at);
  if (!monitor) return undefined;
  reader.knownKeys(monitor, at, MONITOR_KEYS);
  if (criticalRequired && monitor.critical === undefined) {
    reader.problem(`${at}.critical is missing: a monitor needs a critical threshold (e.g. "critical": 0.9).`);
  }
  const props: Record<string, unknown> = {};
  for (const key of ['critical', 'warning', 'renotifyInterval', 'newGroupDelay', 'timeoutH']) {
    props[key] = reader.number(monitor[key], `${at}.${key}`);
  }
  for (const key of ['comparator', 'window', 'timeAggregation', 'spaceAggregation', 'scope', 'name', 'message']) {
    props[key] = reader.string(monitor[key], `${at}.${key}`);
  }
  for (const key of ['notificationHandles', 'tags']) props[key] = reader.strings(monitor[key], `${at}.${key}`);
  for (const key of ['notifyNoData', 'requireFullWindow', 'includeTags', 'notifyAudit']) {
    props[key] = reader.boolean(monitor[key], `${at}.${key}`);
  }
  return withoutUndefined(props);
}

function readBackend(reader: Reader, value: unknown, at: string): StateBackendConfig {
  if (value === undefined) return { type: 'local' };
  const backend = reader.object(value, at);
  if (!backend) return { type: 'local' };
  switch (backend.type) {
    case 'local': {
      reader.knownKeys(backend, at, ['type', 'path']);
      const path = reader.string(backend.path, `${at}.path`);
      if (path !== undefined && (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path))) {
        reader.problem(`${at}.path "${path}" is absolute: give a path relative to the project root so that synth output is the same in every checkout.`);
      }
      return withoutUndefined({ type: 'local', path }) as StateBackendConfig;
    }
    case 's3': {
      reader.knownKeys(backend, at, ['type', 'bucket', 'region', 'key', 'dynamodbTable', 'encrypt']);
      return withoutUndefined({
        type: 's3',
        bucket: reader.string(backend.bucket, `${at}.bucket`, true),
        region: reader.string(backend.region, `${at}.region`, true),
        key: reader.string(backend.key, `${at}.key`),
        dynamodbTable: reader.string(backend.dynamodbTable, `${at}.dynamodbTable`),
        encrypt: reader.boolean(backend.encrypt, `${at}.encrypt`),
      }) as StateBackendConfig;
    }
    case 'cloud': {
      reader.knownKeys(backend, at, ['type', 'organization', 'workspace', 'hostname']);
      return withoutUndefined({
        type: 'cloud',
        organization: reader.string(backend.organization, `${at}.organization`, true),
        workspace: reader.string(backend.workspace, `${at}.workspace`),
        hostname: reader.string(backend.hostname, `${at}.hostname`),
      }) as StateBackendConfig;
    }
    default:
      reader.problem(`${at}.type ${JSON.stringify(backend.type)} is not a backend: use "local", "s3" or "cloud".`);
      return { type: 'local' };
  }
}

/**
 * The `forwarder` section. Its shape is checked even when it is switched off (so a typo shows
 * before the day it is switched on); required keys only when `enabled` is true.
 */
function readForwarder(
  reader: Reader,
  value: unknown,
  at: string,
  environmentTags: string[] | undefined,
): ForwarderEnvironmentSettings | undefined {
  const section = reader.object(value, at);
  if (!section) return undefined;
  reader.knownKeys(section, at, FORWARDER_KEYS);
  const enabled = reader.boolean(section.enabled, `${at}.enabled`) ?? false;

  if (enabled && section.kafka === undefined) {
    reader.problem(`${at}.kafka is missing: give at least "brokers", "topic" and "partitions".`);
  }
  const kafka = reader.object(section.kafka, `${at}.kafka`, true);
  if (kafka) reader.knownKeys(kafka, `${at}.kafka`, FORWARDER_KAFKA_KEYS);
  const sasl = reader.object(kafka?.sasl, `${at}.kafka.sasl`, true);
  if (sasl) reader.knownKeys(sasl, `${at}.kafka.sasl`, ['mechanism', 'username', 'passwordSecret']);
  const resources = reader.object(section.resources, `${at}.resources`, true);
  if (resources) reader.knownKeys(resources, `${at}.resources`, ['requests', 'limits']);
  const quantities = (kind: string) => {
    const quantity = reader.object(resources?.[kind], `${at}.resources.${kind}`, true);
    if (!quantity) return undefined;
    reader.knownKeys(quantity, `${at}.resources.${kind}`, ['cpu', 'memory']);
    return withoutUndefined({ cpu: reader.string(quantity.cpu, `${at}.resources.${kind}.cpu`), memory: reader.string(quantity.memory, `${at}.resources.${kind}.memory`) });
  };
  const env = reader.object(section.env, `${at}.env`, true);
  for (const [key, entry] of Object.entries(env ?? {})) reader.string(entry, `${at}.env.${key}`);
  const kubernetes = reader.object(section.kubernetes, `${at}.kubernetes`, true);
  if (kubernetes) reader.knownKeys(kubernetes, `${at}.kubernetes`, ['configPath', 'configContext']);

  const settings = {
    image: reader.string(section.image, `${at}.image`, enabled),
    imagePullPolicy: reader.string(section.imagePullPolicy, `${at}.imagePullPolicy`),
    namespace: reader.string(section.namespace, `${at}.namespace`),
    name: reader.string(section.name, `${at}.name`),
    replicas: reader.number(section.replicas, `${at}.replicas`),
    kafka: kafka && withoutUndefined({
      brokers: reader.strings(kafka.brokers, `${at}.kafka.brokers`) ?? (enabled ? missing(reader, `${at}.kafka.brokers`, '["kafka-0.kafka:9092"]') : undefined),
      topic: reader.string(kafka.topic, `${at}.kafka.topic`, enabled),
      partitions: reader.number(kafka.partitions, `${at}.kafka.partitions`) ?? (enabled ? missing(reader, `${at}.kafka.partitions`, '6 (the topic\'s partition count)') : undefined),
      groupId: reader.string(kafka.groupId, `${at}.kafka.groupId`),
      deadLetterTopic: reader.string(kafka.deadLetterTopic, `${at}.kafka.deadLetterTopic`),
      ssl: reader.boolean(kafka.ssl, `${at}.kafka.ssl`),
      sasl: sasl && {
        mechanism: reader.string(sasl.mechanism, `${at}.kafka.sasl.mechanism`, true),
        username: reader.string(sasl.username, `${at}.kafka.sasl.username`, true),
        passwordSecret: readSecretReference(reader, sasl.passwordSecret, `${at}.kafka.sasl.passwordSecret`, true),
      },
    }),
    apiKeySecret: readSecretReference(reader, section.apiKeySecret, `${at}.apiKeySecret`, false),
    tags: reader.strings(section.tags, `${at}.tags`) ?? environmentTags,
    shutdownTimeoutMs: reader.number(section.shutdownTimeoutMs, `${at}.shutdownTimeoutMs`),
    resources: resources && withoutUndefined({ requests: quantities('requests'), limits: quantities('limits') }),
    env: env as Record<string, string> | undefined,
    kubernetes: kubernetes && withoutUndefined({
      configPath: reader.string(kubernetes.configPath, `${at}.kubernetes.configPath`),
      configContext: reader.string(kubernetes.configContext, `${at}.kubernetes.configContext`),
    }),
  };
  if (!enabled) return undefined;
  return withoutUndefined(settings) as unknown as ForwarderEnvironmentSettings;
}

function readSecretReference(reader: Reader, value: unknown, at: string, required: boolean): { name: string; key: string } | undefined {
  const reference = reader.object(value, at, !required);
  if (!reference) return undefined;
  reader.knownKeys(reference, at, ['name', 'key']);
  const name = reader.string(reference.name, `${at}.name`, true);
  const key = reader.string(reference.key, `${at}.key`, true);
  return name !== undefined && key !== undefined ? { name, key } : undefined;
}

function missing(reader: Reader, at: string, example: string): undefined {
  reader.problem(`${at} is missing (e.g. ${example}).`);
  return undefined;
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Type checks that record a problem naming the key instead of throwing at the first one. */
class Reader {
  readonly problems: string[] = [];

  problem(message: string): void {
    this.problems.push(message);
  }

  object(value: unknown, at: string, optional = false): Record<string, unknown> | undefined {
    if (value === undefined && optional) return undefined;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    this.problem(`${at} must be an object (got ${describe(value)}).`);
    return undefined;
  }

  knownKeys(value: Record<string, unknown>, at: string, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) this.problem(`${at}.${key} is not a known setting: use one of ${known.join(', ')}.`);
    }
  }

  string(value: unknown, at: string, required = false): string | undefined {
    if (value === undefined) {
      if (required) this.problem(`${at} is missing.`);
      return undefined;
    }
    if (typeof value === 'string') return value;
    this.problem(`${at} must be a string (got ${describe(value)}).`);
    return undefined;
  }

  number(value: unknown, at: string): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.problem(`${at} must be a number (got ${describe(value)}).`);
    return undefined;
  }

  boolean(value: unknown, at: string): boolean | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'boolean') return value;
    this.problem(`${at} must be true or false (got ${describe(value)}).`);
    return undefined;
  }

  strings(value: unknown, at: string): string[] | undefined {
    if (value === undefined) return undefined;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
    this.problem(`${at} must be a list of strings (got ${describe(value)}).`);
    return undefined;
  }
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
