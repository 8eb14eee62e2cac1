import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { loadEnvironments, parseEnvironments, readEnvironmentsFile } from '../../config/environments';
import { CONFIG, problemsOf } from '../helpers/environments';

describe('environments config', () => {
  it('reads the committed config/environments.json: staging and prod with their own settings', () => {
    const environments = loadEnvironments(join(CONFIG, 'environments.json'));
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
      organization: 'prod',
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

  it('names the key of a value of the wrong type, and how to write it', () => {
    expect(problemsOf({ environments: { prod: { durationMonitor: { warning: '5000' } } } })).toEqual([
      'environments.prod.durationMonitor.warning must be a number (got "5000"): write 5000 without quotes.',
    ]);
    expect(problemsOf({ environments: { prod: { metricMetadata: 'no' } } })).toEqual([
      'environments.prod.metricMetadata "no" is not allowed. Use one of true, false, "release".',
    ]);
    expect(problemsOf({ environments: { prod: { label: 7 } } })).toEqual([
      'environments.prod.label must be a string in double quotes (got 7).',
    ]);
  });

  it('names a misspelt key, suggests the known one and lists them', () => {
    const [problem] = problemsOf({ environments: { prod: { notificationHandle: ['@slack-ml'] } } });
    expect(problem).toMatch(
      /^environments\.prod\.notificationHandle is not a known setting: did you mean "notificationHandles"\? Known settings here: .*scope/,
    );
  });

  it('requires a critical threshold for an inference monitor', () => {
    expect(problemsOf({ environments: { prod: { inferenceMonitors: { risk_score: { warning: 0.8 } } } } })).toEqual([
      'environments.prod.inferenceMonitors.risk_score.critical is missing: add it, e.g. "critical": 0.9.',
    ]);
  });

  it('rejects an unknown site, a bad environment name and an absolute state path, all in one run', () => {
    const problems = problemsOf({
      environments: { Prod: {}, prod: { site: 'datadog.eu', backend: { type: 'local', path: '/var/state.tfstate' } } },
    });
    expect(problems).toEqual([
      expect.stringContaining('environments.Prod is not an allowed name here: an environment name is lower-case letters'),
      expect.stringMatching(
        /^environments\.prod\.site "datadog\.eu" is not allowed: did you mean "datadoghq\.eu"\? Use one of "datadoghq\.com"/,
      ),
      expect.stringContaining('environments.prod.backend.path "/var/state.tfstate" is absolute'),
    ]);
  });

  it('names missing S3 settings and unknown backend types', () => {
    expect(problemsOf({ environments: { prod: { backend: { type: 's3', bucket: 'b' } } } })).toEqual([
      'environments.prod.backend.region is missing: add it, e.g. "region": "eu-west-1".',
    ]);
    expect(problemsOf({ environments: { prod: { backend: { type: 'gcs' } } } })).toEqual([
      'environments.prod.backend.type "gcs" is not allowed. Use one of "local", "s3", "cloud".',
    ]);
    expect(problemsOf({ environments: { prod: { backend: { type: 'local', bucket: 'b' } } } })).toEqual([
      'environments.prod.backend.bucket is not a known setting. Known settings here: type, path.',
    ]);
  });

  it('rejects a file without environments', () => {
    expect(problemsOf({ environments: {} })).toEqual(['environments {}: add at least one environment, e.g. "prod": {}.']);
    expect(problemsOf({})).toEqual(['environments is missing: add it, e.g. "environments": {"prod":{}}.']);
    expect(problemsOf([])).toEqual(['the top level must be an object ({ ... }) (got []).']);
  });

  it('names the file in the error', () => {
    expect(() => parseEnvironments({ environments: { prod: { tags: 'env:prod' } } }, 'config/environments.json')).toThrow(
      'config/environments.json has a problem:\n  - environments.prod.tags must be a list ([ ... ]) (got "env:prod"): write ["env:prod"].',
    );
  });

  it('reports every shape problem of a run once, and still reads the rest of the environment', () => {
    const reading = readEnvironmentsFile(
      write(
        JSON.stringify({
          environments: {
            prod: {
              scope: 'env:prod',
              notificationHandles: ['slack-ml', '@pagerduty-ml'],
              durationMonitor: { critical: 20000, warning: '5000', window: 'last 5m' },
              inferenceMonitors: { risk_score: { warning: 0.8 }, approved: { critical: 0.2, comparator: '=<' } },
            },
          },
        }),
      ),
    );
    expect(reading.problems.map((problem) => problem.path)).toEqual([
      'environments.prod.notificationHandles[0]',
      'environments.prod.durationMonitor.warning',
      'environments.prod.durationMonitor.window',
      'environments.prod.inferenceMonitors.risk_score.critical',
      'environments.prod.inferenceMonitors.approved.comparator',
    ]);
    // What was right is kept, so the constructs can check it in the same run.
    expect(reading.environments[0].integration).toEqual({
      scope: 'env:prod',
      durationMonitor: { critical: 20000 },
      inferenceMonitors: { approved: { critical: 0.2 } },
      metricMetadata: true,
    });
  });

  it('gives line and column of a JSON syntax error, and the likely fix', () => {
    const reading = readEnvironmentsFile(write('{\n  "environments": {\n    "prod": { "tags": ["env:prod"], }\n  }\n}\n'));
    expect(reading.problems).toEqual([
      expect.objectContaining({
        line: 3,
        column: 37,
        message: 'not valid JSON: unexpected "}" after a comma: remove the comma (JSON allows no trailing comma).',
      }),
    ]);
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
      const own = parseEnvironments({
        environments: { prod: { tags: ['env:prod'], forwarder: { enabled: true, image: 'i', kafka, tags: ['team:ml'] } } },
      });
      expect(own[0].forwarder?.tags).toEqual(['team:ml']);
    });

    it('names the missing keys when enabled', () => {
      expect(problemsOf({ environments: { prod: { forwarder: { enabled: true } } } })).toEqual([
        'environments.prod.forwarder.image is missing: add it, e.g. "image": "ghcr.io/example/algorithmia-datadog-forwarder:0.1.0".',
        'environments.prod.forwarder.kafka is missing: add it, e.g. "kafka": {"brokers":["kafka-0.kafka:9092"],"topic":"algorithmia-insights","partitions":6}.',
      ]);
      expect(problemsOf({ environments: { prod: { forwarder: { enabled: true, image: 'i', kafka: { topic: 't' } } } } })).toEqual([
        'environments.prod.forwarder.kafka.brokers is missing: add it, e.g. "brokers": ["kafka-0.kafka:9092"].',
        'environments.prod.forwarder.kafka.partitions is missing: add it, e.g. "partitions": 6.',
      ]);
    });

    it('checks the shape even when switched off, naming the key', () => {
      expect(problemsOf({ environments: { prod: { forwarder: { enabled: 'yes', replica: 2, kafka: { partitions: '6' } } } } })).toEqual([
        expect.stringMatching(/^environments\.prod\.forwarder\.replica is not a known setting: did you mean "replicas"\?/),
        'environments.prod.forwarder.enabled must be true or false (got "yes").',
        'environments.prod.forwarder.kafka.partitions must be a number (got "6"): write 6 without quotes.',
      ]);
      expect(problemsOf({ environments: { prod: { forwarder: { apiKeySecret: { name: 'dd', value: 'secret' } } } } })).toEqual([
        'environments.prod.forwarder.apiKeySecret.key is missing: add it, e.g. "key": "api-key".',
        expect.stringMatching(
          /^environments\.prod\.forwarder\.apiKeySecret\.value is not a known setting\. Known settings here: name, key/,
        ),
      ]);
      expect(problemsOf({ environments: { prod: { forwarder: { kubernetes: { token: 'abc' } } } } })).toEqual([
        expect.stringMatching(
          /^environments\.prod\.forwarder\.kubernetes\.token is not a known setting\. Known settings here: configPath, configContext/,
        ),
      ]);
    });
  });

  describe('organisations', () => {
    const owners = (environments: Record<string, unknown>) =>
      Object.fromEntries(
        parseEnvironments({ environments }).map((environment) => [
          environment.name,
          [environment.organization, environment.integration.metricMetadata],
        ]),
      );

    it('gives each environment its own organisation by default, each managing its metric metadata', () => {
      expect(owners({ staging: {}, prod: {} })).toEqual({ staging: ['staging', true], prod: ['prod', true] });
    });

    it('lets the first environment of a shared organisation manage the metadata, unless one says true', () => {
      expect(owners({ staging: { organization: 'acme' }, prod: { organization: 'acme' }, lab: {} })).toEqual({
        staging: ['acme', true],
        prod: ['acme', false],
        lab: ['lab', true],
      });
      expect(owners({ staging: { organization: 'acme' }, prod: { organization: 'acme', metricMetadata: true } })).toEqual({
        staging: ['acme', false],
        prod: ['acme', true],
      });
      expect(owners({ staging: { organization: 'acme', metricMetadata: 'release' }, prod: { organization: 'acme' } })).toEqual({
        staging: ['acme', 'release'],
        prod: ['acme', true],
      });
    });

    it('the committed config: staging and prod share organisation acme, and only prod manages its metadata', () => {
      const environments = loadEnvironments(join(CONFIG, 'environments.json'));
      expect(
        environments.map((environment) => [environment.name, environment.organization, environment.integration.metricMetadata]),
      ).toEqual([
        ['staging', 'acme', false],
        ['prod', 'acme', true],
      ]);
    });

    it('refuses two owners of the metadata of one organisation, saying how to fix it', () => {
      expect(
        problemsOf({
          environments: { staging: { organization: 'acme', metricMetadata: true }, prod: { organization: 'acme', metricMetadata: true } },
        }),
      ).toEqual([
        'environments.prod.metricMetadata is true, but environments.staging already manages the metric metadata of organisation "acme": ' +
          'metadata belongs to the organisation, and two stacks owning it overwrite each other. ' +
          'Set "metricMetadata": false here (or "release" if this stack managed it before), or give environments.staging "metricMetadata": false.',
      ]);
    });

    it('refuses two sites for one organisation', () => {
      expect(
        problemsOf({ environments: { staging: { organization: 'acme', site: 'datadoghq.eu' }, prod: { organization: 'acme' } } }),
      ).toEqual([
        'environments.prod.site is not set (DD_HOST at deploy time), but environments.staging.site is "datadoghq.eu", and both are in organisation "acme", which lives on one site: give them the same site, or different "organization" names.',
      ]);
    });
  });

  describe('adopt', () => {
    it('maps the ids of the existing dashboard and monitor', () => {
      const [environment] = parseEnvironments({
        environments: { prod: { adopt: { dashboardId: 'abc-def-ghi', durationMonitorId: 1234567 } } },
      });
      expect(environment.integration.adopt).toEqual({ dashboardId: 'abc-def-ghi', durationMonitorId: 1234567 });
    });

    it('names ids that cannot be Datadog ids, and where to copy them from', () => {
      expect(
        problemsOf({
          environments: { prod: { adopt: { dashboardId: 'https://app.datadoghq.com/dashboard/abc-def-ghi', durationMonitorId: '123' } } },
        }),
      ).toEqual([
        'environments.prod.adopt.dashboardId "https://app.datadoghq.com/dashboard/abc-def-ghi": copy the id from the dashboard\'s URL, /dashboard/<id>/..., e.g. "abc-def-ghi".',
        'environments.prod.adopt.durationMonitorId must be a whole number (got "123"): write 123 without quotes.',
      ]);
    });

    it("tells to copy the monitor's id when its URL is pasted", () => {
      expect(
        problemsOf({ environments: { prod: { adopt: { durationMonitorId: 'https://app.datadoghq.com/monitors/12345?from_ts=1' } } } }),
      ).toEqual([
        'environments.prod.adopt.durationMonitorId must be a whole number (got "https://app.datadoghq.com/monitors/12345?from_ts=1"): ' +
          "copy the number from the monitor's URL, /monitors/<id>, e.g. 1234567.",
      ]);
    });

    it('refuses one object adopted by two environments of one organisation, and allows it across organisations', () => {
      const adopt = { dashboardId: 'abc-def-ghi', durationMonitorId: 1234567 };
      expect(
        problemsOf({
          environments: {
            staging: { organization: 'acme', adopt },
            prod: { organization: 'acme', adopt: { ...adopt, dashboardId: 'xyz-xyz-xyz' } },
          },
        }),
      ).toEqual([
        'environments.prod.adopt.durationMonitorId 1234567 is also adopted by environments.staging, in the same organisation "acme": ' +
          'one Datadog object can belong to one stack only (each deploy would overwrite the other, and destroying one stack deletes it for both). ' +
          'Adopt it in one environment and remove it here; this environment then creates its own.',
      ]);
      expect(
        parseEnvironments({ environments: { staging: { organization: 'acme', adopt }, prod: { organization: 'globex', adopt } } }).map(
          (environment) => environment.integration.adopt,
        ),
      ).toEqual([adopt, adopt]);
    });
  });

  describe('JSON Schema', () => {
    it('is what both config files name in "$schema", so that editors complete and check keys', () => {
      for (const [file, schema] of [
        ['environments.json', 'environments.schema.json'],
        ['metrics.json', 'metrics.schema.json'],
      ]) {
        expect(JSON.parse(readFileSync(join(CONFIG, file), 'utf8')).$schema).toBe(`./${schema}`);
      }
    });

    it('is a valid draft-07 schema, and the committed config satisfies it', () => {
      const ajv = new Ajv({ strict: false });
      for (const [file, schema] of [
        ['environments.json', 'environments.schema.json'],
        ['metrics.json', 'metrics.schema.json'],
      ]) {
        const validate = ajv.compile(JSON.parse(readFileSync(join(CONFIG, schema), 'utf8')));
        expect({ file, valid: validate(JSON.parse(readFileSync(join(CONFIG, file), 'utf8'))), errors: validate.errors ?? null }).toEqual({
          file,
          valid: true,
          errors: null,
        });
      }
    });

    it('config/metrics.schema.json is the one the metric declaration package checks with (and ships to the forwarder)', () => {
      expect(readFileSync(join(CONFIG, 'metrics.schema.json'), 'utf8')).toBe(
        readFileSync(join(__dirname, '..', '..', 'metric-declaration', 'src', 'metrics.schema.json'), 'utf8'),
      );
    });
  });
});

function write(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'environments-')), 'environments.json');
  writeFileSync(file, text);
  return file;
}
