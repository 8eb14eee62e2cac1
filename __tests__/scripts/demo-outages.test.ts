import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXECUTIONS_METRIC, FORWARDER_HEALTH_METRICS, pipelineMetricName } from '@algorithmia-datadog/metric-declaration';
import { environmentMonitors } from '../../scripts/demo/environment-monitors';
import type { SynthesizedMonitor } from '../../scripts/demo/monitor-conditions';

const ROOT = join(__dirname, '..', '..');
/** Its own broker state, so that this run and a demo of the user's never stop each other's broker. */
const STATE_DIR = join(ROOT, '.kafka', 'demo-outages-test');

/** `npm run demo` as a user runs it (piped, so printed as blocks), with the given settings. */
function demo(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'demo'], {
      cwd: ROOT,
      env: { ...process.env, DEMO_KAFKA_STATE_DIR: STATE_DIR, ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run demo outage settings', () => {
  // npm and the build come first: seconds, more on a loaded machine.
  jest.setTimeout(120_000);

  it.each([
    [{ DEMO_OUTAGES: 'yes' }, 'DEMO_OUTAGES must be 1 (on) or 0 (off) (got "yes")'],
    [{ DEMO_OUTAGES: '1', DEMO_QUIET_MODEL: 'spam_filter' }, 'DEMO_QUIET_MODEL must be one of credit_card_approval, fraud_detection,'],
    [{ DEMO_OUTAGES: '1', DEMO_KILL_FORWARDER_AT: '-1' }, 'DEMO_KILL_FORWARDER_AT must be a number of at least 0 (got "-1")'],
    [{ DEMO_SILENCE_WINDOW: '5' }, 'DEMO_SILENCE_WINDOW must be a number of at least 20 (got "5")'],
  ])('refuses %j in one line naming the setting, exit 1', async (env, message) => {
    const { code, output } = await demo(env);
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([expect.stringContaining(`demo: failed: ${message}`)]);
  });
});

/** `01:12 OK → ALERT  [Algorithmia] Model silent (staging)  algorithm_name:fraud_detection (0)` */
interface Change {
  readonly seconds: number;
  readonly from: string;
  readonly to: string;
  readonly monitor: string;
  readonly group: string;
}

const seconds = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

function changesIn(output: string): Change[] {
  return [...output.matchAll(/^(\d\d:\d\d) (ALERT|WARN|OK|NO DATA) → (ALERT|WARN|OK|NO DATA) {2}(.+) {2}(\S+) \([^)]*\)$/gm)].map(
    ([, clock, from, to, monitor, group]) => ({ seconds: seconds(clock), from, to, monitor, group }),
  );
}

/** The demo's clock when the outage event was logged. */
function eventAt(output: string, event: RegExp): number {
  const match = new RegExp(`^(\\d\\d:\\d\\d) outage: ${event.source}`, 'm').exec(output);
  if (!match) throw new Error(`no "outage: ${event.source}" line in the demo's output:\n${output}`);
  return seconds(match[1]);
}

describe('DEMO_OUTAGES=1 DEMO_SECONDS=135 npm run demo', () => {
  // The build, the synthesized config, the broker (jars resolved on a first run), 135 s, the stop.
  jest.setTimeout(480_000);

  it('alerts on the quiet model and on the killed forwarder, and recovers when it is back', async () => {
    const monitors = environmentMonitors('staging').monitors;
    const byMetric = (metric: string): SynthesizedMonitor => {
      const found = monitors.find((entry) => entry.query.includes(`:${metric}{`) && entry.query.includes('.as_count() <'));
      if (!found)
        throw new Error(`config/environments.json staging has no silence monitor on ${metric} (a count \`< 1\`): the demo cannot show it`);
      return found;
    };
    const silentModel = byMetric(pipelineMetricName('algorithmia', EXECUTIONS_METRIC));
    const forwarderSilent = byMetric(pipelineMetricName('algorithmia', FORWARDER_HEALTH_METRICS.heartbeat));
    expect([silentModel.on_missing_data, forwarderSilent.on_missing_data]).toEqual(['default', 'default']);

    const { code, output } = await demo({ DEMO_OUTAGES: '1', DEMO_SECONDS: '135' });
    // The output goes along with what is asserted, so that a failure shows the run.
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toContain(
      'demo: outage scenario: fraud_detection gets no traffic from 00:10; the forwarder is killed (SIGKILL) at 00:40 and restarted at 01:55 (75 s down)',
    );
    const killedAt = eventAt(output, /forwarder killed \(SIGKILL\)/);
    const restartedAt = eventAt(output, /forwarder restarted/);
    expect(killedAt).toBeGreaterThanOrEqual(40);
    expect(restartedAt).toBeGreaterThanOrEqual(40 + 75);
    const changes = changesIn(output);
    const quiet = 'algorithm_name:fraud_detection';

    // The quiet model's group alerts within the silence window (60 s) of its last executions.
    const quietAlert = changes.find((change) => change.monitor === silentModel.name && change.group === quiet && change.to === 'ALERT');
    expect({ quietAlert, changes }).toMatchObject({ quietAlert: { from: 'OK' } });
    expect(quietAlert!.seconds).toBeLessThan(killedAt + 60);
    // The models that still get traffic do not, until the forwarder has been down a while.
    const othersEarly = changes.filter(
      (change) => change.monitor === silentModel.name && change.group !== quiet && change.to === 'ALERT' && change.seconds < killedAt + 30,
    );
    expect(othersEarly).toEqual([]);

    // The forwarder's heartbeat stops with it, and comes back with the new process.
    const silent = changes.filter((change) => change.monitor === forwarderSilent.name);
    const down = silent.find((change) => change.to === 'ALERT' && change.seconds > killedAt && change.seconds <= restartedAt);
    expect({ down, silent }).toMatchObject({ down: { from: 'OK', group: '(all)' } });
    const back = silent.find((change) => change.from === 'ALERT' && change.to === 'OK' && change.seconds > restartedAt);
    expect({ back, silent }).toMatchObject({ back: { group: '(all)' } });

    // The final summary: the quiet model still alerts, both forwarder processes reported, executions per algorithm.
    const final = output.slice(output.lastIndexOf('final summary:'));
    expect(final).toContain(`ALERT   ${silentModel.name}: ${quiet} 0 ALERT`);
    expect(final).toContain("evaluated over the last 60 s (DEMO_SILENCE_WINDOW), not the query's window");
    expect(final).toMatch(/forwarder health in Datadog: last heartbeat \d+ s ago · 2 instances seen · consumer lag [\d.]+ s/);
    expect(final).toMatch(/ +algorithm +runs +executions +avg ms/);
    expect(final).toMatch(/fraud_detection 2\.3\.1 +\d+ +[1-9]\d*/);
    expect(final).toContain('by the current process (restarted 1×');
    // The restarted forwarder wrote on in the same log: two starts in it.
    const log = readFileSync(join(STATE_DIR, 'forwarder.log'), 'utf8');
    expect(log.match(/health and metrics server listening/g)).toHaveLength(2);
  });
});
