/**
 * What Datadog allows in an SLO and its burn-rate alerts, written once: the timeframes, the slice
 * lengths, the window bounds and the largest burn rate a target permits. The constructs check
 * their props against these at synth, so a refused SLO is a one-line problem before apply.
 */
import { problemAt, type PropPath, type PropProblem } from '../problems';

/** The rolling timeframes an SLO target can have. */
export type SloTimeframe = '7d' | '30d' | '90d';
export const SLO_TIMEFRAMES: readonly SloTimeframe[] = ['7d', '30d', '90d'];

/** Time-slice lengths Datadog offers: 1 or 5 minutes. */
export type SliceSeconds = 60 | 300;
export const SLICE_SECONDS: readonly SliceSeconds[] = [60, 300];

/** One target of an SLO: the share of good time slices over a rolling timeframe. */
export interface SloObjective {
  /** @default '30d' */
  readonly timeframe?: SloTimeframe;
  /** Percentage of good slices, above 0 and below 100, e.g. 99.5. */
  readonly target: number;
  /** Shows the SLO as at risk below this percentage: above `target`, below 100. @default none */
  readonly warning?: number;
}

export const DEFAULT_SLO_TIMEFRAME: SloTimeframe = '30d';

/** Whom a burn-rate alert is for: a page (now) or a ticket (this week). */
export type BurnRateSeverity = 'page' | 'ticket';
export const BURN_RATE_SEVERITIES: readonly BurnRateSeverity[] = ['page', 'ticket'];

/** One multi-window burn-rate alert of an SLO. */
export interface BurnRateAlertSettings {
  /** Alerts when the budget burns this many times faster than the timeframe allows, over both windows. */
  readonly burnRate: number;
  /** Warns at a lower burn rate. @default none */
  readonly warning?: number;
  /** The long window, 1h to 48h, e.g. `1h`. */
  readonly longWindow: string;
  /** The short window, shorter than the long one (about a twelfth of it), e.g. `5m`. */
  readonly shortWindow: string;
  /** The SLO timeframe whose budget is measured. @default the SLO's first objective's timeframe */
  readonly over?: SloTimeframe;
  /** `page` goes to the page handles, `ticket` to the ticket handles. @default 'page' */
  readonly severity?: BurnRateSeverity;
  /** @default '<SLO name>: burn rate <burnRate> over <longWindow>' */
  readonly name?: string;
  /** @default a sentence naming the SLO, the burn rate and how long the budget lasts at that rate */
  readonly message?: string;
  /** Replaces the page or ticket handles for this alert. @default the handles of its severity */
  readonly notificationHandles?: readonly string[];
}

/**
 * The multi-window pairs of Google's SRE workbook for a 30-day budget: 14.4 over 1h/5m pages (2% of
 * the budget gone in an hour), 6 over 6h/30m and 3 over 24h/2h open tickets.
 */
export const DEFAULT_BURN_RATE_ALERTS: readonly BurnRateAlertSettings[] = [
  { burnRate: 14.4, longWindow: '1h', shortWindow: '5m', severity: 'page' },
  { burnRate: 6, longWindow: '6h', shortWindow: '30m', severity: 'ticket' },
  { burnRate: 3, longWindow: '24h', shortWindow: '2h', severity: 'ticket' },
];

const MIN_LONG_WINDOW_SECONDS = 3600;
const MAX_LONG_WINDOW_SECONDS = 48 * 3600;
const ALERT_WINDOW = /^([1-9][0-9]*)([mhd])$/;

/** Seconds in a burn-rate window such as `1h` or `30m`; undefined when it is not one. */
export function alertWindowSeconds(window: string): number | undefined {
  const match = ALERT_WINDOW.exec(window);
  if (!match) return undefined;
  return Number(match[1]) * { m: 60, h: 3600, d: 86_400 }[match[2] as 'm' | 'h' | 'd'];
}

/** The largest burn rate a target allows: burning faster would need more than 100% errors. */
export function maxBurnRate(target: number): number {
  return 1 / (1 - target / 100);
}

/** Days the budget of `timeframe` lasts at `burnRate`. */
export function budgetDays(timeframe: SloTimeframe, burnRate: number): number {
  return Number.parseInt(timeframe, 10) / burnRate;
}

/** Problems with an SLO's targets: timeframes known and once each, targets and warnings in range. */
export function objectiveProblems(at: PropPath, objectives: readonly SloObjective[]): PropProblem[] {
  if (objectives.length === 0) {
    return [problemAt(at, 'is empty: give at least one target, e.g. [{ "timeframe": "30d", "target": 99.5 }].')];
  }
  const problems: PropProblem[] = [];
  const seen = new Map<string, number>();
  objectives.forEach((objective, index) => {
    const where = [...at, index];
    const timeframe = objective.timeframe ?? DEFAULT_SLO_TIMEFRAME;
    if (!SLO_TIMEFRAMES.includes(timeframe)) {
      problems.push(problemAt([...where, 'timeframe'], `"${timeframe}" is not an SLO timeframe: use one of ${SLO_TIMEFRAMES.join(', ')}.`));
    } else if (seen.has(timeframe)) {
      problems.push(
        problemAt(
          [...where, 'timeframe'],
          `"${timeframe}" is already the timeframe of target ${seen.get(timeframe)}: give each timeframe one target.`,
        ),
      );
    }
    seen.set(timeframe, index);
    const { target, warning } = objective;
    if (!(Number.isFinite(target) && target > 0 && target < 100)) {
      problems.push(problemAt([...where, 'target'], `(${target}) must be a percentage above 0 and below 100, e.g. 99.5.`));
      return;
    }
    if (warning !== undefined && !(Number.isFinite(warning) && warning > target && warning < 100)) {
      problems.push(
        problemAt(
          [...where, 'warning'],
          `(${warning}) must be above the target (${target}) and below 100: the SLO warns before it misses its target.`,
        ),
      );
    }
  });
  return problems;
}

/** Problems with one burn-rate alert of an SLO whose targets are `objectives`. */
export function burnRateAlertProblems(at: PropPath, alert: BurnRateAlertSettings, objectives: readonly SloObjective[]): PropProblem[] {
  const problems: PropProblem[] = [];
  const timeframes = objectives.map((objective) => objective.timeframe ?? DEFAULT_SLO_TIMEFRAME);
  const over = alert.over ?? timeframes[0];
  const objective = objectives[timeframes.indexOf(over)];
  if (alert.over !== undefined && objective === undefined) {
    problems.push(
      problemAt(
        [...at, 'over'],
        `"${alert.over}" is not a timeframe of this SLO (${timeframes.join(', ')}): Datadog measures a burn rate over one of the SLO's own targets. ` +
          `Add a "${alert.over}" target, or set "over" to one of them.`,
      ),
    );
  }
  if (!(Number.isFinite(alert.burnRate) && alert.burnRate > 0)) {
    problems.push(problemAt([...at, 'burnRate'], `(${alert.burnRate}) must be a number above 0, e.g. 14.4.`));
  } else if (objective && Number.isFinite(objective.target) && objective.target > 0 && objective.target < 100) {
    const most = maxBurnRate(objective.target);
    if (alert.burnRate > most) {
      problems.push(
        problemAt(
          [...at, 'burnRate'],
          `(${alert.burnRate}) is more than ${round(most)}, the most a ${objective.target}% target can burn (1 / (1 - ${objective.target}%)), ` +
            'and Datadog refuses it: lower the burn rate, or raise the target.',
        ),
      );
    }
  }
  if (alert.warning !== undefined && !(Number.isFinite(alert.warning) && alert.warning > 0 && alert.warning < alert.burnRate)) {
    problems.push(problemAt([...at, 'warning'], `(${alert.warning}) must be above 0 and below burnRate (${alert.burnRate}).`));
  }
  const long = alertWindowSeconds(alert.longWindow);
  const short = alertWindowSeconds(alert.shortWindow);
  if (long === undefined || long < MIN_LONG_WINDOW_SECONDS || long > MAX_LONG_WINDOW_SECONDS) {
    problems.push(problemAt([...at, 'longWindow'], `"${alert.longWindow}" must be a window from 1h to 48h, e.g. "1h", "6h" or "24h".`));
  }
  if (short === undefined) {
    problems.push(problemAt([...at, 'shortWindow'], `"${alert.shortWindow}" is not a window: use <number><m|h>, e.g. "5m".`));
  } else if (long !== undefined && short >= long) {
    problems.push(
      problemAt(
        [...at, 'shortWindow'],
        `("${alert.shortWindow}") must be shorter than longWindow ("${alert.longWindow}"): the short window confirms the burn is still going on; about a twelfth of it, e.g. "5m" for "1h".`,
      ),
    );
  }
  if (alert.severity !== undefined && !BURN_RATE_SEVERITIES.includes(alert.severity)) {
    problems.push(problemAt([...at, 'severity'], `"${alert.severity}" is not a severity: use "page" or "ticket".`));
  }
  if (alert.name !== undefined && alert.name.trim() === '') {
    problems.push(problemAt([...at, 'name'], 'is empty: give the alert a name, or remove it for the default.'));
  }
  return problems;
}

/** Problems with the slice length. */
export function sliceProblems(at: PropPath, seconds: number): PropProblem[] {
  if ((SLICE_SECONDS as readonly number[]).includes(seconds)) return [];
  return [problemAt(at, `(${seconds}) is not a time-slice length Datadog offers: use 60 (1 minute) or 300 (5 minutes).`)];
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}
