/**
 * A `slo alert` monitor in words. Its query names the SLO by id; the constructs write the SLO
 * resource's id as a Terraform reference (`${datadog_service_level_objective.<name>.id}`), which
 * is how the summary knows which SLO an alert belongs to before anything is deployed
 * (constructs/slos/burn-rate-alert.ts). Two shapes: a multi-window burn rate, and an error-budget
 * alert (a share of the budget spent).
 */
import { code, list } from '../markdown';
import { isObject, type Json, type JsonObject } from '../synth-output';
import { handles, str, strings } from './describer';

export const SLO_TYPE = 'datadog_service_level_objective';

const REFERENCE = new RegExp(`^\\$\\{${SLO_TYPE}\\.([\\w-]+)\\.id\\}$`);
const BURN_RATE = /^burn_rate\("([^"]*)"\)\.over\("(\w+)"\)\.long_window\("(\w+)"\)\.short_window\("(\w+)"\)\s*(>=?)\s*(\d+(?:\.\d+)?)$/;
const ERROR_BUDGET = /^error_budget\("([^"]*)"\)\.over\("(\w+)"\)\s*(>=?)\s*(\d+(?:\.\d+)?)$/;

export interface SloAlertQuery {
  /** The SLO as written in the query: a reference or a literal id. */
  readonly slo: string;
  /** `datadog_service_level_objective.<name>` when `slo` is a reference to one. */
  readonly sloAddress?: string;
  /** The SLO timeframe whose budget is measured, e.g. `30d`. */
  readonly over: string;
  readonly comparator: string;
  readonly value: string;
  /** Burn-rate alerts only. */
  readonly windows?: { readonly long: string; readonly short: string };
}

export function parseSloAlertQuery(query: Json | undefined): SloAlertQuery | undefined {
  if (typeof query !== 'string') return undefined;
  const withSlo = (slo: string) => {
    const reference = REFERENCE.exec(slo);
    return { slo, ...(reference ? { sloAddress: `${SLO_TYPE}.${reference[1]}` } : {}) };
  };
  const burn = BURN_RATE.exec(query.trim());
  if (burn) {
    const [, slo, over, long, short, comparator, value] = burn;
    return { ...withSlo(slo), over, comparator, value, windows: { long, short } };
  }
  const budget = ERROR_BUDGET.exec(query.trim());
  if (budget) {
    const [, slo, over, comparator, value] = budget;
    return { ...withSlo(slo), over, comparator, value };
  }
  return undefined;
}

/** How long the budget of a `30d` timeframe lasts at `rate` times the allowed pace: `~2.1 days`, `~16.8 hours`. */
export function budgetLasts(over: string, rate: number): string | undefined {
  const match = /^(\d+)d$/.exec(over);
  if (!match || !(rate > 0)) return undefined;
  const days = Number(match[1]) / rate;
  const round = (value: number) => Math.round(value * 10) / 10;
  return days >= 2 ? `~${round(days)} days` : `~${round(days * 24)} hours`;
}

/** Who hears of it: `pages @a`, `notifies @b (ticket)`, from the `severity:` tag the constructs set. */
function whoHears(monitor: JsonObject): string {
  const notified = handles(monitor.message).map((handle) => code(handle));
  if (notified.length === 0) return '**notifies no one** (no `@handle` in its message)';
  const severity = strings(monitor.tags)
    .find((tag) => tag.startsWith('severity:'))
    ?.slice('severity:'.length);
  if (severity === 'page') return `pages ${list(notified)}`;
  return `notifies ${list(notified)}${severity !== undefined ? ` (${severity})` : ''}`;
}

function warningWords(monitor: JsonObject, unit: string): string {
  const thresholds = isObject(monitor.monitor_thresholds) ? monitor.monitor_thresholds : {};
  return thresholds.warning !== undefined && thresholds.warning !== null ? `; warning above ${str(thresholds.warning) ?? ''}${unit}` : '';
}

/**
 * "burn-rate alert: pages `@x` when the 30d budget burns > 14.4× over both the last 1h and 5m
 * (budget gone in ~2.1 days at that rate)"; undefined for a query of another shape.
 */
export function sloAlertWords(monitor: JsonObject): string | undefined {
  const query = parseSloAlertQuery(monitor.query);
  if (query === undefined) return undefined;
  if (query.windows === undefined) {
    return `error-budget alert: ${whoHears(monitor)} when ${query.comparator} ${query.value}% of the ${query.over} budget is spent${warningWords(monitor, '%')}`;
  }
  const lasts = budgetLasts(query.over, Number(query.value));
  return (
    `burn-rate alert: ${whoHears(monitor)} when the ${query.over} budget burns ${query.comparator} ${query.value}× ` +
    `over both the last ${query.windows.long} and ${query.windows.short}` +
    `${lasts !== undefined ? ` (budget gone in ${lasts} at that rate)` : ''}${warningWords(monitor, '×')}`
  );
}
