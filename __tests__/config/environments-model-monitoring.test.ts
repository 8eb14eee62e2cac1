import { join } from 'node:path';
import { loadEnvironments, parseEnvironments } from '../../config/environments';
import { CONFIG, problemsOf } from '../helpers/environments';

describe('environments config: model monitoring', () => {
  it('maps groupBy, the dashboard options and every monitor kind, without $comment', () => {
    const [environment] = parseEnvironments({
      environments: {
        staging: {
          durationMonitor: { groupBy: ['algorithm_name'] },
          inferenceMonitors: { risk_score: { critical: 0.9, groupBy: ['algorithm_name', 'algorithm_version'] } },
          changeMonitors: { risk_score: { $comment: 'drift', critical: 20, baseline: 'last_1w' } },
          anomalyMonitors: {
            duration_milliseconds: { algorithm: 'robust', seasonality: 'weekly', alertWindow: 'last_30m', critical: 0.8 },
          },
          outlierMonitors: { risk_score: { algorithm: 'mad', percentage: 20 } },
          percentileMonitors: { churn_probability: { percentile: 'p99', critical: 0.58 } },
          dashboard: { templateVariables: true, perAlgorithmTable: true, distributionPercentiles: true },
        },
      },
    });
    expect(environment.integration).toEqual({
      metricMetadata: true,
      durationMonitor: { groupBy: ['algorithm_name'] },
      inferenceMonitors: { risk_score: { critical: 0.9, groupBy: ['algorithm_name', 'algorithm_version'] } },
      changeMonitors: { risk_score: { critical: 20, baseline: 'last_1w' } },
      anomalyMonitors: { duration_milliseconds: { algorithm: 'robust', seasonality: 'weekly', alertWindow: 'last_30m', critical: 0.8 } },
      outlierMonitors: { risk_score: { algorithm: 'mad', percentage: 20 } },
      percentileMonitors: { churn_probability: { percentile: 'p99', critical: 0.58 } },
      dashboard: { templateVariables: true, perAlgorithmTable: true, distributionPercentiles: true },
    });
  });

  it('uses every kind in the committed staging environment', () => {
    const [staging] = loadEnvironments(join(CONFIG, 'environments.json'));
    expect(staging.integration.durationMonitor?.groupBy).toEqual(['algorithm_name']);
    for (const kind of ['changeMonitors', 'anomalyMonitors', 'outlierMonitors', 'percentileMonitors'] as const) {
      expect(Object.keys(staging.integration[kind] ?? {})).toHaveLength(1);
    }
    expect(staging.integration.dashboard).toEqual({
      templateVariables: true,
      perAlgorithmTable: true,
      distributionPercentiles: true,
      traffic: true,
      pipeline: true,
    });
  });

  it('names the file key of a mistake in a monitor kind', () => {
    expect(problemsOf({ environments: { staging: { anomalyMonitors: { duration_milliseconds: { direction: 'up' } } } } })).toEqual([
      expect.stringMatching(/^environments\.staging\.anomalyMonitors\.duration_milliseconds\.direction .*"up".*both.*above.*below/),
    ]);
    expect(problemsOf({ environments: { staging: { changeMonitors: { risk_score: { window: 'last_1h' } } } } })).toEqual([
      'environments.staging.changeMonitors.risk_score.critical is missing: add it, e.g. "critical": 20.',
    ]);
    expect(problemsOf({ environments: { staging: { durationMonitor: { groupBy: ['algorithm_name:ocr'] } } } })).toEqual([
      expect.stringMatching(/^environments\.staging\.durationMonitor\.groupBy\[0\].*give a tag key \(not a tag\), e\.g\. "algorithm_name"/),
    ]);
    expect(problemsOf({ environments: { staging: { dashboard: { templateVariable: true } } } })).toEqual([
      expect.stringMatching(
        /^environments\.staging\.dashboard\.templateVariable is not a known setting: did you mean "templateVariables"\?/,
      ),
    ]);
  });
});
