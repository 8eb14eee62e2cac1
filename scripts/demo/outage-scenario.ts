import { ALGORITHMS } from './insights';
import { clock } from './monitor-transitions';
import { choiceSetting, numberSetting, switchSetting } from './settings';

/**
 * DEMO_OUTAGES=1: two outages the silence monitors are for, on a timeline from the demo's start.
 * A model stops receiving traffic (DEMO_QUIET_MODEL at DEMO_QUIET_AT s): its executions stop, so
 * its group of the "model silent" monitor alerts while the others stay OK. Then the forwarder is
 * killed with SIGKILL (DEMO_KILL_FORWARDER_AT s: no flush, no commit) and started again
 * DEMO_FORWARDER_DOWN s later: its heartbeat stops, so "forwarder silent" alerts, and recovers
 * once the new process reports (it reads the backlog from the last committed offsets).
 */

export interface OutageSettings {
  readonly quietModel: string;
  readonly quietAtSeconds: number;
  readonly killForwarderAtSeconds: number;
  readonly forwarderDownSeconds: number;
}

/** The default quiet model: fraud_detection, or the first demo model should it be renamed. */
const DEFAULT_QUIET_MODEL = ALGORITHMS.find((algorithm) => algorithm.name === 'fraud_detection')?.name ?? ALGORITHMS[0].name;

/** The scenario's settings when DEMO_OUTAGES=1, undefined otherwise; a bad value throws its one line. */
export function outageSettings(): OutageSettings | undefined {
  if (!switchSetting('DEMO_OUTAGES')) return undefined;
  return {
    quietModel: choiceSetting('DEMO_QUIET_MODEL', DEFAULT_QUIET_MODEL, [...new Set(ALGORITHMS.map((algorithm) => algorithm.name))]),
    quietAtSeconds: numberSetting('DEMO_QUIET_AT', 10, 0),
    killForwarderAtSeconds: numberSetting('DEMO_KILL_FORWARDER_AT', 40, 0),
    forwarderDownSeconds: numberSetting('DEMO_FORWARDER_DOWN', 75, 1),
  };
}

/** What the scenario does to the running demo. */
export interface OutageActions {
  killForwarder(): Promise<void>;
  restartForwarder(): Promise<void>;
  /** A line of the demo's event log (beside the monitors' state changes). */
  event(line: string): void;
  /** Seconds since the demo started, for the log's clock. */
  elapsedSeconds(): number;
}

export class OutageScenario {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(readonly settings: OutageSettings) {}

  /** The scenario DEMO_OUTAGES=1 asks for, or none. */
  static fromSettings(): OutageScenario | undefined {
    const settings = outageSettings();
    return settings && new OutageScenario(settings);
  }

  /** Whether the generator still sends a message of `algorithm` (undefined: an undecodable one). */
  sends(algorithm: string | undefined, elapsedSeconds: number): boolean {
    return algorithm !== this.settings.quietModel || elapsedSeconds < this.settings.quietAtSeconds;
  }

  /** One line for the demo's start: the timeline. */
  describe(): string {
    const { quietModel, quietAtSeconds, killForwarderAtSeconds, forwarderDownSeconds } = this.settings;
    return (
      `outage scenario: ${quietModel} gets no traffic from ${clock(quietAtSeconds)}; ` +
      `the forwarder is killed (SIGKILL) at ${clock(killForwarderAtSeconds)} and restarted at ${clock(this.restartAtSeconds)} ` +
      `(${forwarderDownSeconds} s down)`
    );
  }

  get restartAtSeconds(): number {
    return this.settings.killForwarderAtSeconds + this.settings.forwarderDownSeconds;
  }

  /** Schedules the outages from now, the demo's start. */
  start(actions: OutageActions): void {
    const { quietModel, quietAtSeconds, killForwarderAtSeconds } = this.settings;
    const now = () => clock(actions.elapsedSeconds());
    const at = (seconds: number, action: () => Promise<void> | void) => {
      const timer = setTimeout(() => {
        Promise.resolve(action()).catch((error: Error) => actions.event(`${now()} outage: failed: ${error.message}`));
      }, seconds * 1000);
      timer.unref();
      this.timers.push(timer);
    };
    at(quietAtSeconds, () => actions.event(`${now()} outage: ${quietModel} gets no more traffic`));
    at(killForwarderAtSeconds, async () => {
      await actions.killForwarder();
      actions.event(`${now()} outage: forwarder killed (SIGKILL), down for ${this.settings.forwarderDownSeconds} s`);
    });
    at(this.restartAtSeconds, async () => {
      await actions.restartForwarder();
      actions.event(`${now()} outage: forwarder restarted (its log goes on in the same file)`);
    });
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }
}
