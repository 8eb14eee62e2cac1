/**
 * Start-up as users meet it, in the forwarder's own process: `--help`/`--version` without any
 * setting, an unreachable or unresolvable broker (retried until FORWARDER_STARTUP_TIMEOUT_MS, not
 * ready meanwhile, then exit 3), a taken HTTP port, and Datadog's API key check: refused (exit 2),
 * or Datadog unreachable (keeps running, not ready until the key is accepted). /metrics and
 * /readyz agree once everything has settled.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { forwarderSettingNames } from '@algorithmia-datadog/metric-declaration';
import { DatadogDouble, KafkaTestBed, pollUntil, ForwarderProcess, uniqueName } from '@algorithmia-datadog/testbed';
import { forwarderEnv } from './forwarder-harness';
import { insight } from './insights';

jest.setTimeout(90_000);

const bed = new KafkaTestBed();
let datadog: DatadogDouble;
const runs: ForwarderProcess[] = [];
beforeEach(async () => {
  datadog = await DatadogDouble.start();
});
afterEach(async () => {
  for (const run of runs.splice(0)) await run.kill9();
  await datadog.close();
});
afterAll(() => bed.cleanup());

function start(env: Record<string, string>, args: string[] = []): ForwarderProcess {
  const run = new ForwarderProcess(env, { args });
  runs.push(run);
  return run;
}

async function get(port: number, path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, text: await response.text() };
}

function gauge(metricsText: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(metricsText);
  if (!match) throw new Error(`${name} not in /metrics`);
  return Number(match[1]);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The single line on stderr, with nothing from kafkajs and no stack anywhere. */
function oneLine(run: ForwarderProcess): string {
  const lines = run.errors().trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(run.output()).not.toMatch(/KafkaJS|\n\s+at /);
  return lines[0];
}

describe('--help and --version', () => {
  it('print the settings table and exit codes, and the version, with no setting at all', async () => {
    const help = start({}, ['--help']);
    expect((await help.exited).code).toBe(0);
    for (const name of forwarderSettingNames()) expect(help.output()).toContain(name);
    expect(help.output()).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 .*\n {2}3 /);
    const version = start({}, ['--version']);
    expect((await version.exited).code).toBe(0);
    expect(version.output()).toBe(`${JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version}\n`);
  });
});

describe('Kafka not reachable at start', () => {
  it.each([
    ['unreachable (nothing listening)', async () => `127.0.0.1:${await freePort()}`, 'connection refused'],
    ['unresolvable', async () => 'kafka-1.invalid:9092', 'host name not found'],
  ])('%s: not ready while retrying, then exit 3 and one line naming KAFKA_BROKER', async (_case, broker, reason) => {
    const address = await broker();
    const run = start(
      forwarderEnv('insights', uniqueName('group'), datadog, {
        KAFKA_BROKER: address,
        FORWARDER_HTTP_PORT: '0',
        FORWARDER_STARTUP_TIMEOUT_MS: '3000',
      }),
    );
    const port = await run.port;
    const readyz = await get(port, '/readyz').catch(() => undefined);
    if (readyz) expect(readyz.status).toBe(503); // the process may already have given up on a slow machine
    expect((await run.exited).code).toBe(3);
    expect(run.elapsedMs()).toBeGreaterThanOrEqual(3000);
    expect(oneLine(run)).toMatch(
      new RegExp(
        `^algorithmia-datadog-forwarder: KAFKA_BROKER: no broker reachable within FORWARDER_STARTUP_TIMEOUT_MS \\(3000 ms, \\d+ attempts; ${address.replace(/\./g, '\\.')}: ${reason}\\)$`,
      ),
    );
  });

  it('SIGTERM while retrying: exit 0 at once', async () => {
    const run = start(
      forwarderEnv('insights', uniqueName('group'), datadog, { KAFKA_BROKER: `127.0.0.1:${await freePort()}`, FORWARDER_HTTP_PORT: '0' }),
    );
    await pollUntil(() => run.output().includes('Kafka not reachable yet'), { timeoutMs: 30_000, describe: run.output });
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });
});

describe('HTTP port taken', () => {
  it('exit 2 and one line naming FORWARDER_HTTP_PORT', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const run = start(
        forwarderEnv(await bed.createTopic(), uniqueName('group'), datadog, {
          FORWARDER_HTTP_PORT: String(port),
          FORWARDER_HTTP_HOST: '127.0.0.1',
        }),
      );
      expect((await run.exited).code).toBe(2);
      expect(oneLine(run)).toBe(
        `algorithmia-datadog-forwarder: configuration error: FORWARDER_HTTP_PORT: port ${port} on 127.0.0.1 is already in use: choose a free port`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe('the API key, checked with GET /api/v1/validate', () => {
  it('refused: exit 2, one line naming DD_API_KEY, the URL it was sent to and DD_SITE; the key in no output', async () => {
    const run = start(
      forwarderEnv(await bed.createTopic(), uniqueName('group'), datadog, { DD_API_KEY: 'wrong-key-marker', FORWARDER_HTTP_PORT: '0' }),
    );
    expect((await run.exited).code).toBe(2);
    expect(oneLine(run)).toBe(
      `algorithmia-datadog-forwarder: configuration error: DD_API_KEY: Datadog at ${datadog.url} refused the API key (403 on GET /api/v1/validate); the usual cause is a key of another Datadog site: set DD_SITE (or DD_HOST) to the site the key belongs to`,
    );
    expect(run.output()).not.toContain('wrong-key-marker');
    expect(datadog.keyValidations).toEqual([403]);
  });

  it('Datadog unreachable at start: consumes but not ready; ready once the key is accepted; /metrics agrees with /readyz', async () => {
    const topic = await bed.createTopic({ partitions: 2 });
    const groupId = uniqueName('group');
    const total = 300;
    await bed.produce(
      topic,
      Array.from({ length: total }, (_, i) => insight(i).json),
    );
    datadog.goDown(503);
    const run = start(forwarderEnv(topic, groupId, datadog, { FORWARDER_HTTP_PORT: '0' }));
    const port = await run.port;
    await pollUntil(() => run.output().includes('"msg":"joined consumer group"'), { timeoutMs: 30_000, describe: run.output });
    await pollUntil(() => datadog.keyValidations.length >= 2, { timeoutMs: 10_000, describe: () => String(datadog.keyValidations) });
    const notReady = await get(port, '/readyz');
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.text)).toMatchObject({ ready: false, joined: true, apiKey: 'unreachable' });

    datadog.comeBack();
    const ready = await pollUntil(
      async () => {
        const answer = await get(port, '/readyz');
        return answer.status === 200 ? answer : undefined;
      },
      { timeoutMs: 30_000, describe: () => run.output() },
    );
    expect(JSON.parse(ready.text)).toMatchObject({ ready: true, apiKey: 'valid' });
    await datadog.waitForPoints('algorithmia.duration_milliseconds', total, 30_000);
    await pollUntil(
      async () => [...(await bed.committedOffsets(groupId, topic)).values()].reduce((s, o) => s + Math.max(o, 0), 0) === total,
      { timeoutMs: 20_000 },
    );

    // Everything is accepted and committed: the gauges and /readyz say the same, both 0.
    const [readyz, metrics] = await Promise.all([get(port, '/readyz'), get(port, '/metrics')]);
    const detail = JSON.parse(readyz.text) as { bufferedPoints: number; paused: boolean };
    expect(detail.bufferedPoints).toBe(0);
    expect(gauge(metrics.text, 'forwarder_buffered_points')).toBe(detail.bufferedPoints);
    expect(gauge(metrics.text, 'forwarder_consumption_paused')).toBe(detail.paused ? 1 : 0);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });
});
