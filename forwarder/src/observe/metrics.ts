import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { FORWARDER_VERSION } from './version';

/** The forwarder's own Prometheus metrics, served on /metrics. */
export class ForwarderMetrics {
  readonly registry = new Registry();

  readonly messagesConsumed = new Counter({
    name: 'forwarder_messages_consumed_total',
    help: 'Kafka records read from the Insights topics',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });
  readonly messagesInvalid = new Counter({
    name: 'forwarder_messages_invalid_total',
    help: 'Records that could not be decoded at all, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly messagesDeadLettered = new Counter({
    name: 'forwarder_messages_dead_lettered_total',
    help: 'Undecodable records written to the dead-letter topic',
    registers: [this.registry],
  });
  readonly messagesTimeFromRecord = new Counter({
    name: 'forwarder_messages_time_from_record_total',
    help: 'Messages without a usable time field, stamped with the Kafka record time',
    registers: [this.registry],
  });
  readonly pointsSent = new Counter({
    name: 'forwarder_points_sent_total',
    help: 'Points accepted by Datadog (HTTP 202)',
    labelNames: ['endpoint'] as const,
    registers: [this.registry],
  });
  readonly pointsDropped = new Counter({
    name: 'forwarder_points_dropped_total',
    help: 'Values found in messages and deliberately not sent, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly pointsRejected = new Counter({
    name: 'forwarder_points_rejected_total',
    help: 'Points in request bodies Datadog refused for good (a 4xx that sending again cannot fix), by endpoint and status',
    labelNames: ['endpoint', 'status'] as const,
    registers: [this.registry],
  });
  readonly requests = new Counter({
    name: 'forwarder_requests_total',
    help: 'HTTP requests to Datadog by endpoint and status (or network outcome)',
    labelNames: ['endpoint', 'status'] as const,
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: 'forwarder_retries_total',
    help: 'Requests retried, by reason',
    labelNames: ['endpoint', 'reason'] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: 'forwarder_request_duration_seconds',
    help: 'Datadog request latency',
    labelNames: ['endpoint'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly requestBytes = new Counter({
    name: 'forwarder_request_bytes_total',
    help: 'Compressed bytes sent to Datadog',
    labelNames: ['endpoint'] as const,
    registers: [this.registry],
  });
  readonly batchPoints = new Histogram({
    name: 'forwarder_batch_points',
    help: 'Points per request',
    buckets: [1, 10, 100, 1_000, 5_000, 10_000, 25_000, 50_000],
    registers: [this.registry],
  });
  readonly seriesForgotten = new Counter({
    name: 'forwarder_series_forgotten_total',
    help: 'Series forgotten to stay within FORWARDER_MAX_SERIES (made again if their tag set returns)',
    registers: [this.registry],
  });
  readonly bufferedPoints = new Gauge({
    name: 'forwarder_buffered_points',
    help: 'Points read and not yet accepted (open batches, queued, in flight)',
    registers: [this.registry],
  });
  readonly paused = new Gauge({
    name: 'forwarder_consumption_paused',
    help: '1 while consumption is paused because the send buffer is full',
    registers: [this.registry],
  });
  readonly consumerLag = new Gauge({
    name: 'forwarder_consumer_lag',
    help: 'Records between the last one read and the partition high watermark, for each partition this process reads',
    labelNames: ['topic', 'partition'] as const,
    registers: [this.registry],
  });
  readonly consumerLagSeconds = new Gauge({
    name: 'forwarder_consumer_lag_seconds',
    help: 'Seconds the last record read is behind the newest one, on the partition furthest behind (0 when caught up)',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });
  readonly commits = new Counter({
    name: 'forwarder_offset_commits_total',
    help: 'Offset commits by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Always 1; its label says which version runs (join on it in queries, alert on mixed versions). */
  readonly buildInfo = new Gauge({
    name: 'forwarder_build_info',
    help: 'Always 1, labelled with the forwarder version that runs',
    labelNames: ['version'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'forwarder_' });
    this.buildInfo.labels(FORWARDER_VERSION).set(1);
  }
}
