import { DeploymentV1SpecTemplateSpecContainerEnv } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { DatadogSite, FORWARDER_SETTINGS as S, type ForwarderSetting } from '@algorithmia-datadog/metric-declaration';
import {
  ForwarderKafkaProps,
  KAFKA_CA_FILE_NAME,
  KAFKA_CA_MOUNT_DIR,
  METRICS_FILE_NAME,
  METRICS_MOUNT_DIR,
  SecretKeyReference,
} from './props';
import { problemAt, type PropProblem } from '../problems';

/** The forwarder's settings (FORWARDER_SETTINGS, the shared package), resolved from the props. */
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

/** Every name of a setting: its variable and the older names the forwarder also reads. */
const namesOf = (setting: ForwarderSetting): string[] => [setting.env, ...(setting.aliases ?? [])];

/** Settings the construct sets itself, with the prop that controls each. */
const MANAGED_SETTINGS: ReadonlyArray<[ForwarderSetting, string]> = [
  [S.apiKey, 'apiKeySecret'],
  [S.site, 'site'],
  [S.host, 'apiUrl'],
  [S.brokers, 'kafka.brokers'],
  [S.topics, 'kafka.topic'],
  [S.groupId, 'kafka.groupId'],
  [S.deadLetterTopic, 'kafka.deadLetterTopic'],
  [S.ssl, 'kafka.ssl'],
  [S.sslCaFile, 'kafka.sslCa (the CA certificate is mounted from a Secret or ConfigMap)'],
  [S.saslMechanism, 'kafka.sasl.mechanism'],
  [S.saslUsername, 'kafka.sasl.username'],
  [S.saslPassword, 'kafka.sasl.passwordSecret'],
  [S.metricsFile, 'metricDeclaration'],
  [S.tags, 'tags'],
  [S.httpPort, 'httpPort (the probes and the container port follow it)'],
  [S.shutdownTimeoutMs, 'shutdownTimeoutMs'],
];
const MANAGED_ENV: ReadonlyMap<string, { readonly prop: string; readonly secret: boolean }> = new Map(
  MANAGED_SETTINGS.flatMap(([setting, prop]) => namesOf(setting).map((name) => [name, { prop, secret: setting.secret === true }])),
);

/** Variables that would break the pod whatever their value. */
const REFUSED_ENV: ReadonlyMap<string, string> = new Map([
  [
    S.httpHost.env,
    `the kubelet probes the pod's IP, so the forwarder must listen on every interface (${S.httpHost.default}, its default); ` +
      'another address would fail both probes. Remove it.',
  ],
]);

export function forwarderEnv(inputs: ForwarderEnvironmentInputs): DeploymentV1SpecTemplateSpecContainerEnv[] {
  const { kafka, extraEnv } = inputs;
  const secret = (reference: SecretKeyReference) => ({ secretKeyRef: { name: reference.name, key: reference.key } });
  return [
    { name: S.apiKey.env, valueFrom: secret(inputs.apiKeySecret) },
    { name: S.site.env, value: inputs.site },
    ...(inputs.apiUrl !== undefined ? [{ name: S.host.env, value: inputs.apiUrl }] : []),
    { name: S.brokers.env, value: kafka.brokers.join(',') },
    { name: S.topics.env, value: kafka.topic },
    { name: S.groupId.env, value: inputs.groupId },
    ...(kafka.deadLetterTopic !== undefined ? [{ name: S.deadLetterTopic.env, value: kafka.deadLetterTopic }] : []),
    ...(kafka.ssl ? [{ name: S.ssl.env, value: 'true' }] : []),
    ...(kafka.sslCa ? [{ name: S.sslCaFile.env, value: `${KAFKA_CA_MOUNT_DIR}/${KAFKA_CA_FILE_NAME}` }] : []),
    ...(kafka.sasl
      ? [
          { name: S.saslMechanism.env, value: kafka.sasl.mechanism },
          { name: S.saslUsername.env, value: kafka.sasl.username },
          { name: S.saslPassword.env, valueFrom: secret(kafka.sasl.passwordSecret) },
        ]
      : []),
    { name: S.metricsFile.env, value: `${METRICS_MOUNT_DIR}/${METRICS_FILE_NAME}` },
    ...(inputs.tags.length > 0 ? [{ name: S.tags.env, value: inputs.tags.join(',') }] : []),
    { name: S.httpPort.env, value: String(inputs.httpPort) },
    { name: S.shutdownTimeoutMs.env, value: String(inputs.shutdownTimeoutMs) },
    // The launcher's heap flags, sized for the send buffer (see memory.ts).
    { name: S.nodeOptions.env, value: inputs.nodeOptions },
    ...Object.keys(extraEnv)
      .filter((key) => key !== S.nodeOptions.env)
      .sort()
      .map((key) => ({ name: key, value: extraEnv[key] })),
  ];
}

export function envProblems(env: Readonly<Record<string, string>>): PropProblem[] {
  const problems: PropProblem[] = [];
  for (const [key, value] of Object.entries(env)) {
    const managed = MANAGED_ENV.get(key);
    const refused = REFUSED_ENV.get(key);
    const at = ['env', key];
    if (managed !== undefined) {
      problems.push(
        problemAt(
          at,
          `is set by the construct: use ${managed.prop} instead${managed.secret ? ' (a Secret reference: never a literal secret)' : ''}.`,
        ),
      );
    } else if (refused !== undefined) {
      problems.push(problemAt(at, `is refused: ${refused}`));
    } else if (!/^[A-Z_][A-Z0-9_]*$/.test(key)) {
      problems.push(problemAt(at, 'is not an environment variable name: upper-case letters, digits and "_".'));
    } else if (/(API_KEY|APP_KEY|PASSWORD|SECRET|TOKEN)/.test(key)) {
      problems.push(problemAt(at, 'looks like a secret: secrets must come from a Kubernetes Secret, not from the configuration.'));
    } else if (typeof value !== 'string') {
      problems.push(problemAt(at, `must be a string (got ${JSON.stringify(value)}).`));
    }
  }
  return problems;
}
