import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { AlgorithmiaStack, AlgorithmiaStackProps, ForwarderStackProps } from '../../../constructs';
import { addEnvironmentStacks, CONFIG_FILES } from '../../../main';
import { BASE, container, envOf, forwarderError, METRICS_JSON, synthForwarder } from '../../helpers/forwarder';
import { podSpecAsTheProviderSendsIt, restrictedViolations } from '../../helpers/pod-security';
import { onlyResource, SynthesizedStack } from '../../helpers/synth';

function synthStack(props: AlgorithmiaStackProps): SynthesizedStack {
  return JSON.parse(Testing.synth(new AlgorithmiaStack(Testing.app(), 'algorithmia-prod', props), true));
}

describe('ForwarderDeployment', () => {
  it('passes the Kafka and Datadog settings as environment variables', () => {
    const env = envOf(
      synthForwarder({
        site: 'datadoghq.eu',
        tags: ['env:prod', 'team:ml'],
        kafka: { ...BASE.kafka, groupId: 'fwd', deadLetterTopic: 'insights-dlq', ssl: true },
        env: { LOG_LEVEL: 'debug' },
      }),
    );
    expect(env).toEqual({
      DD_API_KEY: { secret_key_ref: { name: 'datadog-api-key', key: 'api-key' } },
      DD_SITE: 'datadoghq.eu',
      KAFKA_BROKER: 'kafka-0:9092,kafka-1:9092',
      KAFKA_TOPIC: 'insights',
      KAFKA_GROUP_ID: 'fwd',
      KAFKA_DLQ_TOPIC: 'insights-dlq',
      KAFKA_SSL: 'true',
      FORWARDER_METRICS_FILE: '/etc/algorithmia-datadog/metrics.json',
      FORWARDER_TAGS: 'env:prod,team:ml',
      FORWARDER_HTTP_PORT: '8080',
      FORWARDER_SHUTDOWN_TIMEOUT_MS: '20000',
      FORWARDER_NODE_OPTIONS: '--max-old-space-size=96 --max-semi-space-size=8 --single-threaded-gc',
      LOG_LEVEL: 'debug',
    });
  });

  it('takes the API key and the SASL password from Secrets, never as literals', () => {
    const env = envOf(
      synthForwarder({
        apiKeySecret: { name: 'dd', key: 'key' },
        kafka: {
          ...BASE.kafka,
          sasl: { mechanism: 'scram-sha-512', username: 'forwarder', passwordSecret: { name: 'kafka-user', key: 'password' } },
        },
      }),
    );
    expect(env.DD_API_KEY).toEqual({ secret_key_ref: { name: 'dd', key: 'key' } });
    expect(env.KAFKA_SASL_MECHANISM).toBe('scram-sha-512');
    expect(env.KAFKA_SASL_USERNAME).toBe('forwarder');
    expect(env.KAFKA_SASL_PASSWORD).toEqual({ secret_key_ref: { name: 'kafka-user', key: 'password' } });
  });

  it('refuses secrets and managed settings in env', () => {
    const message = forwarderError({ env: { DD_API_KEY: 'abc', KAFKA_TOPIC: 'x', MY_TOKEN: 'y' } });
    expect(message).toMatch(/env\.DD_API_KEY is set by the construct: use apiKeySecret instead \(a Secret reference/);
    expect(message).toMatch(/env\.KAFKA_TOPIC is set by the construct: use kafka\.topic instead/);
    expect(message).toMatch(/env\.MY_TOKEN looks like a secret/);
  });

  it('probes /healthz and /readyz on port 8080', () => {
    const forwarder = container(synthForwarder());
    expect(forwarder.liveness_probe.http_get).toEqual({ path: '/healthz', port: '8080' });
    expect(forwarder.readiness_probe.http_get).toEqual({ path: '/readyz', port: '8080' });
    expect(forwarder.port).toEqual([{ name: 'http', container_port: 8080 }]);
  });

  it('requests and limits resources, with overridable defaults', () => {
    expect(container(synthForwarder()).resources).toEqual({
      requests: { cpu: '100m', memory: '288Mi' },
      limits: { cpu: '1', memory: '360Mi' },
    });
    expect(container(synthForwarder({ resources: { limits: { memory: '512Mi' } } })).resources.limits).toEqual({
      cpu: '1',
      memory: '512Mi',
    });
    expect(forwarderError({ resources: { requests: { memory: '128 MB' } } })).toMatch(
      /resources\.requests\.memory "128 MB" is not a memory quantity/,
    );
  });

  it('mounts a ConfigMap holding config/metrics.json at /etc/algorithmia-datadog', () => {
    const synthesized = synthForwarder();
    const configMap = onlyResource(synthesized, 'kubernetes_config_map_v1');
    expect(configMap.data['metrics.json']).toBe(METRICS_JSON);
    expect(configMap.metadata.name).toBe('algorithmia-datadog-forwarder-metrics');
    const deployment = onlyResource(synthesized, 'kubernetes_deployment_v1');
    expect(deployment.spec.template.spec.volume).toEqual([
      {
        name: 'metrics',
        config_map: { name: expect.stringMatching(/^\$\{kubernetes_config_map_v1\.[A-Za-z0-9_]+\.metadata\[0\]\.name\}$/) },
      },
    ]);
    expect(container(synthesized).volume_mount).toEqual([{ name: 'metrics', mount_path: '/etc/algorithmia-datadog', read_only: true }]);
    // Pods roll when the declaration changes.
    const hash = (json: string) =>
      onlyResource(synthForwarder({ metricDeclaration: json }), 'kubernetes_deployment_v1').spec.template.metadata.annotations[
        'algorithmia-datadog/metrics-sha256'
      ];
    expect(hash(METRICS_JSON)).toMatch(/^[0-9a-f]{64}$/);
    expect(hash(METRICS_JSON)).not.toBe(hash('{"inferenceMetrics":[]}'));
  });

  it('refuses a metric declaration the forwarder would refuse', () => {
    expect(forwarderError({ metricDeclaration: '{' })).toMatch(/metricDeclaration is not valid JSON/);
  });

  it('runs the requested replicas in the namespace, with a grace period above the shutdown timeout', () => {
    const deployment = onlyResource(
      synthForwarder({ replicas: 3, namespace: 'ml', shutdownTimeoutMs: 45_000 }),
      'kubernetes_deployment_v1',
    );
    expect(deployment.spec.replicas).toBe('3');
    expect(deployment.metadata).toMatchObject({ name: 'algorithmia-datadog-forwarder', namespace: 'ml' });
    expect(deployment.spec.template.spec.termination_grace_period_seconds).toBe(55);
    expect(deployment.spec.selector.match_labels).toEqual({
      'app.kubernetes.io/name': 'algorithmia-datadog-forwarder',
      'app.kubernetes.io/instance': 'algorithmia-datadog-forwarder',
    });
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.match_labels);
    expect(onlyResource(synthForwarder(), 'kubernetes_deployment_v1').spec.template.spec.termination_grace_period_seconds).toBe(30);
  });

  it('fails with an actionable message when replicas exceed the partitions', () => {
    const message = forwarderError({ replicas: 5 });
    expect(message).toMatch(
      /replicas \(5\) is more than kafka\.partitions \(3\).*2 replicas would sit idle\. Lower replicas to 3 or less, or add partitions/,
    );
    expect(message).toMatch(/kafka-topics\.sh --alter --topic insights --partitions 5/);
  });

  it('names bad Kafka settings and Secret references', () => {
    const message = forwarderError({
      image: '',
      kafka: { brokers: ['kafka-0'], topic: 'insights', partitions: 0, deadLetterTopic: 'insights' },
      apiKeySecret: { name: 'Datadog Key', key: 'api key' },
    });
    expect(message).toMatch(/image is empty/);
    expect(message).toMatch(/kafka\.brokers\[0\] "kafka-0" is not host:port/);
    expect(message).toMatch(/kafka\.partitions must be a whole number from 1/);
    expect(message).toMatch(/kafka\.deadLetterTopic must differ from kafka\.topic/);
    expect(message).toMatch(/apiKeySecret\.name "Datadog Key" is not a valid Secret name/);
    expect(message).toMatch(/apiKeySecret\.key "api key" is not a valid Secret key/);
  });
});

describe('AlgorithmiaStack with a forwarder', () => {
  const forwarder: ForwarderStackProps = { ...BASE, kubernetes: { configPath: '~/.kube/config', configContext: 'prod' } };

  it('adds a Kubernetes provider from the cluster settings, without credentials', () => {
    const synthesized = synthStack({ forwarder });
    expect(synthesized.provider?.kubernetes).toEqual([{ config_path: '~/.kube/config', config_context: 'prod' }]);
    expect(Object.keys(synthesized.resource ?? {})).toEqual(
      expect.arrayContaining(['kubernetes_deployment_v1', 'kubernetes_config_map_v1']),
    );
    expect(synthesized.resource?.kubernetes_deployment_v1).toHaveProperty('forwarder_deployment');
    expect(synthesized.resource?.kubernetes_config_map_v1).toHaveProperty('forwarder_metrics');
  });

  it('gives the forwarder the stack site unless it sets its own, and datadoghq.com without either', () => {
    expect(envOf(synthStack({ site: 'datadoghq.eu', forwarder })).DD_SITE).toBe('datadoghq.eu');
    expect(envOf(synthStack({ site: 'datadoghq.eu', forwarder: { ...forwarder, site: 'us5.datadoghq.com' } })).DD_SITE).toBe(
      'us5.datadoghq.com',
    );
    expect(envOf(synthStack({ forwarder })).DD_SITE).toBe('datadoghq.com');
  });

  it('is disabled by default: no Kubernetes resource and no Kubernetes provider', () => {
    const synthesized = synthStack({});
    expect(Object.keys(synthesized.provider ?? {})).toEqual(['datadog']);
    expect(Object.keys(synthesized.resource ?? {}).filter((type) => type.startsWith('kubernetes'))).toEqual([]);
    expect(JSON.stringify(synthesized.terraform?.required_providers ?? {})).not.toMatch(/kubernetes/);
  });
});

describe('environments with a forwarder section', () => {
  it('deploys config/metrics.json and the environment settings when switched on', () => {
    const folder = mkdtempSync(join(tmpdir(), 'forwarder-env-'));
    try {
      const environments = join(folder, 'environments.json');
      writeFileSync(
        environments,
        JSON.stringify({
          environments: {
            prod: {
              site: 'datadoghq.eu',
              tags: ['env:prod'],
              forwarder: {
                enabled: true,
                image: 'forwarder:1',
                replicas: 2,
                kafka: { brokers: ['k:9092'], topic: 'insights', partitions: 2 },
                kubernetes: { configContext: 'prod' },
              },
            },
          },
        }),
      );
      const [stack] = addEnvironmentStacks(Testing.app(), { metrics: CONFIG_FILES.metrics, environments });
      const synthesized = JSON.parse(Testing.synth(stack, true));
      expect(synthesized.provider.kubernetes).toEqual([{ config_context: 'prod' }]);
      expect(onlyResource(synthesized, 'kubernetes_config_map_v1').data['metrics.json']).toBe(METRICS_JSON);
      expect(envOf(synthesized)).toMatchObject({ DD_SITE: 'datadoghq.eu', FORWARDER_TAGS: 'env:prod', KAFKA_TOPIC: 'insights' });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('deploys nothing to Kubernetes while the committed config keeps it switched off', () => {
    for (const stack of addEnvironmentStacks(Testing.app())) {
      const synthesized = JSON.parse(Testing.synth(stack, true));
      expect(Object.keys(synthesized.provider)).toEqual(['datadog']);
      expect(Object.keys(synthesized.resource).filter((type) => type.startsWith('kubernetes'))).toEqual([]);
    }
  });
});

describe('the example staging forwarder and the docs example, switched on', () => {
  const committed = JSON.parse(readFileSync(CONFIG_FILES.environments, 'utf8'));

  /** Synthesizes one environment of an environments file written to a temporary folder. */
  function synthEnvironment(document: unknown, name: string): SynthesizedStack {
    const folder = mkdtempSync(join(tmpdir(), 'forwarder-example-'));
    try {
      const environments = join(folder, 'environments.json');
      writeFileSync(environments, JSON.stringify(document));
      const stack = addEnvironmentStacks(Testing.app(), { metrics: CONFIG_FILES.metrics, environments }).find(
        (candidate) => candidate.node.id === `algorithmia-${name}`,
      );
      return JSON.parse(Testing.synth(stack!, true));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  function stagingWith(forwarder: Record<string, unknown>): unknown {
    const document = structuredClone(committed);
    document.environments.staging.forwarder = { ...document.environments.staging.forwarder, enabled: true, ...forwarder };
    return document;
  }

  it('runs SCRAM-SHA-512 over TLS with the private CA mounted, and passes the restricted Pod Security Standard', () => {
    const synthesized = synthEnvironment(stagingWith({}), 'staging');
    const env = envOf(synthesized);
    expect(env).toMatchObject({
      DD_SITE: 'datadoghq.com',
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: '/etc/kafka-ca/ca.crt',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_PASSWORD: { secret_key_ref: { name: 'kafka-forwarder-user', key: 'password' } },
    });
    expect(container(synthesized).volume_mount).toContainEqual({ name: 'kafka-ca', mount_path: '/etc/kafka-ca', read_only: true });
    const deployment = onlyResource(synthesized, 'kubernetes_deployment_v1');
    expect(deployment.spec.template.spec.volume).toContainEqual({
      name: 'kafka-ca',
      secret: { secret_name: 'kafka-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }], default_mode: '0444' },
    });
    expect(restrictedViolations(podSpecAsTheProviderSendsIt(deployment))).toEqual([]);
  });

  it('names the environment and the key when a forwarder setting cannot work', () => {
    const staging = committed.environments.staging.forwarder;
    const synth = (forwarder: Record<string, unknown>) => () => synthEnvironment(stagingWith(forwarder), 'staging');
    expect(synth({ kafka: { ...staging.kafka, ssl: false } })).toThrow(
      /\[algorithmia-staging\/forwarder\] kafka\.sslCa is set but kafka\.ssl is not true/,
    );
    expect(synth({ env: { FORWARDER_MAX_BUFFERED_POINTS: '1000000' }, resources: { limits: { memory: '256Mi' } } })).toThrow(
      /\[algorithmia-staging\/forwarder\] resources\.limits\.memory "256Mi" cannot fit the forwarder: a 206 MiB heap \(FORWARDER_MAX_BUFFERED_POINTS=1000000\) peaks near 398Mi/,
    );
    expect(synth({ kafka: { ...staging.kafka, caFile: '/ca.pem' } })).toThrow(/environments\.staging\.forwarder\.kafka\.caFile/);
    expect(synth({ httpPort: '8080' })).toThrow(/environments\.staging\.forwarder\.httpPort/);
  });

  it('synthesizes the docs/kubernetes.md example as written', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'kubernetes.md'), 'utf8');
    const block = /```json\n\s*("prod": \{[\s\S]*?\n\s*\})\n\s*```/.exec(doc);
    expect(block).not.toBeNull();
    const synthesized = synthEnvironment(JSON.parse(`{ "environments": { ${block![1]} } }`), 'prod');
    // The example sets no site (docs/kubernetes.md, step 3): the forwarder gets the default one.
    expect(envOf(synthesized)).toMatchObject({
      DD_SITE: 'datadoghq.com',
      KAFKA_SSL_CA_FILE: '/etc/kafka-ca/ca.crt',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
    });
  });
});
