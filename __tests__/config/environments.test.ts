import { join } from 'node:path';
import { EnvironmentConfigError, loadEnvironments, parseEnvironments } from '../../config/environments';

function problemsOf(json: unknown): readonly string[] {
  try {
    parseEnvironments(json, 'environments.json');
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentConfigError);
    return (error as EnvironmentConfigError).problems;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('environments config', () => {
  it('reads the committed config/environments.json: staging and prod with their own settings', () => {
    const environments = loadEnvironments(join(__dirname, '..', '..', 'config', 'environments.json'));
    expect(environments.map((environment) => environment.stackName)).toEqual(['algorithmia-staging', 'algorithmia-prod']);
    const [staging, prod] = environments;
    expect(staging.integration.durationMonitor?.critical).not.toEqual(prod.integration.durationMonitor?.critical);
    expect(staging.integration.notificationHandles).not.toEqual(prod.integration.notificationHandles);
    expect(staging.integration.tags).not.toEqual(prod.integration.tags);
  });

  it('maps every setting to the stack and integration props', () => {
    const [environment] = parseEnvironments({
      environments: {
        prod: {
          label: 'prod',
          site: 'datadoghq.eu',
          scope: 'env:prod',
          tags: ['env:prod'],
          notificationHandles: ['@slack-ml'],
          durationMonitor: { critical: 20000, warning: 10000, window: 'last_10m', renotifyInterval: 60 },
          inferenceMonitors: { risk_score: { critical: 0.9, comparator: '>=', notifyNoData: true } },
          metricMetadata: false,
          backend: { type: 'cloud', organization: 'acme', workspace: 'ml-prod' },
        },
      },
    });
    expect(environment).toEqual({
      name: 'prod',
      stackName: 'algorithmia-prod',
      site: 'datadoghq.eu',
      backend: { type: 'cloud', organization: 'acme', workspace: 'ml-prod' },
      integration: {
        label: 'prod',
        scope: 'env:prod',
        tags: ['env:prod'],
        notificationHandles: ['@slack-ml'],
        durationMonitor: { critical: 20000, warning: 10000, window: 'last_10m', renotifyInterval: 60 },
        inferenceMonitors: { risk_score: { critical: 0.9, comparator: '>=', notifyNoData: true } },
        metricMetadata: false,
      },
    });
  });

  it('defaults to a local backend', () => {
    expect(parseEnvironments({ environments: { dev: {} } })[0].backend).toEqual({ type: 'local' });
  });

  it('names the key of a value of the wrong type', () => {
    expect(problemsOf({ environments: { prod: { durationMonitor: { warning: '5000' } } } })).toEqual([
      'environments.prod.durationMonitor.warning must be a number (got "5000").',
    ]);
    expect(problemsOf({ environments: { prod: { metricMetadata: 'no' } } })).toEqual(['environments.prod.metricMetadata must be true or false (got "no").']);
  });

  it('names a misspelt key and lists the known ones', () => {
    const [problem] = problemsOf({ environments: { prod: { notificationHandle: ['@slack-ml'] } } });
    expect(problem).toMatch(/^environments\.prod\.notificationHandle is not a known setting: use one of .*notificationHandles/);
  });

  it('requires a critical threshold for an inference monitor', () => {
    expect(problemsOf({ environments: { prod: { inferenceMonitors: { risk_score: { warning: 0.8 } } } } })).toEqual([
      'environments.prod.inferenceMonitors.risk_score.critical is missing: a monitor needs a critical threshold (e.g. "critical": 0.9).',
    ]);
  });

  it('rejects an unknown site, a bad environment name and an absolute state path', () => {
    const problems = problemsOf({
      environments: { Prod: { site: 'datadog.eu', backend: { type: 'local', path: '/var/state.tfstate' } } },
    });
    expect(problems).toEqual([
      expect.stringContaining('environments.Prod: the environment name must be lower-case'),
      expect.stringContaining('environments.Prod.site "datadog.eu" is not a Datadog site: use one of datadoghq.com'),
      expect.stringContaining('environments.Prod.backend.path "/var/state.tfstate" is absolute'),
    ]);
  });

  it('names missing S3 settings and unknown backend types', () => {
    expect(problemsOf({ environments: { prod: { backend: { type: 's3', bucket: 'b' } } } })).toEqual(['environments.prod.backend.region is missing.']);
    expect(problemsOf({ environments: { prod: { backend: { type: 'gcs' } } } })).toEqual([
      'environments.prod.backend.type "gcs" is not a backend: use "local", "s3" or "cloud".',
    ]);
  });

  it('rejects a file without environments', () => {
    expect(problemsOf({ environments: {} })).toEqual(['environments is empty: add at least one environment, e.g. "prod": {}.']);
    expect(problemsOf([])).toEqual(['(file) must be an object (got []).']);
  });

  it('names the file in the error', () => {
    expect(() => parseEnvironments({ environments: { prod: { tags: 'env:prod' } } }, 'config/environments.json')).toThrow(
      'config/environments.json has a problem:\n  - environments.prod.tags must be a list of strings (got "env:prod").',
    );
  });
  describe('forwarder', () => {
    const kafka = { brokers: ['kafka-0:9092'], topic: 'insights', partitions: 6 };

    it('is off by default and while enabled is false', () => {
      expect(parseEnvironments({ environments: { prod: {} } })[0].forwarder).toBeUndefined();
      expect(parseEnvironments({ environments: { prod: { forwarder: { enabled: false, image: 'x' } } } })[0].forwarder).toBeUndefined();
    });

    it('maps every setting, and tags default to the environment tags', () => {
      const [environment] = parseEnvironments({
        environments: {
          prod: {
            tags: ['env:prod'],
            forwarder: {
              enabled: true,
              image: 'ghcr.io/acme/forwarder:1',
              imagePullPolicy: 'Always',
              namespace: 'ml',
              name: 'fwd',
              replicas: 2,
              kafka: {
                ...kafka,
                groupId: 'g',
                deadLetterTopic: 'dlq',
                ssl: true,
                sasl: { mechanism: 'scram-sha-512', username: 'u', passwordSecret: { name: 'kafka', key: 'password' } },
              },
              apiKeySecret: { name: 'dd', key: 'api-key' },
              shutdownTimeoutMs: 30000,
              resources: { requests: { cpu: '200m' }, limits: { memory: '512Mi' } },
              env: { LOG_LEVEL: 'debug' },
              kubernetes: { configPath: '~/.kube/config', configContext: 'prod' },
            },
          },
        },
      });
      expect(environment.forwarder).toEqual({
        image: 'ghcr.io/acme/forwarder:1',
        imagePullPolicy: 'Always',
        namespace: 'ml',
        name: 'fwd',
        replicas: 2,
        kafka: {
          ...kafka,
          groupId: 'g',
          deadLetterTopic: 'dlq',
          ssl: true,
          sasl: { mechanism: 'scram-sha-512', username: 'u', passwordSecret: { name: 'kafka', key: 'password' } },
        },
        apiKeySecret: { name: 'dd', key: 'api-key' },
        tags: ['env:prod'],
        shutdownTimeoutMs: 30000,
        resources: { requests: { cpu: '200m' }, limits: { memory: '512Mi' } },
        env: { LOG_LEVEL: 'debug' },
        kubernetes: { configPath: '~/.kube/config', configContext: 'prod' },
      });
      const own = parseEnvironments({ environments: { prod: { tags: ['env:prod'], forwarder: { enabled: true, image: 'i', kafka, tags: ['team:ml'] } } } });
      expect(own[0].forwarder?.tags).toEqual(['team:ml']);
    });

    it('names the missing keys when enabled', () => {
      expect(problemsOf({ environments: { prod: { forwarder: { enabled: true } } } })).toEqual([
        'environments.prod.forwarder.kafka is missing: give at least "brokers", "topic" and "partitions".',
        'environments.prod.forwarder.image is missing.',
      ]);
      expect(problemsOf({ environments: { prod: { forwarder: { enabled: true, image: 'i', kafka: { topic: 't' } } } } })).toEqual([
        'environments.prod.forwarder.kafka.brokers is missing (e.g. ["kafka-0.kafka:9092"]).',
        "environments.prod.forwarder.kafka.partitions is missing (e.g. 6 (the topic's partition count)).",
      ]);
    });

    it('checks the shape even when switched off, naming the key', () => {
      expect(problemsOf({ environments: { prod: { forwarder: { enabled: 'yes', replica: 2, kafka: { partitions: '6' } } } } })).toEqual([
        expect.stringMatching(/^environments\.prod\.forwarder\.replica is not a known setting: use one of .*replicas/),
        'environments.prod.forwarder.enabled must be true or false (got "yes").',
        'environments.prod.forwarder.kafka.partitions must be a number (got "6").',
      ]);
      expect(problemsOf({ environments: { prod: { forwarder: { apiKeySecret: { name: 'dd', value: 'secret' } } } } })).toEqual([
        expect.stringMatching(/^environments\.prod\.forwarder\.apiKeySecret\.value is not a known setting: use one of name, key/),
        'environments.prod.forwarder.apiKeySecret.key is missing.',
      ]);
      expect(problemsOf({ environments: { prod: { forwarder: { kubernetes: { token: 'abc' } } } } })).toEqual([
        expect.stringMatching(/^environments\.prod\.forwarder\.kubernetes\.token is not a known setting: use one of configPath, configContext/),
      ]);
    });
  });
});
