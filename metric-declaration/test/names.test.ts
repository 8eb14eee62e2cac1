import { metricNameForKey, metricNameProblem, tag, tagProblem } from '../src';

describe('metric names', () => {
  it.each([
    ['risk_score', 'algorithmia.risk_score'],
    ['risk score', 'algorithmia.risk_score'],
    ['  risk--score!! ', 'algorithmia.risk_score'],
    ['1st_place', 'algorithmia.1st_place'],
    ['précision', 'algorithmia.pr_cision'],
    ['a.b', 'algorithmia.a.b'],
  ])('key %p becomes %p', (key, name) => {
    expect(metricNameForKey('algorithmia', key)).toBe(name);
  });

  it.each(['', '   ', '€€€', 'x'.repeat(200)])('key %p cannot be made valid', (key) => {
    expect(metricNameForKey('algorithmia', key)).toBeUndefined();
  });

  it('explains rejected names', () => {
    expect(metricNameProblem('1abc')).toBe('it must start with an ASCII letter');
    expect(metricNameProblem('a-b')).toBe('it may contain only ASCII letters, digits, "_" and "."');
    expect(metricNameProblem('a'.repeat(201))).toBe('it is 201 characters long (at most 200)');
    expect(metricNameProblem('algorithmia.ok_1')).toBeUndefined();
  });
});

describe('tags', () => {
  it('repairs values and never ends with a colon', () => {
    expect(tag('algorithm_name', 'credit card approval')).toBe('algorithm_name:credit_card_approval');
    expect(tag('algorithm_version', '1.0.6')).toBe('algorithm_version:1.0.6');
    expect(tag('algorithm_owner', '')).toBe('algorithm_owner:_');
    expect(tag('k', 'v'.repeat(300))).toHaveLength(200);
  });

  it('explains rejected user tags', () => {
    expect(tagProblem('env:prod')).toBeUndefined();
    expect(tagProblem('team:ml-platform/core')).toBeUndefined();
    expect(tagProblem('env:')).toBe('it must not end with ":"');
    expect(tagProblem('1env:prod')).toBe('it must start with a letter');
    expect(tagProblem('env:pro d')).toBe('it may contain only letters, digits and "_", "-", ":", ".", "/"');
  });
});
