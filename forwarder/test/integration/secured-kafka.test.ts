/**
 * The forwarder against the test bed's secured listeners (scripts/kafka.sh): SASL_SSL with
 * SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN over TLS, as Algorithmia publishes Insights, and a
 * TLS-only listener. Every mistake a user can make there ends in one line naming the setting.
 */
import { DatadogDouble, KafkaTestBed, pollUntil, ForwarderProcess, uniqueName } from '@algorithmia-datadog/testbed';
import { forwarderEnv, startForwarder, type RunningForwarder } from './forwarder-harness';
import { insight } from './insights';

jest.setTimeout(90_000);

const secured = {
  saslSsl: process.env.KAFKA_TESTBED_SASL_SSL_BROKER ?? '',
  ssl: process.env.KAFKA_TESTBED_SSL_BROKER ?? '',
  caFile: process.env.KAFKA_TESTBED_CA_FILE ?? '',
  user: (mechanism: 'SCRAM_SHA_512' | 'SCRAM_SHA_256' | 'PLAIN') => ({
    username: process.env[`KAFKA_TESTBED_${mechanism}_USERNAME`] ?? '',
    password: process.env[`KAFKA_TESTBED_${mechanism}_PASSWORD`] ?? '',
  }),
};
if (!secured.saslSsl && process.env.CI)
  throw new Error('CI runs the secured-Kafka tests: the test bed exported no KAFKA_TESTBED_SASL_SSL_BROKER');
// A user's own cluster (KAFKA_BROKER) has no test-bed users unless KAFKA_TESTBED_* are given.
const describeSecured = secured.saslSsl ? describe : describe.skip;

const bed = new KafkaTestBed();
let datadog: DatadogDouble;
const running: RunningForwarder[] = [];
beforeEach(async () => {
  datadog = await DatadogDouble.start();
});
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop().catch(() => undefined);
  await datadog.close();
});
afterAll(() => bed.cleanup());

/** SASL_SSL settings for `mechanism`'s test user, trusting the test bed's CA. */
function saslSslEnv(mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain'): Record<string, string> {
  const { username, password } = secured.user(mechanism.toUpperCase().replace(/-/g, '_') as 'SCRAM_SHA_512');
  return {
    KAFKA_BROKER: secured.saslSsl,
    KAFKA_SSL: 'true',
    KAFKA_SSL_CA_FILE: secured.caFile,
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_PASSWORD: password,
  };
}

/**
 * A process run that must fail: its exit code and its one line on stderr. The JSON log on stdout
 * may say "starting", but holds no error line and nothing from kafkajs.
 */
async function failingRun(env: Record<string, string>): Promise<{ code: number | null; line: string; run: ForwarderProcess }> {
  const run = new ForwarderProcess({ ...env, FORWARDER_HTTP_PORT: '0' });
  const { code } = await run.exited;
  const lines = run.errors().trim().split('\n');
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got:\n${run.output()}`);
  const logged = run
    .output()
    .replace(run.errors(), '')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: number; msg: string });
  expect(logged.filter((l) => l.level >= 50 || /kafkajs/i.test(JSON.stringify(l)))).toEqual([]);
  return { code, line: lines[0], run };
}

describeSecured('forwarder over SASL_SSL (the test bed broker)', () => {
  it.each(['scram-sha-512', 'scram-sha-256', 'plain'] as const)(
    'consumes over %s + TLS with KAFKA_SSL_CA_FILE and writes dead letters over the same connection',
    async (mechanism) => {
      const topic = await bed.createTopic({ partitions: 2 });
      const deadLetterTopic = await bed.createTopic({ prefix: 'dlq' });
      const good = Array.from({ length: 50 }, (_, i) => insight(i));
      await bed.produce(topic, [...good.map((m) => m.json), 'not json']);
      const env: Record<string, string> = {
        ...forwarderEnv(topic, uniqueName('group'), datadog, { KAFKA_DLQ_TOPIC: deadLetterTopic }),
        ...saslSslEnv(mechanism),
      };
      const forwarder = await startForwarder(env);
      running.push(forwarder);

      await datadog.waitForPoints('algorithmia.duration_milliseconds', good.length, 30_000);
      const dead = await bed.collect(deadLetterTopic, { count: 1 });
      expect(dead[0].headers['dlq-error-reason']).toBe('not_json');
      await bed.waitForCommittedOffsets(env.KAFKA_GROUP_ID, topic, await endOffsets(topic));
      expect(forwarder.logs.text()).not.toContain(env.KAFKA_SASL_PASSWORD);
    },
  );

  it.each([
    ['a wrong password', { KAFKA_SASL_PASSWORD: 'wrong-password-marker' }],
    ['an unknown user', { KAFKA_SASL_USERNAME: 'nobody', KAFKA_SASL_PASSWORD: 'unknown-user-password-marker' }],
    // The SCRAM-SHA-512 user has no SCRAM-SHA-256 credentials.
    ['the wrong mechanism', { KAFKA_SASL_MECHANISM: 'scram-sha-256' }],
  ])('%s: exit 2, one line naming the SASL settings, no password anywhere', async (_case, override) => {
    const env: Record<string, string> = {
      ...forwarderEnv(await bed.createTopic(), uniqueName('group'), datadog),
      ...saslSslEnv('scram-sha-512'),
      ...override,
    };
    const { code, line, run } = await failingRun(env);
    expect(code).toBe(2);
    expect(line).toMatch(
      /^algorithmia-datadog-forwarder: configuration error: KAFKA_SASL_USERNAME \/ KAFKA_SASL_PASSWORD \/ KAFKA_SASL_MECHANISM: .* refused user "[^"]+" with SCRAM-SHA-(512|256)/,
    );
    expect(run.output()).not.toContain(env.KAFKA_SASL_PASSWORD);
    expect(run.errors()).not.toMatch(/KafkaJS|\n\s+at /);
  });

  it.each([
    [
      'an untrusted certificate (no CA file)',
      () => ({ KAFKA_SSL_CA_FILE: '' }),
      /KAFKA_SSL_CA_FILE: the certificate of .* is not trusted by the system CAs/,
    ],
    [
      'a CA file that does not exist',
      () => ({ KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' }),
      /KAFKA_SSL_CA_FILE: cannot read "\/nonexistent\/ca.pem" \(ENOENT\)/,
    ],
    [
      'TLS against a plaintext listener',
      () => ({ KAFKA_BROKER: process.env.KAFKA_BROKER ?? '', KAFKA_SASL_MECHANISM: '' }),
      /KAFKA_SSL: is true but .* does not answer TLS: it is probably a PLAINTEXT listener/,
    ],
    [
      'plaintext against a TLS listener',
      () => ({ KAFKA_BROKER: secured.ssl, KAFKA_SSL: 'false', KAFKA_SSL_CA_FILE: '', KAFKA_SASL_MECHANISM: '' }),
      /KAFKA_SSL: .* closed the connection at the first request: it probably expects TLS/,
    ],
    [
      'plaintext against the SASL_SSL listener',
      () => ({ KAFKA_SSL: 'false', KAFKA_SSL_CA_FILE: '' }),
      /KAFKA_SSL: .* closed the connection at the first request: it probably expects TLS/,
    ],
  ])('%s: exit 2 and one line naming the TLS setting', async (_case, override, expected) => {
    const env: Record<string, string> = {
      ...forwarderEnv(await bed.createTopic(), uniqueName('group'), datadog),
      ...saslSslEnv('scram-sha-512'),
      ...override(),
    };
    const { code, line, run } = await failingRun(env);
    expect(code).toBe(2);
    expect(line).toMatch(/^algorithmia-datadog-forwarder: configuration error: /);
    expect(line).toMatch(expected);
    expect(run.output()).not.toContain(env.KAFKA_SASL_PASSWORD);
  });

  it('KAFKA_SSL_REJECT_UNAUTHORIZED=false warns at start, then consumes', async () => {
    const topic = await bed.createTopic();
    await bed.produce(topic, [insight(1).json]);
    const env: Record<string, string> = {
      ...forwarderEnv(topic, uniqueName('group'), datadog),
      ...saslSslEnv('scram-sha-512'),
      KAFKA_SSL_CA_FILE: '',
      KAFKA_SSL_REJECT_UNAUTHORIZED: 'false',
      FORWARDER_HTTP_PORT: '0',
    };
    const run = new ForwarderProcess(env);
    try {
      await datadog.waitForPoints('algorithmia.duration_milliseconds', 1, 30_000);
      await pollUntil(() => run.output().includes('"msg":"consuming"'), { timeoutMs: 10_000, describe: run.output });
      const warning = run
        .output()
        .split('\n')
        .find((l) => l.includes('KAFKA_SSL_REJECT_UNAUTHORIZED=false'));
      expect(JSON.parse(warning ?? '{}')).toMatchObject({ level: 40, msg: expect.stringContaining('certificates are not checked') });
    } finally {
      run.child.kill('SIGTERM');
    }
    expect((await run.exited).code).toBe(0);
    expect(run.output()).not.toContain(env.KAFKA_SASL_PASSWORD);
  });
});

async function endOffsets(topic: string): Promise<Map<number, number>> {
  const admin = bed.kafka.admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  } finally {
    await admin.disconnect();
  }
}
