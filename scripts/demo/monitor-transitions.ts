import { formatValue, type ConditionState, type EvaluatedMonitor } from './monitor-conditions';

/**
 * The state changes of the evaluated monitors, group by group, as Datadog's event stream shows
 * them (triggered, recovered): `01:12 OK → ALERT  [Algorithmia] Model silent (staging)
 * algorithm_name:fraud_detection (0)`. A group starts OK, as a new group does in Datadog, so the
 * log stays quiet until something happens; a group that leaves the window goes to NO DATA.
 */

/** `mm:ss` since the demo started: the summary's clock and the log's. */
export function clock(elapsedSeconds: number): string {
  const seconds = Math.max(0, Math.floor(elapsedSeconds));
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

export interface Transition {
  readonly elapsedSeconds: number;
  readonly monitor: string;
  readonly group: string;
  readonly from: ConditionState;
  readonly to: ConditionState;
  /** The value that made the change; none when the group has no data. */
  readonly value?: number;
}

export function formatTransition(transition: Transition): string {
  const value = transition.value === undefined ? 'no data' : formatValue(transition.value);
  return `${clock(transition.elapsedSeconds)} ${transition.from} → ${transition.to}  ${transition.monitor}  ${transition.group} (${value})`;
}

export class MonitorTransitions {
  /** monitor name → group → its last state. */
  private readonly states = new Map<string, Map<string, ConditionState>>();

  /** Compares with the previous evaluation; returns the log lines of what changed. */
  observe(evaluated: readonly EvaluatedMonitor[], elapsedSeconds: number): string[] {
    const lines: string[] = [];
    for (const monitor of evaluated) {
      const previous = this.states.get(monitor.name) ?? new Map<string, ConditionState>();
      this.states.set(monitor.name, previous);
      const seen = new Set<string>();
      for (const group of monitor.groups) {
        seen.add(group.group);
        const from = previous.get(group.group) ?? 'OK';
        previous.set(group.group, group.state);
        if (from !== group.state) {
          lines.push(
            formatTransition({ elapsedSeconds, monitor: monitor.name, group: group.group, from, to: group.state, value: group.value }),
          );
        }
      }
      for (const [group, from] of previous) {
        if (seen.has(group) || from === 'NO DATA') continue;
        previous.set(group, 'NO DATA');
        lines.push(formatTransition({ elapsedSeconds, monitor: monitor.name, group, from, to: 'NO DATA' }));
      }
    }
    return lines;
  }
}
