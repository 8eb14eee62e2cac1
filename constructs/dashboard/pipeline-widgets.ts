/**
 * The widgets of the metrics the forwarder makes itself (pipeline-metrics.ts): the executions of
 * each model, and a "Pipeline" group with the forwarder's health. Names, kinds and tag keys come
 * from the shared declaration, so a widget reads what the forwarder sends.
 */
import { DashboardWidget, DashboardWidgetGroupDefinitionWidget } from '@cdktf/provider-datadog/lib/dashboard';
import {
  EXECUTIONS_METRIC,
  FORWARDER_HEALTH_METRICS,
  INSTANCE_TAG_KEY,
  pipelineMetricName,
  type PipelineMetric,
} from '@algorithmia-datadog/metric-declaration';
import { countSeriesQuery, groupedSeriesQuery } from '../metric-query';

export const PIPELINE_GROUP_TITLE = 'Pipeline';

/** One request per metric: counts summed as counted (`.as_count()`), gauges as `aggregation`. */
function seriesQuery(
  prefix: string,
  metric: PipelineMetric,
  scope: string,
  groupBy: readonly string[],
  aggregation: 'sum' | 'max',
): string {
  const name = pipelineMetricName(prefix, metric);
  return metric.kind === 'count' ? countSeriesQuery(name, scope, groupBy) : groupedSeriesQuery(name, scope, aggregation, groupBy);
}

interface SeriesWidget {
  readonly title: string;
  readonly metrics: readonly PipelineMetric[];
  readonly groupBy?: readonly string[];
  /** How the sources of a gauge are combined. @default 'sum' */
  readonly aggregation?: 'sum' | 'max';
}

function timeseries(prefix: string, scope: string, widget: SeriesWidget) {
  return {
    timeseriesDefinition: {
      title: widget.title,
      showLegend: true,
      legendSize: 'auto',
      yaxis: { scale: 'linear', min: 'auto', max: 'auto', includeZero: true },
      request: widget.metrics.map((metric) => ({
        q: seriesQuery(prefix, metric, scope, widget.groupBy ?? [], widget.aggregation ?? 'sum'),
        displayType: metric.kind === 'count' ? 'bars' : 'line',
        style: { palette: 'dog_classic', lineType: 'solid', lineWidth: 'normal' },
      })),
    },
  };
}

/** Executions per algorithm: which model is called, and which stopped being called. */
export function trafficWidget(prefix: string, scope: string): DashboardWidget {
  return timeseries(prefix, scope, { title: 'Executions per algorithm', metrics: [EXECUTIONS_METRIC], groupBy: ['algorithm_name'] });
}

const HEALTH = FORWARDER_HEALTH_METRICS;

/** The group's widgets, in the order an incident is read: alive, keeping up, losing data. */
const PIPELINE_WIDGETS: readonly SeriesWidget[] = [
  { title: 'Forwarder heartbeat by instance', metrics: [HEALTH.heartbeat], groupBy: [INSTANCE_TAG_KEY] },
  { title: 'Consumer lag (seconds)', metrics: [HEALTH.consumerLagSeconds], groupBy: [INSTANCE_TAG_KEY], aggregation: 'max' },
  { title: 'Consumer lag (messages)', metrics: [HEALTH.consumerLag], groupBy: [INSTANCE_TAG_KEY] },
  {
    title: 'Messages consumed, invalid, dead-lettered',
    metrics: [HEALTH.messagesConsumed, HEALTH.messagesInvalid, HEALTH.messagesDeadLettered],
  },
  { title: 'Points sent, rejected, dropped', metrics: [HEALTH.pointsSent, HEALTH.pointsRejected, HEALTH.pointsDropped] },
  { title: 'Retries by reason', metrics: [HEALTH.retries], groupBy: ['reason'] },
  { title: 'Points buffered by instance', metrics: [HEALTH.pointsBuffered], groupBy: [INSTANCE_TAG_KEY] },
];

/** The "Pipeline" group: the forwarder's health under the dashboard's scope. */
export function pipelineGroupWidget(prefix: string, scope: string): DashboardWidget {
  const widgets: DashboardWidgetGroupDefinitionWidget[] = PIPELINE_WIDGETS.map((widget) => timeseries(prefix, scope, widget));
  return { groupDefinition: { title: PIPELINE_GROUP_TITLE, layoutType: 'ordered', showTitle: true, widget: widgets } };
}
