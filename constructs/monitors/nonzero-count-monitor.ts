import { Construct } from 'constructs';
import { Monitor } from '@cdktf/provider-datadog/lib/monitor';
import { countSeriesQuery, DEFAULT_SCOPE } from '../metric-query';
import { addProblems } from '../problems';
import { metricNameProblems } from '../validation';
import { countWindowProblems } from './count-window';
import { commonProblems, MissingDataMonitorProps, monitorResource } from './monitor-resource';

/** The defaults of the props that have one (the config schema states them too). */
export const NONZERO_COUNT_MONITOR_DEFAULTS = { window: 'last_15m' } as const;

export interface NonzeroCountMonitorProps extends MissingDataMonitorProps {
  /** Full name of a count that should stay 0, e.g. `algorithmia.forwarder.messages.dead_lettered`. */
  readonly metricName: string;
  /** Monitor name as shown in Datadog. */
  readonly name: string;
  /** Notification body; the handles are appended after a blank line. */
  readonly message: string;
  /**
   * Window the count is summed over; at least 2 minutes.
   * @default 'last_15m'
   */
  readonly window?: string;
}

/**
 * A count that should stay 0 (records dead-lettered, points Datadog refused):
 * `sum(last_15m):sum:algorithmia.forwarder.messages.dead_lettered{env:prod}.as_count() > 0`.
 * `on_missing_data: default` evaluates a window without points (nothing counted, or no forwarder
 * running, which the forwarder-silent monitor reports) as 0: OK, never "no data".
 */
export class NonzeroCountMonitor extends Construct {
  readonly monitor: Monitor;
  readonly monitorId: string;
  readonly query: string;

  constructor(scope: Construct, id: string, props: NonzeroCountMonitorProps) {
    super(scope, id);
    const window = props.window ?? NONZERO_COUNT_MONITOR_DEFAULTS.window;
    addProblems(this, [
      ...metricNameProblems(['metricName'], props.metricName),
      ...countWindowProblems(['window'], window),
      ...commonProblems(props),
    ]);
    this.query = `sum(${window}):${countSeriesQuery(props.metricName, props.scope ?? DEFAULT_SCOPE, props.groupBy)} > 0`;
    this.monitor = monitorResource(this, { ...props, query: this.query, critical: 0, onMissingData: 'default' });
    this.monitorId = this.monitor.id;
  }
}
