/** One Algorithmia Insights message, decoded: operational fields apart, candidate metrics as found. */
export interface Insight {
  readonly algorithmName?: string;
  readonly algorithmOwner?: string;
  readonly algorithmVersion?: string;
  readonly requestId?: string;
  readonly sessionId?: string;
  /** POSIX seconds; from the message's `time`/`timestamp`, else the Kafka record time. */
  readonly timestamp: number;
  /** True when the message had no usable time and the Kafka record time was used. */
  readonly timeFromRecord: boolean;
  /** Every non-operational top-level key with its raw value (metrics and non-metrics alike). */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Why a message could not be decoded at all. Each is a label value of the invalid-message counter. */
export type DecodeFailureReason = 'empty' | 'not_utf8' | 'not_json' | 'not_an_object' | 'no_time';

export interface DecodeFailure {
  readonly reason: DecodeFailureReason;
  readonly detail: string;
}
