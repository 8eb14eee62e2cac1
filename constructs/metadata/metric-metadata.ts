import { Construct } from 'constructs';
import { MetricMetadata } from '@cdktf/provider-datadog/lib/metric-metadata';
import { METRIC_KINDS, MetricKind, OPERATIONAL_METRIC } from '@algorithmia-datadog/metric-declaration';
import { DURATION_METRIC_NAME } from '../monitors/duration-monitor';
import { addProblems, problemAt, type PropPath, type PropProblem } from '../problems';
import { duplicateProblems, metricNameProblems, unitProblems } from '../validation';

/** One metric's metadata; a `MetricDefinition` from the metric declaration fits. */
export interface MetricMetadataEntry {
  /** Full Datadog name, e.g. `algorithmia.risk_score`. */
  readonly name: string;
  /** @default 'gauge' */
  readonly kind?: MetricKind;
  /** A Datadog unit such as `millisecond` or `fraction`. @default no unit */
  readonly unit?: string;
  /** @default no description */
  readonly description?: string;
}

/** The integration's metadata.csv first row. */
export const DURATION_METRIC_METADATA: MetricMetadataEntry = {
  name: DURATION_METRIC_NAME,
  kind: OPERATIONAL_METRIC.kind,
  unit: OPERATIONAL_METRIC.unit,
  description: OPERATIONAL_METRIC.description,
};

export interface MetricMetadataSetProps {
  /**
   * The metrics to describe: the operational metric and the declared inference metrics
   * (`catalog.metrics` of a loaded metric declaration).
   * @default only `algorithmia.duration_milliseconds` (gauge, millisecond, "Duration of algorithm run")
   */
  readonly metrics?: readonly MetricMetadataEntry[];
}

/**
 * Type, unit and description of each metric, as metadata.csv gives them.
 *
 * Datadog answers 404 to metadata for a metric it has never received, so on a new organisation
 * this construct can only be applied after the forwarder has sent the metrics once; see
 * docs/provisioning.md ("metric metadata on a new organisation").
 */
export class MetricMetadataSet extends Construct {
  /** The metadata resources, keyed by metric name. */
  readonly resources: ReadonlyMap<string, MetricMetadata>;

  constructor(scope: Construct, id: string, props: MetricMetadataSetProps = {}) {
    super(scope, id);
    const metrics = props.metrics ?? [DURATION_METRIC_METADATA];

    addProblems(this, [
      ...metrics.flatMap((metric, index) => entryProblems(['metrics', index], metric)),
      ...duplicateProblems(
        ['metrics'],
        metrics.map((metric) => metric.name),
        'metric',
      ),
    ]);

    const resources = new Map<string, MetricMetadata>();
    for (const metric of metrics) {
      if (resources.has(metric.name)) continue; // reported above; one resource per metric
      resources.set(
        metric.name,
        new MetricMetadata(this, metric.name, {
          metric: metric.name,
          ...typeFor(metric.kind ?? 'gauge'),
          ...(metric.unit !== undefined ? { unit: metric.unit } : {}),
          ...(metric.description ? { description: metric.description } : {}),
        }),
      );
    }
    this.resources = resources;
  }
}

/**
 * Provider 3.82 cannot set the `distribution` type (Datadog refuses to update it), and a
 * distribution gets its type from the first submission anyway, so it is left out.
 */
function typeFor(kind: MetricKind): { type?: string } {
  return kind === 'gauge' ? { type: 'gauge' } : {};
}

function entryProblems(at: PropPath, metric: MetricMetadataEntry): PropProblem[] {
  const kind = metric.kind ?? 'gauge';
  return [
    ...metricNameProblems([...at, 'name'], metric.name),
    ...unitProblems([...at, 'unit'], metric.unit),
    ...((METRIC_KINDS as readonly string[]).includes(kind)
      ? []
      : [problemAt([...at, 'kind'], `"${kind}" is not supported: use one of ${METRIC_KINDS.join(', ')}.`)]),
  ];
}
