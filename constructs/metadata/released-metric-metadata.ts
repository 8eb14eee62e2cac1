import { Construct } from 'constructs';
import { TerraformElement, TerraformStack } from 'cdktf';
import { MetricMetadataEntry } from './metric-metadata';

export interface ReleasedMetricMetadataProps {
  /** The metrics whose metadata this stack used to manage (`catalog.metrics`). */
  readonly metrics: readonly MetricMetadataEntry[];
}

/**
 * Lets go of metric metadata this stack managed before another stack of the same Datadog
 * organisation took it over: one Terraform `removed` block (Terraform 1.7+) per metric, with
 * `destroy = false`, so that the next apply drops the resources from this stack's state and never
 * deletes or rewrites them. The addresses are those `MetricMetadataSet` gives its resources at the
 * same construct path, so this construct takes that construct's place (same id).
 *
 * A `removed` block for an address that is not in the state changes nothing, so this can stay.
 */
export class ReleasedMetricMetadata extends Construct {
  /** `datadog_metric_metadata.<name>` addresses, in metric order. */
  readonly addresses: readonly string[];

  constructor(scope: Construct, id: string, props: ReleasedMetricMetadataProps) {
    super(scope, id);
    this.addresses = release(this, 'datadog_metric_metadata', [...new Set(props.metrics.map((metric) => metric.name))]);
  }
}

export interface ReleasedMetricPercentilesProps {
  /** The metrics whose percentiles this stack used to enable (`percentileMetricNames(catalog.metrics)`). */
  readonly metricNames: readonly string[];
}

/**
 * The same for the tag configurations of `MetricPercentiles` (same construct id): forgotten, not
 * destroyed, since destroying one would turn the percentiles off for the whole organisation.
 */
export class ReleasedMetricPercentiles extends Construct {
  /** `datadog_metric_tag_configuration.<name>` addresses, in metric order. */
  readonly addresses: readonly string[];

  constructor(scope: Construct, id: string, props: ReleasedMetricPercentilesProps) {
    super(scope, id);
    this.addresses = release(this, 'datadog_metric_tag_configuration', [...new Set(props.metricNames)]);
  }
}

/** One `removed` block per resource the scope's resources named `names` had; returns their addresses. */
function release(scope: Construct, resourceType: string, names: readonly string[]): string[] {
  if (names.length === 0) return [];
  const stack = TerraformStack.of(scope);
  // Placeholders at the resources' paths, so the stack names them as it named the resources.
  const addresses = names.map((name) => `${resourceType}.${stack.getLogicalId(new Construct(scope, name).node)}`);
  new RemovedBlocks(scope, 'removed', addresses);
  return addresses;
}

/** The `removed` blocks themselves; cdktf 0.21 has no construct for them. */
class RemovedBlocks extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly addresses: readonly string[],
  ) {
    super(scope, id);
  }

  toTerraform(): Record<string, unknown> {
    return { removed: this.addresses.map((from) => ({ from, lifecycle: { destroy: false } })) };
  }
}
