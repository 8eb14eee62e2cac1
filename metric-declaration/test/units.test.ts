import { unitBounds, unitProblem } from '../src';

describe('units', () => {
  it('knows the range a bounded unit implies', () => {
    expect(unitBounds('fraction')).toEqual({ min: 0, max: 1 });
    expect(unitBounds('percent')).toEqual({ min: 0, max: 100 });
    expect(unitBounds('millisecond')).toBeUndefined();
    expect(unitBounds(undefined)).toBeUndefined();
  });

  it('accepts only units Datadog knows, with a hint', () => {
    expect(unitProblem('fraction')).toBeUndefined();
    expect(unitProblem('milliseconds')).toBe('Datadog units are singular: use "millisecond"');
  });
});
