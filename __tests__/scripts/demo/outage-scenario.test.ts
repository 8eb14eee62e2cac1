import { ALGORITHMS } from '../../../scripts/demo/insights';
import { OutageScenario, outageSettings, type OutageActions, type OutageSettings } from '../../../scripts/demo/outage-scenario';

const NAMES = ['DEMO_OUTAGES', 'DEMO_QUIET_MODEL', 'DEMO_QUIET_AT', 'DEMO_KILL_FORWARDER_AT', 'DEMO_FORWARDER_DOWN'];
const saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
beforeEach(() => NAMES.forEach((name) => delete process.env[name]));
afterEach(() => {
  jest.useRealTimers();
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('demo outage scenario settings (DEMO_OUTAGES)', () => {
  it('is off unless DEMO_OUTAGES=1', () => {
    expect(outageSettings()).toBeUndefined();
    expect(OutageScenario.fromSettings()).toBeUndefined();
    process.env.DEMO_OUTAGES = '0';
    expect(outageSettings()).toBeUndefined();
  });

  it('quiets fraud_detection at 10 s and kills the forwarder at 40 s for 75 s by default', () => {
    process.env.DEMO_OUTAGES = '1';
    expect(outageSettings()).toEqual({
      quietModel: 'fraud_detection',
      quietAtSeconds: 10,
      killForwarderAtSeconds: 40,
      forwarderDownSeconds: 75,
    });
    expect(OutageScenario.fromSettings()?.restartAtSeconds).toBe(115);
  });

  it('takes another demo model and timeline', () => {
    Object.assign(process.env, {
      DEMO_OUTAGES: '1',
      DEMO_QUIET_MODEL: 'document_ocr',
      DEMO_QUIET_AT: '0',
      DEMO_KILL_FORWARDER_AT: '5',
      DEMO_FORWARDER_DOWN: '1',
    });
    expect(outageSettings()).toEqual({ quietModel: 'document_ocr', quietAtSeconds: 0, killForwarderAtSeconds: 5, forwarderDownSeconds: 1 });
  });

  it('refuses a model the demo does not send, listing each demo model once, and a forwarder down for 0 s', () => {
    const models = [...new Set(ALGORITHMS.map((algorithm) => algorithm.name))];
    expect(models.filter((name) => name === 'credit_card_approval')).toHaveLength(1);
    Object.assign(process.env, { DEMO_OUTAGES: '1', DEMO_QUIET_MODEL: 'no_such_model' });
    expect(() => outageSettings()).toThrow(new Error(`DEMO_QUIET_MODEL must be one of ${models.join(', ')} (got "no_such_model")`));
    Object.assign(process.env, { DEMO_QUIET_MODEL: '', DEMO_FORWARDER_DOWN: '0' });
    expect(() => outageSettings()).toThrow(new Error('DEMO_FORWARDER_DOWN must be a number of at least 1 (got "0")'));
    expect(() => {
      process.env.DEMO_OUTAGES = 'yes';
      outageSettings();
    }).toThrow(new Error('DEMO_OUTAGES must be 1 (on) or 0 (off) (got "yes")'));
  });
});

describe('demo outage scenario', () => {
  const settings: OutageSettings = {
    quietModel: 'fraud_detection',
    quietAtSeconds: 10,
    killForwarderAtSeconds: 40,
    forwarderDownSeconds: 75,
  };

  it('stops only the quiet model, from its time on; undecodable messages go on', () => {
    const scenario = new OutageScenario(settings);
    expect(scenario.sends('fraud_detection', 9.9)).toBe(true);
    expect(scenario.sends('fraud_detection', 10)).toBe(false);
    expect(scenario.sends('fraud_detection', 500)).toBe(false);
    expect(scenario.sends('document_ocr', 500)).toBe(true);
    expect(scenario.sends(undefined, 500)).toBe(true);
  });

  it('describes its timeline in one line', () => {
    expect(new OutageScenario(settings).describe()).toBe(
      'outage scenario: fraud_detection gets no traffic from 00:10; ' +
        'the forwarder is killed (SIGKILL) at 00:40 and restarted at 01:55 (75 s down)',
    );
  });

  /** Actions that log what happens, on a clock that jest's fake timers drive. */
  function recorder(failKill = false) {
    const log: string[] = [];
    const started = Date.now();
    const actions: OutageActions = {
      killForwarder: async () => {
        if (failKill) throw new Error('no such process');
        log.push('kill');
      },
      restartForwarder: async () => {
        log.push('restart');
      },
      event: (line) => log.push(line),
      elapsedSeconds: () => (Date.now() - started) / 1000,
    };
    return { log, actions };
  }

  it('quiets the model, kills the forwarder and restarts it on time, logging each', async () => {
    jest.useFakeTimers();
    const scenario = new OutageScenario(settings);
    const { log, actions } = recorder();
    scenario.start(actions);
    await jest.advanceTimersByTimeAsync(9_999);
    expect(log).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(log).toEqual(['00:10 outage: fraud_detection gets no more traffic']);
    await jest.advanceTimersByTimeAsync(30_000);
    expect(log.slice(1)).toEqual(['kill', '00:40 outage: forwarder killed (SIGKILL), down for 75 s']);
    await jest.advanceTimersByTimeAsync(75_000);
    expect(log.slice(3)).toEqual(['restart', '01:55 outage: forwarder restarted (its log goes on in the same file)']);
  });

  it('logs an action that failed, and does nothing more once stopped', async () => {
    jest.useFakeTimers();
    const scenario = new OutageScenario(settings);
    const { log, actions } = recorder(true);
    scenario.start(actions);
    await jest.advanceTimersByTimeAsync(40_000);
    expect(log).toEqual(['00:10 outage: fraud_detection gets no more traffic', '00:40 outage: failed: no such process']);
    scenario.stop();
    await jest.advanceTimersByTimeAsync(200_000);
    expect(log).toHaveLength(2);
  });
});
