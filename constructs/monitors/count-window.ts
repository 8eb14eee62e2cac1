/**
 * The rule every monitor on a forwarder count shares: its window must span many count intervals.
 * The forwarder sends each count every COUNT_INTERVAL_SECONDS, and Datadog takes some seconds to
 * make a point queryable; a window of a few intervals would see a late point as a silence.
 */
import { COUNT_INTERVAL_SECONDS } from '@algorithmia-datadog/metric-declaration';
import { windowSeconds } from '../metric-query';
import { problemAt, type PropPath, type PropProblem } from '../problems';
import { windowProblems } from '../validation';

/** Twelve count intervals: 2 minutes at the forwarder's 10 s. */
export const MIN_COUNT_WINDOW_MINUTES = Math.ceil((12 * COUNT_INTERVAL_SECONDS) / 60);

/** Problems with a silence length in whole minutes. */
export function countMinutesProblems(at: PropPath, minutes: number): PropProblem[] {
  if (Number.isInteger(minutes) && minutes >= MIN_COUNT_WINDOW_MINUTES) return [];
  return [
    problemAt(
      at,
      `(${minutes}) must be a whole number of minutes, at least ${MIN_COUNT_WINDOW_MINUTES}: the forwarder sends counts every ` +
        `${COUNT_INTERVAL_SECONDS} s, and a shorter window would take one late point for a silence.`,
    ),
  ];
}

/** Problems with an evaluation window over a count (`last_15m`). */
export function countWindowProblems(at: PropPath, window: string): PropProblem[] {
  const problems = windowProblems(at, window);
  if (problems.length > 0) return problems;
  const seconds = windowSeconds(window) as number;
  if (seconds >= MIN_COUNT_WINDOW_MINUTES * 60) return [];
  return [
    problemAt(
      at,
      `"${window}" is shorter than ${MIN_COUNT_WINDOW_MINUTES} minutes: the forwarder sends counts every ${COUNT_INTERVAL_SECONDS} s, ` +
        `so use at least "last_${MIN_COUNT_WINDOW_MINUTES}m".`,
    ),
  ];
}

/** Problems with a threshold that must be above 0 (seconds of lag, percent of a drop). */
export function positiveProblems(at: PropPath, value: number, unit: string): PropProblem[] {
  if (Number.isFinite(value) && value > 0) return [];
  return [problemAt(at, `(${value}) must be a number of ${unit} above 0.`)];
}
