import { FORWARDER_HEALTH_METRICS, type ForwarderHealthMetric } from '@algorithmia-datadog/metric-declaration';
import type { Counter, Gauge } from 'prom-client';
import type { ForwarderMetrics } from './metrics';

/**
 * One value of one of the forwarder's health metrics, as /metrics has it: counts are running
 * totals since the process started, gauges the value now. `tags` holds the metric's tagKeys.
 */
export interface HealthReading {
  readonly metric: ForwarderHealthMetric;
  readonly tags: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * Where each health metric is read on /metrics. The heartbeat is not there: the reporter counts
 * its reports itself. A Prometheus label that is not among the metric's tagKeys (the partition
 * of the consumer lag) is summed over, so Datadog gets one series per tag set.
 */
const SOURCES: Readonly<Record<Exclude<ForwarderHealthMetric, 'heartbeat'>, (metrics: ForwarderMetrics) => Counter | Gauge>> = {
  consumerLag: (m) => m.consumerLag,
  consumerLagSeconds: (m) => m.consumerLagSeconds,
  messagesConsumed: (m) => m.messagesConsumed,
  messagesInvalid: (m) => m.messagesInvalid,
  messagesDeadLettered: (m) => m.messagesDeadLettered,
  pointsSent: (m) => m.pointsSent,
  pointsRejected: (m) => m.pointsRejected,
  pointsDropped: (m) => m.pointsDropped,
  retries: (m) => m.retries,
  pointsBuffered: (m) => m.bufferedPoints,
};

/** Tag values known before anything happened: each topic read has its own series from the first report on. */
export interface KnownTagValues {
  readonly topic: readonly string[];
}

/**
 * Every health metric but the heartbeat, read from /metrics, with at least one reading each so
 * that every metric has a series in every report (a zero is sent as a zero): a metric by topic
 * has one per topic read; one by another tag that never had a value has one without that tag.
 */
export async function healthReadings(metrics: ForwarderMetrics, known: KnownTagValues): Promise<HealthReading[]> {
  const readings: HealthReading[] = [];
  for (const [metric, source] of Object.entries(SOURCES) as [keyof typeof SOURCES, (m: ForwarderMetrics) => Counter | Gauge][]) {
    const { tagKeys } = FORWARDER_HEALTH_METRICS[metric];
    const sums = new Map<string, { tags: Record<string, string>; value: number }>();
    const add = (tags: Record<string, string>, value: number) => {
      const id = JSON.stringify(tags);
      const sum = sums.get(id);
      if (sum) sum.value += value;
      else sums.set(id, { tags, value });
    };
    if (tagKeys.length === 1 && tagKeys[0] === 'topic') for (const topic of known.topic) add({ topic }, 0);
    for (const { labels, value } of (await source(metrics).get()).values) {
      add(Object.fromEntries(tagKeys.filter((k) => labels[k] !== undefined).map((k) => [k, String(labels[k])])), value);
    }
    if (sums.size === 0) add({}, 0);
    for (const { tags, value } of sums.values()) readings.push({ metric, tags, value });
  }
  return readings;
}
