import { Construct } from 'constructs';
import { MetricMetadata } from '@cdktf/provider-datadog/lib/metric-metadata';
import {
  COUNT_INTERVAL_SECONDS,
  EXECUTIONS_METRIC,
  FORWARDER_HEALTH_METRICS,
  METRIC_KINDS,
  MetricKind,
  OPERATIONAL_METRIC,
  pipelineMetricName,
} from '@algorithmia-datadog/metric-declaration';
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
  /**
   * Counts only: the seconds each point covers (`statsd_interval`), which Datadog needs to turn a
   * count into a rate.
   * @default none; required for a count
   */
  readonly interval?: number;
}

/** Kinds metadata can describe: the declared ones, and the counts the forwarder makes itself. */
const METADATA_KINDS: readonly MetricKind[] = [...METRIC_KINDS, 'count'];

/**
 * The metrics the forwarder makes itself (pipeline-metrics.ts) under a prefix: the execution count
 * and its health metrics, counts with the forwarder's interval.
 */
export function pipelineMetricMetadata(prefix: string): MetricMetadataEntry[] {
  return [EXECUTIONS_METRIC, ...Object.values(FORWARDER_HEALTH_METRICS)].map((metric) => ({
    name: pipelineMetricName(prefix, metric),
    kind: metric.kind,
    ...(metric.unit !== undefined ? { unit: metric.unit } : {}),
    description: metric.description,
    ...(metric.kind === 'count' ? { interval: COUNT_INTERVAL_SECONDS } : {}),
  }));
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
          ...(metric.interval !== undefined ? { statsdInterval: metric.interval } : {}),
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
 * distribution gets its type from the first submission anyway, so the resource leaves it unset
 * (the provider then sends `type: ""`, which real applies of earlier releases accepted).
 */
function typeFor(kind: MetricKind): { type?: string } {
  return kind === 'distribution' ? {} : { type: kind };
}

function entryProblems(at: PropPath, metric: MetricMetadataEntry): PropProblem[] {
  const kind = metric.kind ?? 'gauge';
  return [
    ...metricNameProblems([...at, 'name'], metric.name),
    ...unitProblems([...at, 'unit'], metric.unit),
    ...(METADATA_KINDS.includes(kind)
      ? []
      : [problemAt([...at, 'kind'], `"${kind}" is not supported: use one of ${METADATA_KINDS.join(', ')}.`)]),
    ...intervalProblems(at, kind, metric.interval),
  ];
}

/** A count needs the seconds its points cover; other kinds have none. */
function intervalProblems(at: PropPath, kind: MetricKind, interval: number | undefined): PropProblem[] {
  if (kind === 'count' && interval === undefined) {
    return [problemAt([...at, 'interval'], `is missing: a count needs the seconds each point covers, e.g. ${COUNT_INTERVAL_SECONDS}.`)];
  }
  if (interval === undefined) return [];
  if (kind !== 'count') return [problemAt([...at, 'interval'], `is for counts only: remove it from this ${kind}.`)];
  if (!Number.isInteger(interval) || interval < 1) {
    return [problemAt([...at, 'interval'], `(${interval}) must be a whole number of seconds, at least 1.`)];
  }
  return [];
}
