import { loadConfig } from '../../../forwarder/src/config/config';
import { BASE, container, deploymentOf, envOf, forwarderError, METRICS_JSON, synthForwarder } from '../../helpers/forwarder';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBplaceholder\n-----END CERTIFICATE-----\n';

const SCRAM_OVER_TLS = {
  ...BASE.kafka,
  ssl: true,
  sasl: {
    mechanism: 'scram-sha-512' as const,
    username: 'algorithmia-datadog',
    passwordSecret: { name: 'kafka-forwarder-user', key: 'password' },
  },
};

describe('ForwarderDeployment Kafka TLS', () => {
  it('mounts the CA certificate from a Secret read-only and names it in KAFKA_SSL_CA_FILE', () => {
    const synthesized = synthForwarder({ kafka: { ...SCRAM_OVER_TLS, sslCa: { secret: 'kafka-cluster-ca-cert', key: 'ca.crt' } } });
    const env = envOf(synthesized);
    expect(env).toMatchObject({
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: '/etc/kafka-ca/ca.crt',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'algorithmia-datadog',
      KAFKA_SASL_PASSWORD: { secret_key_ref: { name: 'kafka-forwarder-user', key: 'password' } },
    });
    expect(container(synthesized).volume_mount).toEqual([
      { name: 'metrics', mount_path: '/etc/algorithmia-datadog', read_only: true },
      { name: 'kafka-ca', mount_path: '/etc/kafka-ca', read_only: true },
    ]);
    expect(deploymentOf(synthesized).spec.template.spec.volume[1]).toEqual({
      name: 'kafka-ca',
      secret: { secret_name: 'kafka-cluster-ca-cert', items: [{ key: 'ca.crt', path: 'ca.crt' }], default_mode: '0444' },
    });
  });

  it('takes the CA certificate from a ConfigMap, under any key', () => {
    const synthesized = synthForwarder({ kafka: { ...SCRAM_OVER_TLS, sslCa: { configMap: 'kafka-ca', key: 'private-ca.pem' } } });
    expect(envOf(synthesized).KAFKA_SSL_CA_FILE).toBe('/etc/kafka-ca/ca.crt');
    expect(deploymentOf(synthesized).spec.template.spec.volume[1]).toEqual({
      name: 'kafka-ca',
      config_map: { name: 'kafka-ca', items: [{ key: 'private-ca.pem', path: 'ca.crt' }], default_mode: '0444' },
    });
  });

  it("mounts no CA and sets no KAFKA_SSL_CA_FILE without one (the image's system CAs)", () => {
    const synthesized = synthForwarder({ kafka: SCRAM_OVER_TLS });
    expect(envOf(synthesized).KAFKA_SSL_CA_FILE).toBeUndefined();
    expect(container(synthesized).volume_mount).toHaveLength(1);
  });

  it('refuses a CA without TLS, a CA reference naming both or neither source, and KAFKA_SSL_CA_FILE in env', () => {
    expect(forwarderError({ kafka: { ...BASE.kafka, sslCa: { secret: 'kafka-ca', key: 'ca.crt' } } })).toMatch(
      /kafka\.sslCa is set but kafka\.ssl is not true: a CA is only used over TLS\. Set "ssl": true\./,
    );
    const both = forwarderError({ kafka: { ...SCRAM_OVER_TLS, sslCa: { secret: 'a', configMap: 'b', key: 'ca.crt' } } });
    expect(both).toMatch(/kafka\.sslCa must name exactly one of "secret" or "configMap"/);
    expect(forwarderError({ kafka: { ...SCRAM_OVER_TLS, sslCa: { key: 'ca.crt' } } })).toMatch(/kafka\.sslCa must name exactly one/);
    expect(forwarderError({ kafka: { ...SCRAM_OVER_TLS, sslCa: { configMap: 'Kafka CA', key: 'ca crt' } } })).toMatch(
      /kafka\.sslCa\.configMap "Kafka CA" is not a valid ConfigMap name[\s\S]*kafka\.sslCa\.key "ca crt" is not a valid ConfigMap key/,
    );
    expect(forwarderError({ kafka: SCRAM_OVER_TLS, env: { KAFKA_SSL_CA_FILE: '/tmp/ca.pem' } })).toMatch(
      /env\.KAFKA_SSL_CA_FILE is set by the construct: use kafka\.sslCa/,
    );
  });
});

describe('ForwarderDeployment Datadog endpoint', () => {
  it('always sets DD_SITE (datadoghq.com by default) and DD_HOST only with apiUrl', () => {
    expect(envOf(synthForwarder()).DD_SITE).toBe('datadoghq.com');
    expect(envOf(synthForwarder()).DD_HOST).toBeUndefined();
    const env = envOf(synthForwarder({ site: 'datadoghq.eu', apiUrl: 'https://datadog-proxy.ml-platform.svc:8443' }));
    expect(env).toMatchObject({ DD_SITE: 'datadoghq.eu', DD_HOST: 'https://datadog-proxy.ml-platform.svc:8443' });
  });

  it('refuses an apiUrl that is not an http(s) URL or carries credentials, and DD_HOST in env', () => {
    expect(forwarderError({ apiUrl: 'datadog-proxy:8443' })).toMatch(
      /apiUrl "datadog-proxy:8443" (is not a URL|must be an http:\/\/ or https:\/\/ URL)/,
    );
    expect(forwarderError({ apiUrl: 'proxy' })).toMatch(/apiUrl "proxy" is not a URL/);
    expect(forwarderError({ apiUrl: 'https://user:pw@proxy' })).toMatch(/apiUrl must not carry credentials/);
    expect(forwarderError({ apiUrl: 'https://user:pw@proxy' })).not.toMatch(/pw/);
    expect(forwarderError({ env: { DD_HOST: 'https://proxy' } })).toMatch(/env\.DD_HOST is set by the construct: use apiUrl instead/);
    expect(forwarderError({ site: 'datadoghq.org' as never })).toMatch(
      /site "datadoghq\.org" is not a Datadog site: did you mean datadoghq\.com\?/,
    );
  });
});

describe('ForwarderDeployment HTTP port and probes', () => {
  it('moves the container port, FORWARDER_HTTP_PORT and the probes together', () => {
    const synthesized = synthForwarder({ httpPort: 9464 });
    const forwarder = container(synthesized);
    expect(forwarder.port).toEqual([{ name: 'http', container_port: 9464 }]);
    expect(envOf(synthesized).FORWARDER_HTTP_PORT).toBe('9464');
    expect(forwarder.liveness_probe.http_get).toEqual({ path: '/healthz', port: '9464' });
    expect(forwarder.readiness_probe.http_get).toEqual({ path: '/readyz', port: '9464' });
  });

  it('refuses settings that would break the probes', () => {
    expect(forwarderError({ env: { FORWARDER_HTTP_HOST: '127.0.0.1' } })).toMatch(
      /env\.FORWARDER_HTTP_HOST is refused: the kubelet probes the pod's IP, so the forwarder must listen on every interface/,
    );
    expect(forwarderError({ env: { FORWARDER_HTTP_PORT: '9000' } })).toMatch(
      /env\.FORWARDER_HTTP_PORT is set by the construct: use httpPort/,
    );
    expect(forwarderError({ httpPort: 80 })).toMatch(
      /httpPort must be a whole number from 1024 to 65535 \(got 80\): the forwarder runs as a non-root user/,
    );
    expect(forwarderError({ httpPort: 70_000 })).toMatch(/httpPort must be a whole number from 1024 to 65535 \(got 70000\)/);
  });
});

describe('the forwarder reading the environment as synthesized', () => {
  /**
   * The container's environment, with the files the pod mounts and placeholder Secret values,
   * through the forwarder's own configuration reader (forwarder/src/config/config.ts).
   */
  it('accepts it: TLS with the mounted CA, SCRAM from the Secret, the proxy, the port and the buffer', () => {
    const synthesized = synthForwarder({
      site: 'datadoghq.eu',
      apiUrl: 'https://datadog-proxy.ml-platform.svc:8443/',
      httpPort: 9464,
      kafka: { ...SCRAM_OVER_TLS, sslCa: { configMap: 'kafka-ca', key: 'ca.crt' } },
      env: { FORWARDER_MAX_BUFFERED_POINTS: '300000' },
    });
    const secretValues: Record<string, string> = {
      'datadog-api-key/api-key': 'placeholder-api-key',
      'kafka-forwarder-user/password': 'placeholder-password',
    };
    const env = Object.fromEntries(
      container(synthesized).env.map((entry: any) => [
        entry.name,
        entry.value ?? secretValues[`${entry.value_from.secret_key_ref.name}/${entry.value_from.secret_key_ref.key}`],
      ]),
    );
    const mountedFiles: Record<string, string> = {
      '/etc/algorithmia-datadog/metrics.json': METRICS_JSON,
      '/etc/kafka-ca/ca.crt': PEM,
    };
    const config = loadConfig(env, (path) => {
      if (mountedFiles[path] === undefined) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
      return mountedFiles[path];
    });
    expect(config.kafka.ssl).toEqual({ ca: PEM, rejectUnauthorized: true });
    expect(config.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'algorithmia-datadog', password: 'placeholder-password' });
    expect(config.datadog.baseUrl).toBe('https://datadog-proxy.ml-platform.svc:8443');
    expect(config.httpPort).toBe(9464);
    expect(config.httpHost).toBe('0.0.0.0');
    expect(config.batch.maxBufferedPoints).toBe(300_000);
    expect(config.shutdownTimeoutMs).toBe(20_000);
  });
});
