import { Construct } from 'constructs';
import { Monitor } from '@cdktf/provider-datadog/lib/monitor';
import { DEFAULT_PREFIX, FORWARDER_HEALTH_METRICS, pipelineMetricName } from '@algorithmia-datadog/metric-declaration';
import { DEFAULT_SCOPE, formatThreshold, groupedSeriesQuery } from '../metric-query';
import { addProblems } from '../problems';
import { metricNameProblems, thresholdProblems, windowProblems } from '../validation';
import { positiveProblems } from './count-window';
import { commonProblems, MissingDataMonitorProps, monitorResource } from './monitor-resource';

/** The defaults of the props that have one (the config schema states them too). */
export const CONSUMER_LAG_MONITOR_DEFAULTS = { critical: 300, window: 'last_5m', name: '[Algorithmia] Forwarder behind' } as const;

export interface ConsumerLagMonitorProps extends MissingDataMonitorProps {
  /** @default 'algorithmia.forwarder.consumer_lag_seconds' */
  readonly metricName?: string;
  /**
   * Seconds the forwarder may be behind the newest record before it alerts; above 0.
   * @default 300
   */
  readonly critical?: number;
  /** Seconds for a warning, between 0 and `critical`. @default no warning */
  readonly warning?: number;
  /** @default 'last_5m' */
  readonly window?: string;
  /** @default '[Algorithmia] Forwarder behind' */
  readonly name?: string;
  /** @default a sentence naming the threshold */
  readonly message?: string;
}

/**
 * The forwarder falls behind Kafka: `max(last_5m):max:algorithmia.forwarder.consumer_lag_seconds{env:prod} > 300`.
 * A stopped forwarder sends no lag: `on_missing_data: resolve` leaves that to the forwarder-silent
 * monitor rather than keeping a stale lag alert open.
 */
export class ConsumerLagMonitor extends Construct {
  readonly monitor: Monitor;
  readonly monitorId: string;
  readonly query: string;

  constructor(scope: Construct, id: string, props: ConsumerLagMonitorProps = {}) {
    super(scope, id);
    const metricName = props.metricName ?? pipelineMetricName(DEFAULT_PREFIX, FORWARDER_HEALTH_METRICS.consumerLagSeconds);
    const critical = props.critical ?? CONSUMER_LAG_MONITOR_DEFAULTS.critical;
    const window = props.window ?? CONSUMER_LAG_MONITOR_DEFAULTS.window;
    const name = props.name ?? CONSUMER_LAG_MONITOR_DEFAULTS.name;
    addProblems(this, [
      ...metricNameProblems(['metricName'], metricName),
      ...positiveProblems(['critical'], critical, 'seconds'),
      ...(props.warning !== undefined ? positiveProblems(['warning'], props.warning, 'seconds') : []),
      ...thresholdProblems([], { critical, warning: props.warning, comparator: '>' }),
      ...windowProblems(['window'], window),
      ...commonProblems({ ...props, name }),
    ]);
    const series = groupedSeriesQuery(metricName, props.scope ?? DEFAULT_SCOPE, 'max', props.groupBy);
    this.query = `max(${window}):${series} > ${formatThreshold(critical)}`;
    this.monitor = monitorResource(this, {
      ...props,
      name,
      message: props.message ?? `The forwarder is more than ${critical} s behind the newest Insights message (${metricName}).`,
      query: this.query,
      critical,
      onMissingData: 'resolve',
    });
    this.monitorId = this.monitor.id;
  }
}
