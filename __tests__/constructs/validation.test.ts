import {
  describePropProblem,
  duplicateProblems,
  notificationHandleProblems,
  scopeProblems,
  thresholdProblems,
  unitProblems,
  windowProblems,
} from '../../constructs';

describe('validation rules', () => {
  it('accepts the integration monitor settings', () => {
    expect(thresholdProblems(['thresholds'], { critical: 10000, warning: 5000, comparator: '>' })).toEqual([]);
    expect(windowProblems(['window'], 'last_5m')).toEqual([]);
    expect(scopeProblems(['scope'], '*')).toEqual([]);
    expect(notificationHandleProblems(['handles'], ['@slack-ml', '@pagerduty-ml', '@ops@example.com'])).toEqual([]);
    expect(unitProblems(['unit'], 'millisecond')).toEqual([]);
  });

  it('orders warning and critical by the comparator', () => {
    expect(thresholdProblems(['t'], { critical: 1, warning: 2, comparator: '>=' })).toHaveLength(1);
    expect(thresholdProblems(['t'], { critical: 1, warning: 2, comparator: '<=' })).toEqual([]);
    expect(thresholdProblems(['t'], { critical: 2, warning: 1, comparator: '<' })).toHaveLength(1);
  });

  it('rejects an unknown comparator', () => {
    expect(thresholdProblems(['t'], { critical: 1, comparator: '=' as never })).toEqual([
      { path: ['t', 'comparator'], message: '"=" is not supported: use one of > >= < <=.' },
    ]);
  });

  it('rejects handles with spaces and repeated handles', () => {
    expect(notificationHandleProblems(['h'], ['@slack ml']).map(describePropProblem)).toEqual([
      'h[0] "@slack ml" contains whitespace: a handle is one word such as "@slack-ml-alerts".',
    ]);
    expect(notificationHandleProblems(['h'], ['@a', '@a']).map(describePropProblem)).toEqual([
      'h: handle "@a" appears twice (at 0 and 1); remove one of them.',
    ]);
  });

  it('accepts windows in minutes, hours, days and weeks only', () => {
    expect(['last_1h', 'last_2d', 'last_1w'].flatMap((window) => windowProblems(['w'], window))).toEqual([]);
    expect(['last_0m', 'last_5s', 'last5m'].flatMap((window) => windowProblems(['w'], window))).toHaveLength(3);
  });

  it('lists nothing for distinct values', () => {
    expect(duplicateProblems(['m'], ['a', 'b'], 'metric')).toEqual([]);
  });
});
