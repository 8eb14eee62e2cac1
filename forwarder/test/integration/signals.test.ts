/**
 * Stopping under any supervisor: systemd or `docker stop` signal one pid (npm's, when the unit runs
 * `npm run forward`; the launcher's in the image), a terminal signals the whole process group.
 * Each case signals exactly one pid (or one group), then checks that the top process exits 0,
 * that no forwarder process is left, and that everything read was committed. A stop that reaches
 * the shutdown deadline with points Datadog has not accepted exits 4 instead, committing none of them.
 */
import { EXIT_CODES } from '../../src/startup/startup-failure';
import {
  DatadogDouble,
  forwarderPids,
  KafkaTestBed,
  pollUntil,
  REPO_ROOT,
  ForwarderProcess,
  uniqueName,
} from '@algorithmia-datadog/testbed';
import { forwarderEnv } from './forwarder-harness';
import { insight } from './insights';

jest.setTimeout(120_000);

const bed = new KafkaTestBed();
let datadog: DatadogDouble;
beforeEach(async () => {
  datadog = await DatadogDouble.start();
});
/** Forwarders of a failed case, killed so that they do not outlive the test run. */
const markers: string[] = [];
afterEach(async () => {
  for (const pid of markers.splice(0).flatMap(forwarderPids)) process.kill(pid, 'SIGKILL');
  await datadog.close();
});
afterAll(() => bed.cleanup());

const NPM_RUN_FORWARD = ['npm', 'run', '--silent', 'forward'];

describe.each([
  ['npm run forward', 'SIGTERM', 'the npm process alone'],
  ['npm run forward', 'SIGINT', 'the npm process alone'],
  ['npm run forward', 'SIGTERM', 'the process group'],
  ['npm run forward', 'SIGINT', 'the process group'],
  ['the launcher', 'SIGTERM', 'the launcher alone'],
  ['the launcher', 'SIGINT', 'the launcher alone'],
] as const)('started with %s, %s to %s', (startedWith, signal, target) => {
  it('drains, commits, leaves the group; the top process exits 0 and no forwarder process is left', async () => {
    const topic = await bed.createTopic({ partitions: 2 });
    const groupId = uniqueName('group');
    const total = 200;
    await bed.produce(
      topic,
      Array.from({ length: total }, (_, i) => insight(i).json),
    );
    const env = {
      ...forwarderEnv(topic, groupId, datadog, { FORWARDER_HTTP_PORT: '0', FORWARDER_SHUTDOWN_TIMEOUT_MS: '10000' }),
      npm_config_update_notifier: 'false',
    };
    const run = new ForwarderProcess(env, {
      command: startedWith === 'npm run forward' ? NPM_RUN_FORWARD : undefined,
      cwd: REPO_ROOT,
      detached: target === 'the process group',
    });
    const marker = `KAFKA_GROUP_ID=${groupId}`;
    markers.push(marker);
    try {
      await pollUntil(() => run.output().includes('"msg":"consuming"'), { timeoutMs: 60_000, describe: run.output });
      await datadog.waitForPoints('algorithmia.duration_milliseconds', total, 30_000);
      expect(forwarderPids(marker)).toHaveLength(1);
    } catch (error) {
      run.child.kill('SIGKILL');
      throw error;
    }

    const pid = run.pid;
    process.kill(target === 'the process group' ? -pid : pid, signal);
    expect((await run.exited).code).toBe(0);
    await pollUntil(() => forwarderPids(marker).length === 0, {
      timeoutMs: 15_000,
      describe: () => `forwarder pids left: ${forwarderPids(marker).join(', ')}`,
    });
    expect(run.output()).toContain('"msg":"stopped"');
    const committed = await bed.committedOffsets(groupId, topic);
    expect([...committed.values()].reduce((sum, offset) => sum + Math.max(offset, 0), 0)).toBe(total);
  });
});

describe.each([
  ['npm run forward', 'the npm process'],
  ['the launcher', 'the launcher'],
] as const)('started with %s, SIGTERM to %s while Datadog accepts nothing', (startedWith, _target) => {
  it('stops at the deadline, commits nothing unaccepted and exits 4 (not 0: data left uncommitted; not 1: no crash)', async () => {
    const topic = await bed.createTopic({ partitions: 2 });
    const groupId = uniqueName('group');
    await bed.produce(
      topic,
      Array.from({ length: 50 }, (_, i) => insight(i).json),
    );
    const env = {
      ...forwarderEnv(topic, groupId, datadog, { FORWARDER_HTTP_PORT: '0', FORWARDER_SHUTDOWN_TIMEOUT_MS: '1500' }),
      npm_config_update_notifier: 'false',
    };
    const run = new ForwarderProcess(env, { command: startedWith === 'npm run forward' ? NPM_RUN_FORWARD : undefined, cwd: REPO_ROOT });
    const marker = `KAFKA_GROUP_ID=${groupId}`;
    markers.push(marker);
    try {
      await pollUntil(() => run.output().includes('"msg":"consuming"'), { timeoutMs: 60_000, describe: run.output });
      // The key was accepted at start; from now on every metrics request fails.
      datadog.goDown(503);
      await datadog.waitForRequests(1, 30_000);
    } catch (error) {
      run.child.kill('SIGKILL');
      throw error;
    }

    process.kill(run.pid, 'SIGTERM');
    expect((await run.exited).code).toBe(EXIT_CODES.stoppedAtDeadline);
    expect(run.output()).toContain('"drained":false');
    expect(run.output()).toContain('shutdown deadline reached; unsent points stay uncommitted');
    expect(datadog.pointCount()).toBe(0);
    const committed = await bed.committedOffsets(groupId, topic);
    expect([...committed.values()].reduce((sum, offset) => sum + Math.max(offset, 0), 0)).toBe(0);
  });
});
