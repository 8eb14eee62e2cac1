import { COUNT_INTERVAL_SECONDS } from '@algorithmia-datadog/metric-declaration';

/**
 * Reading the demo's DEMO_* settings: a value it cannot use is an Error whose message is the one
 * line the demo prints (naming the setting), before anything starts.
 */

/** A number from the environment, `fallback` when unset or empty. */
export function numberSetting(name: string, fallback: number, min: number, max = Number.POSITIVE_INFINITY): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(
      `${name} must be a number ${max < Number.POSITIVE_INFINITY ? `from ${min} to ${max}` : `of at least ${min}`} (got "${raw}")`,
    );
  }
  return value;
}

/** An on/off switch: `1` on; `0`, empty or unset off; anything else is refused. */
export function switchSetting(name: string): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  throw new Error(`${name} must be 1 (on) or 0 (off) (got "${raw}")`);
}

/** One of `choices`, `fallback` when unset or empty. */
export function choiceSetting(name: string, fallback: string, choices: readonly string[]): string {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!choices.includes(raw)) throw new Error(`${name} must be one of ${choices.join(', ')} (got "${raw}")`);
  return raw;
}

/**
 * DEMO_SILENCE_WINDOW: seconds over which the silence monitors (a count `< N`, such as "no
 * executions for 30 minutes") are evaluated instead of their own window, so that a demo of a few
 * minutes can show one alert and recover.
 */
export const SILENCE_WINDOW_SETTING = 'DEMO_SILENCE_WINDOW';

/**
 * The silence window, seconds (default 60). Two count intervals at least: a shorter window would
 * fall between two counts of a model that is running, and alert.
 */
export function silenceWindowSeconds(): number {
  return numberSetting(SILENCE_WINDOW_SETTING, 60, 2 * COUNT_INTERVAL_SECONDS);
}
