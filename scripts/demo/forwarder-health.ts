import {
  DEFAULT_PREFIX,
  FORWARDER_HEALTH_METRICS,
  FORWARDER_NAMESPACE,
  INSTANCE_TAG_KEY,
  pipelineMetricName,
} from '@algorithmia-datadog/metric-declaration';
import type { ReceivedPoint } from './live-summary';

/**
 * What Datadog holds of the forwarder's own health metrics (`<prefix>.forwarder.*`): when the
 * last heartbeat arrived, how many forwarder processes (instance tags) have reported, and the
 * consumer lag they last reported. This is what the forwarder monitors see, as opposed to the
 * forwarder's /metrics, which only answers while the process runs.
 */
export class ForwarderHealth {
  private readonly heartbeat: string;
  private readonly lagSeconds: string;
  /** `algorithmia.forwarder.`: every health metric's name starts so. */
  readonly namespace: string;
  private lastHeartbeat?: number;
  private readonly instances = new Set<string>();
  /** The latest lag points: the second they are for, and the highest value sent for it. */
  private lag?: { timestamp: number; value: number };

  constructor(prefix = DEFAULT_PREFIX) {
    this.heartbeat = pipelineMetricName(prefix, FORWARDER_HEALTH_METRICS.heartbeat);
    this.lagSeconds = pipelineMetricName(prefix, FORWARDER_HEALTH_METRICS.consumerLagSeconds);
    this.namespace = prefix ? `${prefix}.${FORWARDER_NAMESPACE}.` : `${FORWARDER_NAMESPACE}.`;
  }

  /** Whether a metric is one of the forwarder's own (not an algorithm's). */
  isHealthMetric(metric: string): boolean {
    return metric.startsWith(this.namespace);
  }

  add(points: readonly ReceivedPoint[]): void {
    for (const point of points) {
      if (!this.isHealthMetric(point.metric)) continue;
      const instance = point.tags.find((tag) => tag.startsWith(`${INSTANCE_TAG_KEY}:`));
      if (instance) this.instances.add(instance);
      if (point.metric === this.heartbeat) this.lastHeartbeat = Math.max(this.lastHeartbeat ?? 0, point.timestamp);
      if (point.metric === this.lagSeconds && point.value !== undefined) {
        // Several topics or processes may report the same second: the furthest behind is the lag.
        if (!this.lag || point.timestamp > this.lag.timestamp) this.lag = { timestamp: point.timestamp, value: point.value };
        else if (point.timestamp === this.lag.timestamp) this.lag.value = Math.max(this.lag.value, point.value);
      }
    }
  }

  /** `forwarder health in Datadog: last heartbeat 4 s ago · 1 instance seen · consumer lag 0 s`. */
  render(nowSeconds = Date.now() / 1000): string {
    const heartbeat =
      this.lastHeartbeat === undefined
        ? 'no heartbeat yet'
        : `last heartbeat ${Math.max(0, Math.round(nowSeconds - this.lastHeartbeat))} s ago`;
    const instances = `${this.instances.size} instance${this.instances.size === 1 ? '' : 's'} seen`;
    const lag = this.lag === undefined ? 'consumer lag not reported yet' : `consumer lag ${this.lag.value} s`;
    return `forwarder health in Datadog: ${heartbeat} · ${instances} · ${lag}`;
  }
}
