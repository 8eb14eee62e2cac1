import { Construct } from 'constructs';
import { Monitor } from '@cdktf/provider-datadog/lib/monitor';
import { DEFAULT_PREFIX, EXECUTIONS_METRIC, pipelineMetricName } from '@algorithmia-datadog/metric-declaration';
import { countSeriesQuery, DEFAULT_SCOPE } from '../metric-query';
import { addProblems } from '../problems';
import { metricNameProblems } from '../validation';
import { countMinutesProblems } from './count-window';
import { commonProblems, MissingDataMonitorProps, monitorResource } from './monitor-resource';

/** The defaults of the props that have one (the config schema states them too). */
export const SILENT_MODEL_MONITOR_DEFAULTS = {
  minutes: 30,
  groupBy: ['algorithm_name'],
  name: '[Algorithmia] Model silent',
} as const;

export interface SilentModelMonitorProps extends MissingDataMonitorProps {
  /**
   * Full name of the execution count.
   * @default 'algorithmia.executions'
   */
  readonly metricName?: string;
  /**
   * Minutes without a single execution before a group alerts; at least 2 (12 count intervals).
   * @default 30
   */
  readonly minutes?: number;
  /**
   * One alert per group of these tag keys.
   * @default ['algorithm_name']
   */
  readonly groupBy?: readonly string[];
  /** @default '[Algorithmia] Model silent' */
  readonly name?: string;
  /** @default a sentence naming the silence length */
  readonly message?: string;
}

/**
 * "No executions of a model for N minutes":
 * `sum(last_30m):sum:algorithmia.executions{env:prod} by {algorithm_name}.as_count() < 1`, with
 * `on_missing_data: default`, which evaluates a group with no points as 0, so that silence (which
 * sends nothing) alerts rather than showing no data. Only models seen before can be silent: a
 * group Datadog has never received does not exist for the monitor.
 */
export class SilentModelMonitor extends Construct {
  readonly monitor: Monitor;
  readonly monitorId: string;
  readonly query: string;

  constructor(scope: Construct, id: string, props: SilentModelMonitorProps = {}) {
    super(scope, id);
    const metricName = props.metricName ?? pipelineMetricName(DEFAULT_PREFIX, EXECUTIONS_METRIC);
    const minutes = props.minutes ?? SILENT_MODEL_MONITOR_DEFAULTS.minutes;
    const groupBy = props.groupBy ?? SILENT_MODEL_MONITOR_DEFAULTS.groupBy;
    const name = props.name ?? SILENT_MODEL_MONITOR_DEFAULTS.name;
    addProblems(this, [
      ...metricNameProblems(['metricName'], metricName),
      ...countMinutesProblems(['minutes'], minutes),
      ...commonProblems({ ...props, name }),
    ]);
    const series = countSeriesQuery(metricName, props.scope ?? DEFAULT_SCOPE, groupBy);
    this.query = `sum(last_${minutes}m):${series} < 1`;
    this.monitor = monitorResource(this, {
      ...props,
      groupBy,
      name,
      message: props.message ?? `No executions reached Datadog for ${minutes} minutes (${metricName}).`,
      query: this.query,
      critical: 1,
      onMissingData: 'default',
    });
    this.monitorId = this.monitor.id;
  }
}
