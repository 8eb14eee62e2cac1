import { Construct } from 'constructs';
import { Monitor } from '@cdktf/provider-datadog/lib/monitor';
import { DEFAULT_PREFIX, FORWARDER_HEALTH_METRICS, pipelineMetricName } from '@algorithmia-datadog/metric-declaration';
import { countSeriesQuery, DEFAULT_SCOPE } from '../metric-query';
import { addProblems } from '../problems';
import { metricNameProblems } from '../validation';
import { countMinutesProblems } from './count-window';
import { commonProblems, MissingDataMonitorProps, monitorResource } from './monitor-resource';

/** The defaults of the props that have one (the config schema states them too). */
export const FORWARDER_SILENT_MONITOR_DEFAULTS = { minutes: 5, name: '[Algorithmia] Forwarder silent' } as const;

export interface ForwarderSilentMonitorProps extends Omit<MissingDataMonitorProps, 'groupBy'> {
  /** @default 'algorithmia.forwarder.heartbeat' */
  readonly metricName?: string;
  /**
   * Minutes without a heartbeat from any forwarder process of the scope; at least 2.
   * @default 5
   */
  readonly minutes?: number;
  /** @default '[Algorithmia] Forwarder silent' */
  readonly name?: string;
  /** @default a sentence naming the silence length */
  readonly message?: string;
}

/**
 * No forwarder running in the environment: `sum(last_5m):sum:algorithmia.forwarder.heartbeat{env:prod}.as_count() < 1`.
 * One alert for the scope (not per process: a replaced pod is not an outage); `on_missing_data:
 * default` makes a scope with no heartbeat at all evaluate as 0 and alert.
 */
export class ForwarderSilentMonitor extends Construct {
  readonly monitor: Monitor;
  readonly monitorId: string;
  readonly query: string;

  constructor(scope: Construct, id: string, props: ForwarderSilentMonitorProps = {}) {
    super(scope, id);
    const metricName = props.metricName ?? pipelineMetricName(DEFAULT_PREFIX, FORWARDER_HEALTH_METRICS.heartbeat);
    const minutes = props.minutes ?? FORWARDER_SILENT_MONITOR_DEFAULTS.minutes;
    const name = props.name ?? FORWARDER_SILENT_MONITOR_DEFAULTS.name;
    const filter = props.scope ?? DEFAULT_SCOPE;
    addProblems(this, [
      ...metricNameProblems(['metricName'], metricName),
      ...countMinutesProblems(['minutes'], minutes),
      ...commonProblems({ ...props, name }),
    ]);
    this.query = `sum(last_${minutes}m):${countSeriesQuery(metricName, filter)} < 1`;
    this.monitor = monitorResource(this, {
      ...props,
      name,
      message:
        props.message ??
        `No forwarder process has sent a heartbeat for ${minutes} minutes (${metricName}{${filter}}): Insights messages are not reaching Datadog.`,
      query: this.query,
      critical: 1,
      onMissingData: 'default',
    });
    this.monitorId = this.monitor.id;
  }
}
