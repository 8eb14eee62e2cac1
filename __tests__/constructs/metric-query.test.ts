import { formatThreshold, metricQuery, metricQueryTitle, monitorQuery } from '../../constructs';

describe('metric queries', () => {
  it('builds the dashboard query and the title Datadog gives it', () => {
    expect(metricQuery('algorithmia.duration_milliseconds')).toBe('avg:algorithmia.duration_milliseconds{*}');
    expect(metricQueryTitle('algorithmia.duration_milliseconds')).toBe('Avg of algorithmia.duration_milliseconds over *');
    expect(metricQueryTitle('algorithmia.risk_score', 'env:prod', 'max')).toBe('Max of algorithmia.risk_score over env:prod');
  });

  it('builds the monitor query with the threshold formatted as in monitor_thresholds', () => {
    const query = monitorQuery({
      metricName: 'algorithmia.duration_milliseconds',
      scope: '*',
      spaceAggregation: 'avg',
      timeAggregation: 'avg',
      window: 'last_5m',
      comparator: '>',
      critical: 10000,
    });
    expect(query).toBe('avg(last_5m):avg:algorithmia.duration_milliseconds{*} > 10000');
    expect(query.endsWith(formatThreshold(10000))).toBe(true);
    expect(formatThreshold(0.25)).toBe('0.25');
  });
});
