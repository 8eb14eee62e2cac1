import { Construct } from 'constructs';
import { DEFAULT_PREFIX, OPERATIONAL_METRIC } from '@algorithmia-datadog/metric-declaration';
import { MetricMonitor, MetricThresholdProps, MonitorNotificationOptions } from './metric-monitor';

export const DURATION_METRIC_NAME = `${DEFAULT_PREFIX}.${OPERATIONAL_METRIC.key}`;
export const DURATION_MONITOR_NAME = '[Algorithmia] Excessive Algorithm Runtime';

/**
 * The integration monitor's message, with the duration in its first sentence taken from the
 * critical threshold so that the text never promises a limit the query does not check.
 */
export function durationMonitorMessage(criticalMilliseconds: number): string {
  return (
    `Some algorithms queries are running for more than ${describeMilliseconds(criticalMilliseconds)}.\n\n` +
    'This can result in delays in real-time API responses from your algorithms and a backlogged queue.\n\n' +
    'Review the documentation at https://algorithmia.com/developers/algorithm-development/advanced-algorithm-development/dealing-with-bottlenecks ' +
    "for more guidance on optimizing your algorithm's runtime."
  );
}

function describeMilliseconds(value: number): string {
  if (Math.abs(value) < 1000) return `${value} ${value === 1 ? 'millisecond' : 'milliseconds'}`;
  const seconds = value / 1000;
  return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
}

export interface DurationMonitorProps extends Partial<MetricThresholdProps>, MonitorNotificationOptions {
  /**
   * Critical threshold in milliseconds.
   * @default 10000
   */
  readonly critical?: number;
  /**
   * Warning threshold in milliseconds; must be below `critical`.
   * @default 5000
   */
  readonly warning?: number;
  /**
   * Full name of the duration metric; change it only with a non-default metric prefix.
   * @default 'algorithmia.duration_milliseconds'
   */
  readonly metricName?: string;
  /** @default '[Algorithmia] Excessive Algorithm Runtime' */
  readonly name?: string;
  /**
   * @default the integration's message, stating the critical threshold in seconds
   */
  readonly message?: string;
}

/**
 * The integration's "Excessive Algorithm Runtime" monitor: with no props it is
 * `avg(last_5m):avg:algorithmia.duration_milliseconds{*} > 10000`, warning at 5000, with the
 * integration's message, tag and options.
 */
export class DurationMonitor extends MetricMonitor {
  constructor(scope: Construct, id: string, props: DurationMonitorProps = {}) {
    const critical = props.critical ?? 10000;
    super(scope, id, {
      ...props,
      metricName: props.metricName ?? DURATION_METRIC_NAME,
      name: props.name ?? DURATION_MONITOR_NAME,
      message: props.message ?? durationMonitorMessage(critical),
      critical,
      warning: props.warning ?? 5000,
    });
  }
}
