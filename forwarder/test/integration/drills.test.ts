/**
 * Short fault drills (bench/lib/drills.ts; `npm run drills` runs the long ones): the forwarder,
 * as its own process, keeps forwarding a steady stream while it is killed with -9, while Datadog
 * answers 500, and while its group rebalances. Nothing produced may be missing from the Datadog
 * double at the end. Each kill -9 costs a session timeout before the group moves on: the
 * broker's minimum (6 s) here, through KAFKA_SESSION_TIMEOUT_MS, instead of the default 30 s.
 */
import { datadogOutageDrill, killRestartDrill, rebalanceDrill, type DrillEnvironment, type DrillReport } from '../../bench/lib/drills';
import { kafkaBrokers } from '@algorithmia-datadog/testbed';

jest.setTimeout(240_000);

const env = (): DrillEnvironment => ({
  brokers: kafkaBrokers().join(','),
  log: (line) => {
    if (process.env.DRILL_VERBOSE) process.stderr.write(`${line}\n`);
  },
  forwarderEnv: {
    FORWARDER_RETRY_BASE_DELAY_MS: '50',
    FORWARDER_RETRY_MAX_DELAY_MS: '1000',
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
  },
});

function expectNothingLost(report: DrillReport): void {
  expect(report.produced).toBeGreaterThan(0);
  expect(report.notes.filter((note) => note.startsWith('not all delivered'))).toEqual([]);
  expect({ drill: report.drill, lost: report.lost, delivered: report.delivered }).toEqual({
    drill: report.drill,
    lost: 0,
    delivered: report.expectedPoints,
  });
}

describe('fault drills (short)', () => {
  it('kill -9 twice while messages flow, restarted each time: nothing lost', async () => {
    const report = await killRestartDrill(env(), {
      rate: 500,
      kills: 2,
      minUpMs: 300,
      maxUpMs: 1500,
      partitions: 3,
      settleTimeoutMs: 90_000,
    });
    expectNothingLost(report);
    expect(report.forwarderProcesses).toBe(3);
  });

  it('Datadog answering 500 for a while, then recovering: nothing lost, the failed requests retried', async () => {
    const report = await datadogOutageDrill(env(), {
      rate: 500,
      status: 500,
      downMs: 4000,
      leadMs: 500,
      partitions: 3,
      settleTimeoutMs: 60_000,
    });
    expectNothingLost(report);
    expect(report.requestsByStatus[500]).toBeGreaterThan(0);
    expect(report.requestsByStatus[202]).toBeGreaterThan(0);
  });

  it('two instances, one killed -9, a third joining: nothing lost', async () => {
    const report = await rebalanceDrill(env(), { rate: 500, runMs: 1000, partitions: 4, settleTimeoutMs: 90_000 });
    expectNothingLost(report);
    expect(report.forwarderProcesses).toBe(3);
  });
});
