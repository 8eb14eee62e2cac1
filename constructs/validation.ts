import { IConstruct } from 'constructs';
import { metricNameProblem, tagProblem, unitProblem } from '@algorithmia-datadog/metric-declaration';

/**
 * The synth-time rules shared by the constructs. Each returns problems as sentences that name the
 * setting and say how to fix it; an empty list means the value is fine. The constructs register
 * them with `addProblems`, so `cdktf synth` reports every problem of every stack at once, each
 * prefixed with the construct path (which names the environment).
 */

/** Registers problems found while reading props; synth fails if there is any. */
export function addProblems(scope: IConstruct, problems: readonly string[]): void {
  if (problems.length === 0) return;
  scope.node.addValidation({ validate: () => [...problems] });
}

export type Comparator = '>' | '>=' | '<' | '<=';
export const COMPARATORS: readonly Comparator[] = ['>', '>=', '<', '<='];

/** True when a larger value is worse, i.e. the monitor fires above its threshold. */
export function firesAbove(comparator: Comparator): boolean {
  return comparator === '>' || comparator === '>=';
}

export function metricNameProblems(setting: string, name: string): string[] {
  const problem = metricNameProblem(name);
  if (!problem) return [];
  return [
    `${setting} "${name}" would be rejected by Datadog: ${problem}. ` +
      'Rename the metric (its key in config/metrics.json) to ASCII letters, digits, "_" and ".", starting with a letter.',
  ];
}

/**
 * `prefix` names the object holding the thresholds (e.g. `durationMonitor`); leave it empty when
 * the thresholds are props of the construct reporting the problem.
 */
export function thresholdProblems(prefix: string, thresholds: { critical: number; warning?: number; comparator: Comparator }): string[] {
  const setting = (key: string) => (prefix ? `${prefix}.${key}` : key);
  const problems: string[] = [];
  const { critical, warning, comparator } = thresholds;
  if (!COMPARATORS.includes(comparator)) {
    problems.push(`${setting('comparator')} "${comparator}" is not supported: use one of ${COMPARATORS.join(' ')}.`);
  }
  if (!Number.isFinite(critical)) {
    problems.push(`${setting('critical')} must be a finite number (got ${critical}).`);
  }
  if (warning === undefined) return problems;
  if (!Number.isFinite(warning)) {
    problems.push(`${setting('warning')} must be a finite number (got ${warning}); remove it to have no warning.`);
    return problems;
  }
  if (problems.length > 0) return problems;
  // A warning is only useful if it fires before the critical alert does.
  if (firesAbove(comparator) && warning >= critical) {
    problems.push(
      `${setting('warning')} (${warning}) is not below ${setting('critical')} (${critical}): ` +
        `the monitor fires when the value is ${comparator} its threshold, so the warning must be lower. ` +
        'Lower the warning or raise the critical threshold.',
    );
  }
  if (!firesAbove(comparator) && warning <= critical) {
    problems.push(
      `${setting('warning')} (${warning}) is not above ${setting('critical')} (${critical}): ` +
        `the monitor fires when the value is ${comparator} its threshold, so the warning must be higher. ` +
        'Raise the warning or lower the critical threshold.',
    );
  }
  return problems;
}

const EVALUATION_WINDOW = /^last_[1-9][0-9]*[mhdw]$/;

export function windowProblems(setting: string, window: string): string[] {
  if (EVALUATION_WINDOW.test(window)) return [];
  return [`${setting} "${window}" is not a Datadog evaluation window: use last_<number><m|h|d|w>, for example "last_5m".`];
}

export function scopeProblems(setting: string, scope: string): string[] {
  if (scope.trim() === '') {
    return [`${setting} is empty: use "*" for every source, or a tag filter such as "env:prod".`];
  }
  if (/[{}]/.test(scope)) {
    return [`${setting} "${scope}" must not contain "{" or "}": give only what goes between the braces, e.g. "env:prod".`];
  }
  return [];
}

/** Handles such as `@slack-ml-alerts`, `@pagerduty-ML`, `@ops@example.com`. */
export function notificationHandleProblems(setting: string, handles: readonly string[]): string[] {
  const problems: string[] = [];
  handles.forEach((handle, index) => {
    const where = `${setting}[${index}]`;
    if (handle.trim() === '') {
      problems.push(`${where} is empty: remove it, or give a handle such as "@slack-ml-alerts" or "@pagerduty-ml".`);
    } else if (!handle.startsWith('@')) {
      problems.push(`${where} "${handle}" must start with "@" (for example "@${handle.trim()}").`);
    } else if (/\s/.test(handle)) {
      problems.push(`${where} "${handle}" contains whitespace: a handle is one word such as "@slack-ml-alerts".`);
    }
  });
  return problems.concat(duplicateProblems(setting, handles, 'handle'));
}

export function tagProblems(setting: string, tags: readonly string[]): string[] {
  const problems: string[] = [];
  tags.forEach((tag, index) => {
    const problem = tagProblem(tag);
    if (problem) problems.push(`${setting}[${index}] "${tag}" is not a valid Datadog tag: ${problem}.`);
  });
  return problems;
}

export function unitProblems(setting: string, unit: string | undefined): string[] {
  if (unit === undefined) return [];
  const problem = unitProblem(unit);
  return problem ? [`${setting} "${unit}": ${problem}.`] : [];
}

/** Problems for values that appear more than once; `what` names the thing in the message. */
export function duplicateProblems(setting: string, values: readonly string[], what: string): string[] {
  const firstIndex = new Map<string, number>();
  const problems: string[] = [];
  values.forEach((value, index) => {
    const first = firstIndex.get(value);
    if (first === undefined) {
      firstIndex.set(value, index);
    } else {
      problems.push(`${setting}: ${what} "${value}" appears twice (at ${first} and ${index}); remove one of them.`);
    }
  });
  return problems;
}
