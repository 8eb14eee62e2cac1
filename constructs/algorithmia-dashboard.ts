import { Construct } from 'constructs';
import { Dashboard, DashboardWidget } from '@cdktf/provider-datadog/lib/dashboard';
import { DURATION_METRIC_NAME } from './duration-monitor';
import { DEFAULT_SCOPE, metricQuery, metricQueryTitle } from './metric-query';
import { addProblems, duplicateProblems, metricNameProblems, scopeProblems } from './validation';

export const DASHBOARD_TITLE = 'Algorithmia';
export const DASHBOARD_DESCRIPTION = 'Monitor metrics for machine learning models in production';

/** An inference metric to graph; a `MetricDefinition` from the metric declaration fits. */
export interface DashboardMetric {
  /** Full Datadog name, e.g. `algorithmia.risk_score`. */
  readonly name: string;
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
}

/**
 * The integration's "Algorithmia" dashboard: duration timeseries, alert graph, query value and
 * alert value, in that order, then one timeseries per declared inference metric.
 */
export class AlgorithmiaDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: AlgorithmiaDashboardProps) {
    super(scope, id);
    const filter = props.scope ?? DEFAULT_SCOPE;
    const durationMetricName = props.durationMetricName ?? DURATION_METRIC_NAME;
    const inferenceMetrics = props.inferenceMetrics ?? [];
    const graphedNames = [durationMetricName, ...inferenceMetrics.map((metric) => metric.name)];

    addProblems(this, [
      ...metricNameProblems('durationMetricName', durationMetricName),
      ...inferenceMetrics.flatMap((metric, index) => metricNameProblems(`inferenceMetrics[${index}].name`, metric.name)),
      ...duplicateProblems('metrics on the dashboard', graphedNames, 'metric'),
      ...scopeProblems('scope', filter),
    ]);

    this.dashboard = new Dashboard(this, 'Default', {
      title: props.title ?? DASHBOARD_TITLE,
      description: props.description ?? DASHBOARD_DESCRIPTION,
      layoutType: 'ordered',
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
        ...inferenceMetrics.map((metric) => timeseriesWidget(metric.name, filter)),
      ],
    });
  }
}

/** The integration's duration graph, reused for inference metrics so that they look alike. */
function timeseriesWidget(metricName: string, scope: string): DashboardWidget {
  return {
    timeseriesDefinition: {
      request: [
        {
          q: metricQuery(metricName, scope),
          displayType: 'line',
          style: { palette: 'dog_classic', lineType: 'solid', lineWidth: 'normal' },
        },
      ],
      yaxis: { scale: 'linear', min: 'auto', max: 'auto', includeZero: true },
      title: metricQueryTitle(metricName, scope),
      showLegend: false,
      legendSize: '0',
    },
  };
}
