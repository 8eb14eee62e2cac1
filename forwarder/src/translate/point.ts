import type { MetricKind } from '@algorithmia-datadog/metric-declaration';

/** One value of one metric at one second, ready for Datadog. */
export interface Point {
  /** Full Datadog metric name, e.g. `algorithmia.risk_score`. */
  readonly metric: string;
  readonly kind: MetricKind;
  /** POSIX seconds. */
  readonly timestamp: number;
  readonly value: number;
  /** Shared by every point of one message: never mutate. */
  readonly tags: readonly string[];
  /** Identifies the series (metric and tags), to group points in a request. */
  readonly seriesKey: string;
  readonly unit?: string;
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
  | 'too_old'
  | 'too_far_in_future'
  | 'rejected_by_datadog';
