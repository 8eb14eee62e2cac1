import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { appBaseUrlForSite, DatadogSite, DEFAULT_SITE } from '@algorithmia-datadog/metric-declaration';
import { AlgorithmiaIntegration } from './algorithmia-integration';
import { MODEL_MONITOR_KINDS, type ModelMonitorKindName } from '../monitors/kinds';
import { PIPELINE_MONITORS } from '../monitors/pipeline-monitors';

export interface IntegrationOutputsProps {
  readonly integration: AlgorithmiaIntegration;
  /**
   * The site whose web app the URLs point at.
   * @default 'datadoghq.com'
   */
  readonly site?: DatadogSite;
}

/**
 * What people look for after `cdktf deploy` (and `cdktf output`): the dashboard's URL, every
 * monitor's id and URL (model monitors included), the metrics whose metadata this stack manages and those whose percentiles
 * it enables. Created in the scope given (the stack), so the outputs are named `dashboard_url`,
 * `monitors`, `slos`, `managed_metrics`, `percentile_metrics`.
 */
export function addIntegrationOutputs(scope: Construct, props: IntegrationOutputsProps): void {
  const app = appBaseUrlForSite(props.site ?? DEFAULT_SITE);
  const { integration } = props;
  const dashboardId = integration.dashboard.dashboard.id;
  new TerraformOutput(scope, 'dashboard_id', { value: dashboardId, description: 'Id of the Algorithmia dashboard.' });
  new TerraformOutput(scope, 'dashboard_url', {
    value: `${app}/dashboard/${dashboardId}`,
    description: 'The Algorithmia dashboard in the Datadog app.',
  });
  const monitors: Record<string, { id: string; url: string }> = {};
  const monitor = (id: string) => ({ id, url: `${app}/monitors/${id}` });
  monitors.duration = monitor(integration.durationMonitor.monitorId);
  for (const [key, inference] of integration.inferenceMonitors) monitors[key] = monitor(inference.monitorId);
  // Model monitors under their construct ids (change_monitor_risk_score, ...), in registry order.
  for (const setting of Object.keys(MODEL_MONITOR_KINDS) as ModelMonitorKindName[]) {
    const { idPrefix } = MODEL_MONITOR_KINDS[setting];
    for (const [key, model] of integration.modelMonitors[setting]) monitors[`${idPrefix}${key}`] = monitor(model.monitorId);
  }
  // Traffic and forwarder monitors under their construct ids (silent_model_monitor, ...).
  for (const [id, pipeline] of integration.pipelineMonitors) monitors[id] = monitor(pipeline.monitorId);
  // Burn-rate alerts under their SLO's id and their own (slo_duration_milliseconds_burn_1h, ...).
  const slos: Record<string, { id: string; url: string; burn_rate_alerts: string[] }> = {};
  for (const [sloKey, slo] of integration.slos) {
    for (const [alertKey, alert] of slo.burnRateAlerts) monitors[`${sloKey}_${alertKey}`] = monitor(alert.monitorId);
    slos[sloKey] = {
      id: slo.sloId,
      url: `${app}/slo?slo_id=${slo.sloId}`,
      burn_rate_alerts: [...slo.burnRateAlerts.keys()].map((alertKey) => `${sloKey}_${alertKey}`),
    };
  }
  new TerraformOutput(scope, 'monitors', {
    value: monitors,
    description: `Id and URL of each monitor: "duration", one per inference metric key, "<kind>_monitor_<key>" per model monitor (change, anomaly, outlier, percentile), one per traffic and pipeline monitor (${PIPELINE_MONITORS.map((entry) => entry.id).join(', ')}), and "<slo>_burn_<long window>" per burn-rate alert.`,
  });
  new TerraformOutput(scope, 'slos', {
    value: slos,
    description:
      'Id and URL of each SLO ("slo_<metric key>", "slo_<metric key>_<algorithm>"), and the keys of its burn-rate alerts in "monitors".',
  });
  new TerraformOutput(scope, 'managed_metrics', {
    value: [...(integration.metricMetadata?.resources.keys() ?? [])],
    description:
      "Metrics whose metadata this stack manages, the forwarder's execution count and health metrics included (empty when another stack of the organisation does).",
  });
  new TerraformOutput(scope, 'percentile_metrics', {
    value: [...(integration.metricPercentiles?.resources.keys() ?? [])],
    description: 'Distributions whose percentiles this stack enables for the organisation (empty when another stack does).',
  });
}
