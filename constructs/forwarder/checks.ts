import {
  FORWARDER_SETTINGS as S,
  MetricDeclarationError,
  parseMetricDeclaration,
  siteProblem,
} from '@algorithmia-datadog/metric-declaration';
import { problemAt, type PropPath, type PropProblem } from '../problems';
import { duplicateProblems, tagProblems } from '../validation';
import { CaCertificateReference, ForwarderKafkaProps, IMAGE_PULL_POLICIES, KAFKA_SASL_MECHANISMS, SecretKeyReference } from './props';

/**
 * Synth-time checks of the values `terraform validate` cannot see: the provider skips the value
 * checks under the Deployment's `spec` while the ConfigMap name is unknown, so a replica count of
 * "abc" or a bad pull policy would only fail at apply, or never. Each message names the setting
 * (the key of the `forwarder` section in config/environments.json).
 */

export function imageProblems(image: string): PropProblem[] {
  if (typeof image !== 'string' || image.trim() === '') {
    return [
      problemAt(
        ['image'],
        'is empty: give the forwarder image built from forwarder/Dockerfile, e.g. "ghcr.io/acme/algorithmia-datadog-forwarder:0.1.0".',
      ),
    ];
  }
  if (/\s/.test(image)) return [problemAt(['image'], `"${image}" contains whitespace.`)];
  return [];
}

export function imagePullPolicyProblems(policy: string): PropProblem[] {
  if ((IMAGE_PULL_POLICIES as readonly string[]).includes(policy)) return [];
  return [problemAt(['imagePullPolicy'], `"${policy}" is not a pull policy: use one of ${IMAGE_PULL_POLICIES.join(', ')}.`)];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function kubernetesNameProblems(at: PropPath, name: string, maxLength: number): PropProblem[] {
  if (typeof name === 'string' && DNS_LABEL.test(name) && name.length <= maxLength) return [];
  return [
    problemAt(
      at,
      `"${name}" is not a valid Kubernetes name: use at most ${maxLength} lower-case letters, digits and "-", ` +
        'starting and ending with a letter or digit.',
    ),
  ];
}

export function integerProblems(at: PropPath, value: number, min: number, max: number): PropProblem[] {
  if (Number.isInteger(value) && value >= min && value <= max) return [];
  return [problemAt(at, `must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)}).`)];
}

export function replicaProblems(replicas: number, partitions: number, topic: string): PropProblem[] {
  const problems = integerProblems(['kafka', 'partitions'], partitions, 1, 100_000);
  if (problems.length > 0) return [...problems, ...integerProblems(['replicas'], replicas, 1, 1000)];
  if (!Number.isInteger(replicas) || replicas < 1) {
    return [
      problemAt(['replicas'], `must be a whole number from 1 to kafka.partitions (${partitions}) (got ${JSON.stringify(replicas)}).`),
    ];
  }
  if (replicas > partitions) {
    const idle = replicas - partitions;
    return [
      problemAt(
        ['replicas'],
        `(${replicas}) is more than kafka.partitions (${partitions}): a consumer group reads each partition of ` +
          `"${topic}" with one consumer, so ${idle} ${idle === 1 ? 'replica' : 'replicas'} would sit idle. ` +
          `Lower replicas to ${partitions} or less, or add partitions to the topic ` +
          `(kafka-topics.sh --alter --topic ${topic} --partitions ${replicas}) and set kafka.partitions to match.`,
      ),
    ];
  }
  return [];
}

/** The kubelet must not SIGKILL the forwarder before its own shutdown deadline has passed. */
export function gracePeriodProblems(shutdownTimeoutMs: number, gracePeriodSeconds: number): PropProblem[] {
  const problems = [
    ...integerProblems(['shutdownTimeoutMs'], shutdownTimeoutMs, S.shutdownTimeoutMs.min, S.shutdownTimeoutMs.max),
    ...integerProblems(['terminationGracePeriodSeconds'], gracePeriodSeconds, 1, 3_700),
  ];
  if (problems.length > 0) return problems;
  const deadlineSeconds = Math.ceil(shutdownTimeoutMs / 1000);
  if (gracePeriodSeconds <= deadlineSeconds) {
    problems.push(
      problemAt(
        ['terminationGracePeriodSeconds'],
        `(${gracePeriodSeconds}) must be more than shutdownTimeoutMs (${shutdownTimeoutMs} ms): ` +
          'the kubelet would kill the forwarder before it has flushed and committed, and the messages it sent would be read ' +
          `again. Use ${deadlineSeconds + 10} or more, or remove it for the default (shutdown timeout plus 10 s).`,
      ),
    );
  }
  return problems;
}

/** Not below 1024, where the forwarder's own bound is 0: on Kubernetes it runs without privileges. */
const UNPRIVILEGED_PORTS = { min: 1024, max: S.httpPort.max } as const;

export function httpPortProblems(port: number): PropProblem[] {
  const { min, max } = UNPRIVILEGED_PORTS;
  if (Number.isInteger(port) && port >= min && port <= max) return [];
  return [
    problemAt(
      ['httpPort'],
      `must be a whole number from ${min} to ${max} (got ${JSON.stringify(port)}): the forwarder runs as a non-root user ` +
        'without capabilities, so it cannot listen below 1024.',
    ),
  ];
}

export function apiUrlProblems(apiUrl: string | undefined): PropProblem[] {
  if (apiUrl === undefined) return [];
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return [
      problemAt(
        ['apiUrl'],
        `"${apiUrl}" is not a URL: give the Datadog API base URL or your proxy, e.g. "https://datadog-proxy.internal:8443".`,
      ),
    ];
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return [problemAt(['apiUrl'], `"${apiUrl}" must be an http:// or https:// URL.`)];
  if (url.username !== '' || url.password !== '')
    return [
      problemAt(['apiUrl'], 'must not carry credentials (user:password@): they would be in the synthesized JSON and in Terraform state.'),
    ];
  return [];
}

export function siteProblems(site: string): PropProblem[] {
  const problem = siteProblem(site);
  return problem === undefined ? [] : [problemAt(['site'], `${problem}${/[.?]$/.test(problem) ? '' : '.'}`)];
}

export function forwarderTagProblems(tags: readonly string[]): PropProblem[] {
  return [
    ...tagProblems(['tags'], tags),
    ...duplicateProblems(['tags'], tags, 'tag'),
    ...tags.flatMap((tag, index) =>
      tag.includes(',') ? [problemAt(['tags', index], `"${tag}" contains ",", which separates tags in ${S.tags.env}.`)] : [],
    ),
  ];
}

export function kafkaProblems(kafka: ForwarderKafkaProps): PropProblem[] {
  const problems: PropProblem[] = [];
  if (kafka.brokers.length === 0)
    problems.push(problemAt(['kafka', 'brokers'], 'is empty: give at least one bootstrap broker as "host:port".'));
  kafka.brokers.forEach((broker, index) => {
    if (!S.brokers.itemPattern.test(broker))
      problems.push(problemAt(['kafka', 'brokers', index], `"${broker}" is not host:port (e.g. "kafka-0.kafka:9092").`));
  });
  problems.push(...duplicateProblems(['kafka', 'brokers'], kafka.brokers, 'broker'));
  if (!S.topics.itemPattern.test(kafka.topic))
    problems.push(problemAt(['kafka', 'topic'], `"${kafka.topic}" is not a valid Kafka topic name (letters, digits, ".", "_", "-").`));
  if (kafka.deadLetterTopic !== undefined) {
    if (!S.deadLetterTopic.pattern.test(kafka.deadLetterTopic)) {
      problems.push(
        problemAt(
          ['kafka', 'deadLetterTopic'],
          `"${kafka.deadLetterTopic}" is not a valid Kafka topic name (letters, digits, ".", "_", "-").`,
        ),
      );
    } else if (kafka.deadLetterTopic === kafka.topic) {
      problems.push(problemAt(['kafka', 'deadLetterTopic'], 'must differ from kafka.topic, or bad messages would be read again.'));
    }
  }
  if (kafka.groupId !== undefined && kafka.groupId.trim() === '')
    problems.push(problemAt(['kafka', 'groupId'], 'is empty: remove it for the default, or name the consumer group.'));
  if (kafka.sslCa !== undefined) {
    problems.push(...caReferenceProblems(['kafka', 'sslCa'], kafka.sslCa));
    // The forwarder refuses KAFKA_SSL_CA_FILE without KAFKA_SSL (exit 2): say so at synth instead.
    if (kafka.ssl !== true)
      problems.push(problemAt(['kafka', 'sslCa'], 'is set but kafka.ssl is not true: a CA is only used over TLS. Set "ssl": true.'));
  }
  if (kafka.sasl) {
    if (!KAFKA_SASL_MECHANISMS.includes(kafka.sasl.mechanism)) {
      problems.push(
        problemAt(
          ['kafka', 'sasl', 'mechanism'],
          `"${kafka.sasl.mechanism}" is not supported: use one of ${KAFKA_SASL_MECHANISMS.join(', ')}.`,
        ),
      );
    }
    if (kafka.sasl.username.trim() === '') problems.push(problemAt(['kafka', 'sasl', 'username'], 'is empty.'));
    problems.push(...secretReferenceProblems(['kafka', 'sasl', 'passwordSecret'], kafka.sasl.passwordSecret));
  }
  return problems;
}

export function secretReferenceProblems(at: PropPath, reference: SecretKeyReference): PropProblem[] {
  return [...objectNameProblems([...at, 'name'], reference.name, 'Secret'), ...dataKeyProblems([...at, 'key'], reference.key, 'Secret')];
}

function caReferenceProblems(at: PropPath, reference: CaCertificateReference): PropProblem[] {
  const given = (['secret', 'configMap'] as const).filter((kind) => reference[kind] !== undefined);
  if (given.length !== 1) {
    return [
      problemAt(
        at,
        'must name exactly one of "secret" or "configMap" (the object holding the CA certificate), with its "key", e.g. { "secret": "kafka-ca", "key": "ca.crt" }.',
      ),
    ];
  }
  const kind = given[0];
  const what = kind === 'secret' ? 'Secret' : 'ConfigMap';
  return [...objectNameProblems([...at, kind], reference[kind] as string, what), ...dataKeyProblems([...at, 'key'], reference.key, what)];
}

function objectNameProblems(at: PropPath, name: string, what: string): PropProblem[] {
  if (typeof name === 'string' && DNS_SUBDOMAIN.test(name) && name.length <= 253) return [];
  return [problemAt(at, `"${name}" is not a valid ${what} name: lower-case letters, digits, "-" and ".".`)];
}

function dataKeyProblems(at: PropPath, key: string, what: string): PropProblem[] {
  if (typeof key === 'string' && /^[-._a-zA-Z0-9]{1,253}$/.test(key)) return [];
  return [problemAt(at, `"${key}" is not a valid ${what} key: letters, digits, "-", "_" and ".".`)];
}

export function metricDeclarationProblems(text: string): PropProblem[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return [problemAt(['metricDeclaration'], `is not valid JSON (${(error as Error).message}).`)];
  }
  try {
    parseMetricDeclaration(json, 'metricDeclaration');
  } catch (error) {
    if (error instanceof MetricDeclarationError)
      return [problemAt(['metricDeclaration'], `would be refused by the forwarder: ${error.message}`)];
    throw error;
  }
  return [];
}
