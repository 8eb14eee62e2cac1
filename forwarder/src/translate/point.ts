import type { MetricKind } from '@algorithmia-datadog/metric-declaration';

/**
 * One series: a metric with one set of tags. Made once per (metric, tag set) and shared by every
 * point of that series, so grouping points by series is an identity lookup, not string hashing.
 */
export interface Series {
  /** Full Datadog metric name, e.g. `algorithmia.risk_score`. */
  readonly metric: string;
  readonly kind: MetricKind;
  readonly tags: readonly string[];
  readonly unit?: string;
}

/** One value of one series at one second, ready for Datadog. */
export interface Point {
  readonly series: Series;
  /** POSIX seconds. */
  readonly timestamp: number;
  readonly value: number;
}

/** Why a value found in a message is not sent. Each is a label of the dropped-points counter. */
export type PointDropReason =
  | 'string_value'
  | 'null_value'
  | 'not_finite'
  | 'nested_object'
  | 'array_value'
  | 'invalid_name'
  | 'undeclared'
  /** The key would be sent under a name the forwarder's own metrics use (`executions`, `forwarder.*`). */
  | 'reserved_name'
  | 'too_old'
  | 'too_far_in_future'
  | 'rejected_by_datadog'
  /** Executions of a count bucket pushed out by the bound on live buckets (count-aggregator.ts). */
  | 'count_evicted'
  /** A new series past FORWARDER_MAX_SERIES while every known one was in use (series-registry.ts). */
  | 'series_limit';
