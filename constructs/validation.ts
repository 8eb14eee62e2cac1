import { metricNameProblem, tagProblem, unitProblem } from '@algorithmia-datadog/metric-declaration';
import { problemAt, propPath, type PropPath, type PropProblem } from './problems';

/**
 * The synth-time rules shared by the constructs. Each returns problems at the prop path it is
 * given, as sentences that say how to fix them; an empty list means the value is fine. The
 * constructs register them with `addProblems` (problems.ts), so `cdktf synth` reports every
 * problem of every stack at once.
 */

export type Comparator = '>' | '>=' | '<' | '<=';
export const COMPARATORS: readonly Comparator[] = ['>', '>=', '<', '<='];

/** True when a larger value is worse, i.e. the monitor fires above its threshold. */
export function firesAbove(comparator: Comparator): boolean {
  return comparator === '>' || comparator === '>=';
}

export function metricNameProblems(at: PropPath, name: string): PropProblem[] {
  const problem = metricNameProblem(name);
  if (!problem) return [];
  return [
    problemAt(
      at,
      `"${name}" would be rejected by Datadog: ${problem}. ` +
        'Rename the metric (its key in config/metrics.json) to ASCII letters, digits, "_" and ".", starting with a letter.',
    ),
  ];
}

/**
 * `at` is the object holding the thresholds (e.g. `['durationMonitor']`); empty when the thresholds
 * are props of the construct reporting the problem.
 */
export function thresholdProblems(at: PropPath, thresholds: { critical: number; warning?: number; comparator: Comparator }): PropProblem[] {
  const name = (key: string) => propPath([...at, key]);
  const problems: PropProblem[] = [];
  const { critical, warning, comparator } = thresholds;
  if (!COMPARATORS.includes(comparator)) {
    problems.push(problemAt([...at, 'comparator'], `"${comparator}" is not supported: use one of ${COMPARATORS.join(' ')}.`));
  }
  if (!Number.isFinite(critical)) {
    problems.push(problemAt([...at, 'critical'], `must be a finite number (got ${critical}).`));
  }
  if (warning === undefined) return problems;
  if (!Number.isFinite(warning)) {
    problems.push(problemAt([...at, 'warning'], `must be a finite number (got ${warning}); remove it to have no warning.`));
    return problems;
  }
  if (problems.length > 0) return problems;
  // A warning is only useful if it fires before the critical alert does.
  if (firesAbove(comparator) && warning >= critical) {
    problems.push(
      problemAt(
        [...at, 'warning'],
        `(${warning}) is not below ${name('critical')} (${critical}): ` +
          `the monitor fires when the value is ${comparator} its threshold, so the warning must be lower. ` +
          'Lower the warning or raise the critical threshold.',
      ),
    );
  }
  if (!firesAbove(comparator) && warning <= critical) {
    problems.push(
      problemAt(
        [...at, 'warning'],
        `(${warning}) is not above ${name('critical')} (${critical}): ` +
          `the monitor fires when the value is ${comparator} its threshold, so the warning must be higher. ` +
          'Raise the warning or lower the critical threshold.',
      ),
    );
  }
  return problems;
}

const EVALUATION_WINDOW = /^last_[1-9][0-9]*[mhdw]$/;

export function windowProblems(at: PropPath, window: string): PropProblem[] {
  if (EVALUATION_WINDOW.test(window)) return [];
  return [problemAt(at, `"${window}" is not a Datadog evaluation window: use last_<number><m|h|d|w>, for example "last_5m".`)];
}

export function scopeProblems(at: PropPath, scope: string): PropProblem[] {
  if (scope.trim() === '') {
    return [problemAt(at, 'is empty: use "*" for every source, or a tag filter such as "env:prod".')];
  }
  if (/[{}]/.test(scope)) {
    return [problemAt(at, `"${scope}" must not contain "{" or "}": give only what goes between the braces, e.g. "env:prod".`)];
  }
  return [];
}

/** Handles such as `@slack-ml-alerts`, `@pagerduty-ML`, `@ops@example.com`. */
export function notificationHandleProblems(at: PropPath, handles: readonly string[]): PropProblem[] {
  const problems: PropProblem[] = [];
  handles.forEach((handle, index) => {
    const where = [...at, index];
    if (handle.trim() === '') {
      problems.push(problemAt(where, 'is empty: remove it, or give a handle such as "@slack-ml-alerts" or "@pagerduty-ml".'));
    } else if (!handle.startsWith('@')) {
      problems.push(problemAt(where, `"${handle}" must start with "@" (for example "@${handle.trim()}").`));
    } else if (/\s/.test(handle)) {
      problems.push(problemAt(where, `"${handle}" contains whitespace: a handle is one word such as "@slack-ml-alerts".`));
    }
  });
  return problems.concat(duplicateProblems(at, handles, 'handle'));
}

export function tagProblems(at: PropPath, tags: readonly string[]): PropProblem[] {
  const problems: PropProblem[] = [];
  tags.forEach((tag, index) => {
    const problem = tagProblem(tag);
    if (problem) problems.push(problemAt([...at, index], `"${tag}" is not a valid Datadog tag: ${problem}.`));
  });
  return problems;
}

export function unitProblems(at: PropPath, unit: string | undefined): PropProblem[] {
  if (unit === undefined) return [];
  const problem = unitProblem(unit);
  return problem ? [problemAt(at, `"${unit}": ${problem}.`)] : [];
}

/** Problems for values that appear more than once; `what` names the thing in the message. */
export function duplicateProblems(at: PropPath, values: readonly string[], what: string): PropProblem[] {
  const firstIndex = new Map<string, number>();
  const problems: PropProblem[] = [];
  values.forEach((value, index) => {
    const first = firstIndex.get(value);
    if (first === undefined) {
      firstIndex.set(value, index);
    } else {
      problems.push(problemAt(at, `: ${what} "${value}" appears twice (at ${first} and ${index}); remove one of them.`));
    }
  });
  return problems;
}
