import { Construct } from 'constructs';
import { MetricTagConfiguration } from '@cdktf/provider-datadog/lib/metric-tag-configuration';
import { PER_REQUEST_TAG_KEYS, type MetricDefinition, type MetricKind } from '@algorithmia-datadog/metric-declaration';
import { addProblems, problemAt } from '../problems';
import { duplicateProblems, metricNameProblems } from '../validation';

/** A metric whose percentiles may be enabled; a `MetricDefinition` from the metric declaration fits. */
export interface PercentileMetric {
  /** Full Datadog name, e.g. `algorithmia.churn_probability`. */
  readonly name: string;
  /** Only distributions have percentiles. */
  readonly kind: MetricKind;
  /** Whether to enable them (`"percentiles": true` in config/metrics.json). */
  readonly percentiles: boolean;
}

export interface MetricPercentilesProps {
  /** The declared metrics; those with `percentiles` get a tag configuration. */
  readonly metrics: readonly PercentileMetric[];
  /**
   * Tag keys left out of the percentile aggregations; every other tag stays queryable.
   * @default request_id and session_id, one value per execution (see FORWARDER_TAG_REQUEST_IDS)
   */
  readonly excludedTagKeys?: readonly string[];
}

/** The metrics of `metrics` whose percentiles are to be enabled. */
export function percentileMetricNames(metrics: readonly PercentileMetric[]): string[] {
  return [...new Set(metrics.filter((metric) => metric.percentiles).map((metric) => metric.name))];
}

/**
 * Why a percentile query of `metric` would have no data, as sentences (none when it will have
 * data): its percentiles are not declared, or no stack of the organisation enables them.
 * @param enabler the stack that enables declared percentiles in the organisation, if any
 * @param consequence what goes without data, e.g. "its p95 monitor would get no data and never fire"
 */
export function percentileAvailabilityProblems(metric: MetricDefinition, enabler: string | undefined, consequence: string): string[] {
  if (metric.kind !== 'distribution') return []; // the percentile monitor itself says why
  if (!metric.percentiles) {
    return [
      `the percentiles of ${metric.name} are not enabled, so ${consequence}: ` +
        `add "percentiles": true to its entry in config/metrics.json${enabler ? ` (${enabler} then enables them for the organisation)` : ''}.`,
    ];
  }
  if (!enabler) {
    return [
      `no stack of this Datadog organisation enables the percentiles of ${metric.name}, so ${consequence}. ` +
        'The stack that manages the metric metadata enables them: set "metricMetadata": true on one environment of the organisation ' +
        '(once the forwarder has sent the metric, as for metadata), or remove this until then.',
    ];
  }
  return [];
}

/**
 * Enables percentile aggregations of distribution metrics in the organisation: a
 * `datadog_metric_tag_configuration` per metric with `include_percentiles`. Without it Datadog
 * answers `p95:` queries with no data, so a percentile monitor never fires and its widgets stay
 * empty.
 *
 * A tag configuration also decides which tag keys stay queryable. Exclude mode keeps every tag the
 * forwarder sends (`algorithm_name`, `env`, ...) and drops only the per-request tags, which would
 * multiply the custom metrics that percentiles are billed as.
 *
 * Like metric metadata it belongs to the organisation: one stack per organisation creates it (the
 * one that manages the metadata). Datadog knows a metric only once it has received it, so on a new
 * organisation apply it after the forwarder has sent data, as the metadata.
 */
export class MetricPercentiles extends Construct {
  /** The tag configurations, keyed by metric name. */
  readonly resources: ReadonlyMap<string, MetricTagConfiguration>;

  constructor(scope: Construct, id: string, props: MetricPercentilesProps) {
    super(scope, id);
    const excluded = [...(props.excludedTagKeys ?? PER_REQUEST_TAG_KEYS)];
    const enabled = props.metrics.filter((metric) => metric.percentiles);

    addProblems(this, [
      ...enabled.flatMap((metric, index) => [
        ...metricNameProblems(['metrics', index, 'name'], metric.name),
        ...(metric.kind === 'distribution'
          ? []
          : [
              problemAt(
                [],
                `${metric.name} is a ${metric.kind}: Datadog computes percentiles only for distributions. ` +
                  'Declare it with "kind": "distribution" in config/metrics.json, or remove "percentiles".',
              ),
            ]),
      ]),
      ...excluded.flatMap((key, index) =>
        /^[A-Za-z][A-Za-z0-9._/-]*$/.test(key)
          ? []
          : [problemAt(['excludedTagKeys', index], `"${key}" is not a tag key: a tag key starts with a letter, e.g. "request_id".`)],
      ),
      ...(excluded.length > 0
        ? []
        : [
            problemAt(
              ['excludedTagKeys'],
              'is empty: Datadog needs at least one tag key in exclude mode; leave it out to exclude request_id and session_id.',
            ),
          ]),
      ...duplicateProblems(['excludedTagKeys'], excluded, 'tag key'),
    ]);

    const resources = new Map<string, MetricTagConfiguration>();
    for (const name of percentileMetricNames(enabled)) {
      resources.set(
        name,
        new MetricTagConfiguration(this, name, {
          metricName: name,
          metricType: 'distribution',
          includePercentiles: true,
          excludeTagsMode: true,
          tags: excluded,
        }),
      );
    }
    this.resources = resources;
  }
}
