import { ConfigError, loadConfig } from '../../../src/config/config';
import { runtimeHasZstd } from '../../../src/submit/compression';

const minimal = { DD_API_KEY: 'k', KAFKA_BROKER: 'b1:9092, b2:9093', KAFKA_TOPIC: 'insights' };

function errorOf(env: Record<string, string>, files: Record<string, string> = {}): string {
  try {
    loadConfig(env, (path) => {
      if (path in files) return files[path];
      throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('loadConfig', () => {
  it("accepts the original forwarder's three variables and fills defaults", () => {
    const config = loadConfig({ DATADOG_API_KEY: 'k', KAFKA_BROKER: 'kafka:9092', KAFKA_TOPIC: 'insights' });
    expect(config.datadog).toMatchObject({ apiKey: 'k', baseUrl: 'https://api.datadoghq.com' });
    expect(config.kafka).toMatchObject({
      brokers: ['kafka:9092'],
      topics: ['insights'],
      groupId: 'algorithmia-datadog-forwarder',
      ssl: false,
      fromBeginning: true,
      sessionTimeoutMs: 30_000,
      heartbeatIntervalMs: 3_000,
    });
    expect(config.catalog.prefix).toBe('algorithmia');
    expect(config.tagRequestIds).toBe(false);
    expect(config.healthMetrics).toBe(true);
    expect(loadConfig({ ...minimal, FORWARDER_HEALTH_METRICS: 'false' }).healthMetrics).toBe(false);
  });

  it('reads site, host override, SASL/TLS, tags and the metric declaration file', () => {
    const config = loadConfig(
      {
        ...minimal,
        DD_SITE: 'datadoghq.eu',
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
        FORWARDER_TAGS: 'env:prod, team:ml',
        FORWARDER_METRICS_FILE: 'm.json',
      },
      () => JSON.stringify({ prefix: 'ml', inferenceMetrics: [{ key: 'risk_score' }] }),
    );
    expect(config.datadog.baseUrl).toBe('https://api.datadoghq.eu');
    expect(config.kafka.brokers).toEqual(['b1:9092', 'b2:9093']);
    expect(config.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: 'p' });
    expect(config.kafka.ssl).toBe(true);
    expect(config.staticTags).toEqual(['env:prod', 'team:ml']);
    expect(config.catalog.lookup('risk_score')?.name).toBe('ml.risk_score');
    expect(loadConfig({ ...minimal, DD_HOST: 'http://127.0.0.1:8126/' }).datadog.baseUrl).toBe('http://127.0.0.1:8126');
  });

  it.each([
    [{ KAFKA_BROKER: 'b:1', KAFKA_TOPIC: 't' }, 'DD_API_KEY (or DATADOG_API_KEY): is required: the Datadog API key'],
    [{ DD_API_KEY: 'k', KAFKA_TOPIC: 't' }, 'KAFKA_BROKER: is required (comma-separated host:port list)'],
    [{ ...minimal, KAFKA_BROKER: 'http://b:1' }, 'KAFKA_BROKER: "http://b:1" is not host:port'],
    [{ ...minimal, KAFKA_TOPIC: 'bad topic' }, 'KAFKA_TOPIC: "bad topic" is not a valid Kafka topic name'],
    [{ ...minimal, KAFKA_DLQ_TOPIC: 'insights' }, 'KAFKA_DLQ_TOPIC: must differ from KAFKA_TOPIC, or bad messages would be read again'],
    [{ ...minimal, DD_SITE: 'datadog.com' }, 'DD_SITE: "datadog.com" is not a Datadog site'],
    [{ ...minimal, DD_HOST: 'not a url' }, 'DD_HOST: "not a url" is not a URL'],
    [{ ...minimal, KAFKA_SASL_MECHANISM: 'gssapi' }, 'KAFKA_SASL_MECHANISM: must be one of plain, scram-sha-256, scram-sha-512'],
    [{ ...minimal, KAFKA_SASL_MECHANISM: 'plain' }, 'KAFKA_SASL_USERNAME: is required'],
    [{ ...minimal, KAFKA_SSL: 'maybe' }, 'KAFKA_SSL: must be true or false (got "maybe")'],
    [{ ...minimal, FORWARDER_HEALTH_METRICS: 'off' }, 'FORWARDER_HEALTH_METRICS: must be true or false (got "off")'],
    [{ ...minimal, FORWARDER_TAGS: 'env:' }, 'FORWARDER_TAGS: tag "env:": it must not end with ":"'],
    [{ ...minimal, FORWARDER_MAX_IN_FLIGHT: '0' }, 'FORWARDER_MAX_IN_FLIGHT: must be between 1 and 64 (got 0)'],
    [{ ...minimal, FORWARDER_METRICS_FILE: 'missing.json' }, 'FORWARDER_METRICS_FILE: cannot read "missing.json" (ENOENT)'],
    [
      { ...minimal, FORWARDER_METRIC_PREFIX: '1x' },
      'FORWARDER_METRICS_FILE with FORWARDER_METRIC_PREFIX: FORWARDER_METRICS_FILE with FORWARDER_METRIC_PREFIX: "prefix" "1x" is not a valid metric name',
    ],
    [{ ...minimal, LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of'],
    [
      { ...minimal, KAFKA_SESSION_TIMEOUT_MS: '10000', KAFKA_HEARTBEAT_INTERVAL_MS: '5000' },
      'KAFKA_HEARTBEAT_INTERVAL_MS: must be at most a third of KAFKA_SESSION_TIMEOUT_MS (10000)',
    ],
  ])('names the setting: %p', (env, message) => {
    expect(errorOf(env as Record<string, string>)).toContain(message);
  });

  it.each([
    ['app.datadoghq.eu', 'DD_SITE: "app.datadoghq.eu" is not a Datadog site: did you mean datadoghq.eu?'],
    ['api.us3.datadoghq.com', 'DD_SITE: "api.us3.datadoghq.com" is not a Datadog site: did you mean us3.datadoghq.com?'],
    ['datadoghq.EU', 'DD_SITE: "datadoghq.EU" is not a Datadog site: did you mean datadoghq.eu?'],
    [
      'https://api.datadoghq.eu',
      'DD_SITE: "https://api.datadoghq.eu" is a URL, not a Datadog site: did you mean datadoghq.eu? A URL goes in DD_HOST (https://api.datadoghq.eu).',
    ],
    ['https://proxy.example.com', 'DD_SITE: "https://proxy.example.com" is a URL, not a Datadog site: use one of datadoghq.com, '],
  ])('DD_SITE %p: says what was probably meant', (site, message) => {
    expect(errorOf({ ...minimal, DD_SITE: site })).toContain(message);
  });

  it('names the declaration file and entry when the declaration is wrong', () => {
    expect(errorOf({ ...minimal, FORWARDER_METRICS_FILE: 'm.json' }, { 'm.json': '{"inferenceMetrics":[{"key":"a b"}]}' })).toContain(
      'FORWARDER_METRICS_FILE: m.json: inferenceMetrics[0]: Datadog would reject metric name "algorithmia.a b"',
    );
  });

  it('refuses a declaration file with a key written twice, at its line', () => {
    expect(
      errorOf({ ...minimal, FORWARDER_METRICS_FILE: 'm.json' }, { 'm.json': '{"prefix": "algorithmia",\n "prefix": "ml"}' }),
    ).toContain('FORWARDER_METRICS_FILE: "m.json" line 2, column 2: key "prefix" appears twice at the top level (first at line 1)');
  });

  describe('FORWARDER_COMPRESSION_LEVEL', () => {
    it("unset leaves each encoding its own level; set, it is every encoding's, within 1-9", () => {
      expect(loadConfig(minimal).datadog.compressionLevel).toBeUndefined();
      expect(loadConfig({ ...minimal, FORWARDER_COMPRESSION_LEVEL: '7' }).datadog.compressionLevel).toBe(7);
      expect(errorOf({ ...minimal, FORWARDER_COMPRESSION_LEVEL: '10' })).toBe(
        'FORWARDER_COMPRESSION_LEVEL: must be between 1 and 9 (got 10)',
      );
    });
  });

  describe('FORWARDER_CONTENT_ENCODING', () => {
    const distribution = { 'm.json': '{"inferenceMetrics":[{"key":"churn","kind":"distribution"}]}' };
    const withDistribution = { ...minimal, FORWARDER_METRICS_FILE: 'm.json' };
    const load = (env: Record<string, string>) => loadConfig(env, (path) => distribution[path as 'm.json']);

    it('auto: deflate for distributions, zstd1 for series where this Node.js has zstd, else gzip', () => {
      expect(load(withDistribution).datadog.encodings).toEqual({
        series: runtimeHasZstd() ? 'zstd1' : 'gzip',
        distribution_points: 'deflate',
      });
    });

    it('one encoding for every endpoint that takes it', () => {
      expect(load({ ...withDistribution, FORWARDER_CONTENT_ENCODING: 'deflate' }).datadog.encodings).toEqual({
        series: 'deflate',
        distribution_points: 'deflate',
      });
      expect(load({ ...minimal, FORWARDER_CONTENT_ENCODING: 'GZIP' }).datadog.encodings.series).toBe('gzip');
    });

    it('refuses in one line an encoding the distribution endpoint does not take, when a distribution is declared', () => {
      expect(errorOf({ ...withDistribution, FORWARDER_CONTENT_ENCODING: 'gzip' }, distribution)).toBe(
        'FORWARDER_CONTENT_ENCODING: gzip: Datadog takes only deflate on /api/v1/distribution_points, where declared distributions go: use auto or deflate',
      );
    });

    it('refuses zstd1 on a Node.js without zstd, and accepts it on one with', () => {
      if (runtimeHasZstd()) {
        expect(loadConfig({ ...minimal, FORWARDER_CONTENT_ENCODING: 'zstd1' }).datadog.encodings.series).toBe('zstd1');
      } else {
        expect(errorOf({ ...minimal, FORWARDER_CONTENT_ENCODING: 'zstd1' })).toBe(
          `FORWARDER_CONTENT_ENCODING: zstd1: needs Node.js 22.15 or later (zlib.zstdCompress), this is Node.js ${process.version}: use auto or gzip`,
        );
      }
    });

    it('refuses a value it does not know', () => {
      expect(errorOf({ ...minimal, FORWARDER_CONTENT_ENCODING: 'br' })).toBe(
        'FORWARDER_CONTENT_ENCODING: must be one of auto, zstd1, gzip, deflate (got "br")',
      );
    });
  });

  it('never puts the API key in an error message', () => {
    const message = errorOf({ ...minimal, DD_API_KEY: 'secret-key-123', DD_SITE: 'nope' });
    expect(message).not.toContain('secret-key-123');
  });
});
