import { Construct } from 'constructs';
import { Dashboard } from '@cdktf/provider-datadog/lib/dashboard';
import type { MetricKind } from '@algorithmia-datadog/metric-declaration';
import { ALGORITHM_TAG_KEYS, perAlgorithmTableWidget, percentilesWidget, templateScope, timeseriesWidget } from './dashboard-widgets';
import { pipelineGroupWidget, trafficWidget } from './pipeline-widgets';
import { sloGroupWidget, type DashboardSlo } from './slo-widgets';
import { DEFAULT_PREFIX, metricNameProblem } from '@algorithmia-datadog/metric-declaration';
import { DURATION_METRIC_NAME } from '../monitors/duration-monitor';
import { DEFAULT_SCOPE, metricQuery, metricQueryTitle } from '../metric-query';
import { addProblems, problemAt } from '../problems';
import { duplicateProblems, metricNameProblems, scopeProblems } from '../validation';

export const DASHBOARD_TITLE = 'Algorithmia';
export const DASHBOARD_DESCRIPTION = 'Monitor metrics for machine learning models in production';

/** An inference metric to graph; a `MetricDefinition` from the metric declaration fits. */
export interface DashboardMetric {
  /** Full Datadog name, e.g. `algorithmia.risk_score`. */
  readonly name: string;
  /** @default 'gauge' */
  readonly kind?: MetricKind;
  /**
   * Whether the organisation computes its percentiles (`MetricPercentiles`): a distribution with
   * them gets p50/p95/p99 lines when `distributionPercentiles` is on.
   * @default false
   */
  readonly percentiles?: boolean;
}

export interface AlgorithmiaDashboardProps {
  /**
   * Id of the duration monitor, for the alert graph and alert value widgets: pass
   * `durationMonitor.monitorId` so that the widgets follow the monitor this app creates.
   */
  readonly durationMonitorId: string;
  /** @default 'Algorithmia' */
  readonly title?: string;
  /** @default 'Monitor metrics for machine learning models in production' */
  readonly description?: string;
  /** @default 'algorithmia.duration_milliseconds' */
  readonly durationMetricName?: string;
  /**
   * What goes between the braces of every query, e.g. `env:prod`.
   * @default '*'
   */
  readonly scope?: string;
  /** @default 'Alert: Excessive algorithm runtime' */
  readonly alertGraphTitle?: string;
  /** @default 'Excessive algorithm runtime' */
  readonly alertValueTitle?: string;
  /**
   * Declared inference metrics; each gets a timeseries widget after the integration's four.
   * @default none
   */
  readonly inferenceMetrics?: readonly DashboardMetric[];
  /**
   * Template variables for the scope's tags (e.g. `env`, defaulting to `prod`) and for
   * `algorithm_name`, `algorithm_version`, `algorithm_owner`, used by every widget query, so the
   * dashboard can be narrowed to one model or version.
   * @default false (the integration's dashboard has none)
   */
  readonly templateVariables?: boolean;
  /**
   * A table after the other widgets: one row per algorithm and version, with the average
   * duration and each inference metric.
   * @default false
   */
  readonly perAlgorithmTable?: boolean;
  /**
   * For distributions whose percentiles are enabled (`percentiles`), p50/p95/p99 lines instead of
   * an average line.
   * @default false
   */
  readonly distributionPercentiles?: boolean;
  /**
   * The prefix of the metrics the forwarder makes itself (`<prefix>.executions`,
   * `<prefix>.forwarder.*`), which the traffic and pipeline widgets read.
   * @default 'algorithmia'
   */
  readonly metricPrefix?: string;
  /**
   * A widget of the executions per algorithm, after the inference metrics.
   * @default false
   */
  readonly traffic?: boolean;
  /**
   * A "Pipeline" group at the end: the forwarder's heartbeat, lag, messages, points, retries and
   * buffer.
   * @default false
   */
  readonly pipeline?: boolean;
  /**
   * A "Service level objectives" group before the Pipeline group: status and error budget of each.
   * @default none
   */
  readonly slos?: readonly DashboardSlo[];
}

/**
 * The integration's "Algorithmia" dashboard: duration timeseries, alert graph, query value and
 * alert value, in that order, then one timeseries per declared inference metric.
 */
export class AlgorithmiaDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: AlgorithmiaDashboardProps) {
    super(scope, id);
    const scopeFilter = props.scope ?? DEFAULT_SCOPE;
    const template = props.templateVariables ? templateScope(scopeFilter) : undefined;
    const filter = template?.filter ?? scopeFilter;
    const durationMetricName = props.durationMetricName ?? DURATION_METRIC_NAME;
    const inferenceMetrics = props.inferenceMetrics ?? [];
    const graphedNames = [durationMetricName, ...inferenceMetrics.map((metric) => metric.name)];

    addProblems(this, [
      ...metricNameProblems(['durationMetricName'], durationMetricName),
      ...inferenceMetrics.flatMap((metric, index) => metricNameProblems(['inferenceMetrics', index, 'name'], metric.name)),
      // The duration metric and the inference metrics together: a problem of the dashboard as a whole.
      ...duplicateProblems([], graphedNames, 'metric').map((problem) => problemAt([], `metrics on the dashboard${problem.message}`)),
      ...scopeProblems(['scope'], scopeFilter),
      ...prefixProblems(props.metricPrefix),
    ]);
    const prefix = props.metricPrefix ?? DEFAULT_PREFIX;

    this.dashboard = new Dashboard(this, 'Default', {
      title: props.title ?? DASHBOARD_TITLE,
      description: props.description ?? DASHBOARD_DESCRIPTION,
      layoutType: 'ordered',
      ...(template ? { templateVariable: template.variables } : {}),
      widget: [
        timeseriesWidget(durationMetricName, filter),
        {
          alertGraphDefinition: {
            title: props.alertGraphTitle ?? 'Alert: Excessive algorithm runtime',
            alertId: props.durationMonitorId,
            vizType: 'timeseries',
          },
        },
        {
          queryValueDefinition: {
            request: [{ q: metricQuery(durationMetricName, filter), aggregator: 'avg' }],
            title: metricQueryTitle(durationMetricName, filter),
            autoscale: true,
            precision: 2,
          },
        },
        {
          alertValueDefinition: {
            alertId: props.durationMonitorId,
            precision: 0,
            unit: 'auto',
            textAlign: 'center',
            title: props.alertValueTitle ?? 'Excessive algorithm runtime',
          },
        },
        ...inferenceMetrics.map((metric) =>
          props.distributionPercentiles && metric.kind === 'distribution' && metric.percentiles
            ? percentilesWidget(metric.name, filter)
            : timeseriesWidget(metric.name, filter),
        ),
        ...(props.traffic ? [trafficWidget(prefix, filter)] : []),
        ...(props.perAlgorithmTable ? [perAlgorithmTableWidget(graphedNames, filter)] : []),
        ...sloGroupWidget(props.slos ?? []),
        ...(props.pipeline ? [pipelineGroupWidget(prefix, withoutAlgorithmVariables(filter))] : []),
      ],
    });
  }
}

/** `''` is no prefix; anything else must be a metric name itself. */
function prefixProblems(prefix: string | undefined) {
  const problem = prefix ? metricNameProblem(prefix) : undefined;
  return problem ? [problemAt(['metricPrefix'], `"${prefix}" is not a valid metric prefix: ${problem}.`)] : [];
}

/**
 * The forwarder's health metrics carry no algorithm tags: narrowing them to `$algorithm_name` would
 * empty them, so the Pipeline group follows only the scope's variables.
 */
function withoutAlgorithmVariables(filter: string): string {
  const kept = filter.split(',').filter((term) => !ALGORITHM_TAG_KEYS.some((key) => term === `$${key}`));
  return kept.length > 0 ? kept.join(',') : '*';
}
