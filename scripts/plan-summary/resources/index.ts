import { dashboard } from './dashboard';
import { otherChanges, str, type ResourceDescriber } from './describer';
import { configMap, deployment, kubernetesTitle } from './kubernetes';
import { metricMetadata } from './metric-metadata';
import { metricPercentiles } from './metric-percentiles';
import { monitor } from './monitor';
import { slo } from './slo';

export { otherChanges, resourceAt, type ResourceDescriber, type StackResources, type Stacks } from './describer';

function generic(type: string): ResourceDescriber {
  return {
    label: type,
    title: (resource) => str(resource.name) ?? str(resource.title) ?? kubernetesTitle(resource),
    added: () => [],
    removed: () => [],
    changed: (before, after) => otherChanges(before, after),
  };
}

/**
 * One describer per resource type, in the order the summary lists them. A new type is a file of
 * its own beside these (a `ResourceDescriber`) and one line here; types without one are listed
 * by address with every changed setting.
 */
const DESCRIBERS: Readonly<Record<string, ResourceDescriber>> = {
  datadog_monitor: monitor,
  datadog_service_level_objective: slo,
  datadog_dashboard: dashboard,
  datadog_metric_metadata: metricMetadata,
  datadog_metric_tag_configuration: metricPercentiles,
  kubernetes_deployment_v1: deployment,
  kubernetes_deployment: deployment,
  kubernetes_config_map_v1: configMap,
  kubernetes_config_map: configMap,
};

export function describerFor(type: string): ResourceDescriber {
  return DESCRIBERS[type] ?? generic(type);
}

/** Resource types in the order the summary lists them: what people review first. */
export const TYPE_ORDER = Object.keys(DESCRIBERS);
