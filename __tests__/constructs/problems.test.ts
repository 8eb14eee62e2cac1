import { describePropProblem, problemInParent } from '../../constructs/problems';
import { monitorOrigin } from '../../constructs/monitors/model-monitors';

describe('problems as data', () => {
  it('are shown with their path, and follow a recorded origin up to the parent props', () => {
    const problem = { path: ['tags', 2], message: '"9:x" is not a valid Datadog tag.' };
    expect(describePropProblem(problem)).toBe('tags[2] "9:x" is not a valid Datadog tag.');
    // A monitor whose tags are the integration's own tag, the environment's two, then its own one.
    const origin = monitorOrigin(['changeMonitors', 'risk_score'], { critical: 1, tags: ['team:x'] }, [
      'env:prod',
      'integration:algorithmia',
      'a:b',
    ]);
    expect(problemInParent(origin, { ...problem, path: ['tags', 2] }).path).toEqual(['tags', 2]);
    expect(problemInParent(origin, { ...problem, path: ['tags', 3] }).path).toEqual(['changeMonitors', 'risk_score', 'tags', 0]);
    expect(problemInParent(origin, { path: ['scope'], message: 'is empty.' }).path).toEqual(['scope']);
    expect(problemInParent(origin, { path: ['critical'], message: '…' }).path).toEqual(['changeMonitors', 'risk_score', 'critical']);
    expect(problemInParent(origin, { path: ['tags'], message: ': tag "a" appears twice.' }).path).toEqual([
      'changeMonitors',
      'risk_score',
      'tags',
    ]);
  });
});
