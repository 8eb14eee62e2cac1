import { parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { AlgorithmiaIntegration, type AlgorithmiaIntegrationProps } from '../../../constructs';
import { resourcesOfType, synthError, synthesize } from '../../helpers/synth';

const catalog = parseMetricDeclaration({
  inferenceMetrics: [{ key: 'risk_score' }, { key: 'latency', kind: 'distribution', percentiles: true }],
});
const integrationWith = (props: AlgorithmiaIntegrationProps) =>
  synthesize((scope) => new AlgorithmiaIntegration(scope, 'algorithmia', { catalog, ...props }));

describe('SLOs of the integration (slos, sloHandles)', () => {
  it('makes one SLO per listed model, scoped to it, named after it, with the label', () => {
    const stack = integrationWith({
      label: 'staging',
      slos: { risk_score: { threshold: 0.9, objectives: [{ target: 99 }], algorithms: ['credit', 'Fraud.Detection'], burnRateAlerts: [] } },
    });
    const slos = Object.values(resourcesOfType(stack, 'datadog_service_level_objective'));
    expect(slos.map((slo) => [slo.name, slo.sli_specification.time_slice.query.query[0].metric_query.query])).toEqual([
      ['[Algorithmia] risk_score <= 0.9 for credit (staging)', 'avg:algorithmia.risk_score{algorithm_name:credit}'],
      ['[Algorithmia] risk_score <= 0.9 for Fraud.Detection (staging)', 'avg:algorithmia.risk_score{algorithm_name:Fraud.Detection}'],
    ]);
  });

  it("adds the model to the environment's scope, and takes the environment's tags and its own", () => {
    const stack = integrationWith({
      scope: 'env:prod',
      tags: ['env:prod'],
      slos: {
        duration_milliseconds: {
          threshold: 5000,
          objectives: [{ target: 99 }],
          algorithms: ['credit'],
          tags: ['slo:latency'],
          name: 'Fast',
        },
      },
    });
    const [slo] = Object.values(resourcesOfType(stack, 'datadog_service_level_objective'));
    expect(slo.name).toBe('Fast for credit');
    expect(slo.sli_specification.time_slice.query.query[0].metric_query.query).toBe(
      'avg:algorithmia.duration_milliseconds{env:prod,algorithm_name:credit}',
    );
    expect(slo.tags).toEqual(['integration:algorithmia', 'env:prod', 'slo:latency']);
  });

  it("routes page alerts to sloHandles.page and ticket alerts to sloHandles.ticket, else to the environment's handles", () => {
    const handlesOf = (props: AlgorithmiaIntegrationProps) =>
      Object.values(resourcesOfType(integrationWith(props), 'datadog_monitor'))
        .filter((monitor) => monitor.type === 'slo alert')
        .map((monitor) => [monitor.tags.at(-1), monitor.message.split('\n\n').at(-1)])
        .sort();
    const slos = { duration_milliseconds: { threshold: 5000, objectives: [{ target: 99.9 }] } };
    expect(handlesOf({ notificationHandles: ['@slack-ml'], slos })).toEqual([
      ['severity:page', '@slack-ml'],
      ['severity:ticket', '@slack-ml'],
      ['severity:ticket', '@slack-ml'],
    ]);
    expect(handlesOf({ notificationHandles: ['@slack-ml'], slos, sloHandles: { page: ['@pagerduty-ml'], ticket: ['@jira-ml'] } })).toEqual([
      ['severity:page', '@pagerduty-ml'],
      ['severity:ticket', '@jira-ml'],
      ['severity:ticket', '@jira-ml'],
    ]);
  });

  it('draws an SLO widget per SLO in the dashboard group, over its timeframes', () => {
    const stack = integrationWith({
      slos: {
        latency: {
          threshold: 800,
          aggregation: 'p95',
          objectives: [
            { timeframe: '7d', target: 99 },
            { timeframe: '90d', target: 99.5 },
          ],
        },
      },
    });
    const [dashboard] = Object.values(resourcesOfType(stack, 'datadog_dashboard'));
    const widgets = dashboard.widget;
    const group = widgets.find((widget: any) => widget.group_definition?.title === 'Service level objectives').group_definition;
    expect(group.widget).toEqual([
      {
        service_level_objective_definition: {
          title: '[Algorithmia] latency <= 800',
          slo_id: expect.stringMatching(/^\$\{datadog_service_level_objective\.[a-z_0-9A-Z]+\.id\}$/),
          view_type: 'detail',
          view_mode: 'overall',
          time_windows: ['7d', '90d'],
          show_error_budget: true,
        },
      },
    ]);
  });

  it('refuses an SLO on an undeclared metric, and a model listed twice or not a tag value', () => {
    const error = synthError((scope) => {
      new AlgorithmiaIntegration(scope, 'algorithmia', {
        catalog,
        slos: {
          churn: { threshold: 1, objectives: [{ target: 99 }] },
          risk_score: { threshold: 1, objectives: [{ target: 99 }], algorithms: ['a', 'a', 'b c'] },
          latency: { threshold: 1, objectives: [{ target: 99 }], algorithms: [] },
        },
      });
    });
    expect(error).toMatch(/slos\.churn: no metric with key "churn" is declared \(declared: duration_milliseconds, risk_score, latency\)/);
    expect(error).toMatch(/slos\.risk_score\.algorithms: model "a" appears twice \(at 0 and 1\)/);
    expect(error).toMatch(/slos\.risk_score\.algorithms\[2\] "b c" is not one algorithm_name/);
    expect(error).toMatch(/slos\.latency\.algorithms is empty: list the models/);
  });
});
