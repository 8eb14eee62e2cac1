import { Construct } from 'constructs';
import { Monitor } from '@cdktf/provider-datadog/lib/monitor';
import { formatThreshold, monitorQuery, DEFAULT_SCOPE, SpaceAggregation, TimeAggregation } from './metric-query';
import {
  addProblems,
  Comparator,
  duplicateProblems,
  metricNameProblems,
  notificationHandleProblems,
  scopeProblems,
  tagProblems,
  thresholdProblems,
  windowProblems,
} from './validation';

/** The tag every monitor of the Algorithmia integration carries. */
export const INTEGRATION_TAG = 'integration:algorithmia';

const AGGREGATIONS: readonly string[] = ['avg', 'sum', 'min', 'max'];

/**
 * What to alert on and when. Shared by every threshold monitor of this library; the defaults of
 * the options reproduce the integration's "Excessive Algorithm Runtime" monitor.
 */
export interface MetricThresholdProps {
  /** Fires when the aggregated value crosses this (`> critical` by default). */
  readonly critical: number;
  /**
   * Warns before the critical alert; must be less severe than `critical`.
   * @default no warning
   */
  readonly warning?: number;
  /**
   * `>`/`>=` alert on high values, `<`/`<=` on low ones.
   * @default '>'
   */
  readonly comparator?: Comparator;
  /**
   * Evaluation window, `last_<n><m|h|d|w>`.
   * @default 'last_5m'
   */
  readonly window?: string;
  /**
   * How the window is reduced to one value.
   * @default 'avg'
   */
  readonly timeAggregation?: TimeAggregation;
  /**
   * How sources (hosts, algorithms) are combined.
   * @default 'avg'
   */
  readonly spaceAggregation?: SpaceAggregation;
  /**
   * The series to watch: what goes between the braces of the query, e.g. `env:prod`.
   * @default '*'
   */
  readonly scope?: string;
  /**
   * Who is notified, appended to the message: `@slack-<channel>`, `@pagerduty-<service>`, `@<email>`.
   * @default none
   */
  readonly notificationHandles?: readonly string[];
  /**
   * Monitor tags.
   * @default ['integration:algorithmia']
   */
  readonly tags?: readonly string[];
}

/** Notification options; defaults are the integration monitor's options. */
export interface MonitorNotificationOptions {
  /** @default false */
  readonly notifyNoData?: boolean;
  /** @default false */
  readonly requireFullWindow?: boolean;
  /** Puts the triggering tags in the notification title. @default true */
  readonly includeTags?: boolean;
  /** Minutes before re-notifying an unresolved alert; 0 never re-notifies. @default 0 */
  readonly renotifyInterval?: number;
  /** Seconds before a new group (host, algorithm) is evaluated. @default 300 */
  readonly newGroupDelay?: number;
  /** Notify the handles when the monitor is edited. @default false */
  readonly notifyAudit?: boolean;
  /** Hours without data before an alert resolves itself; 0 never. @default 0 */
  readonly timeoutH?: number;
}

export interface MetricMonitorProps extends MetricThresholdProps, MonitorNotificationOptions {
  /** Full Datadog metric name, e.g. `algorithmia.risk_score`. */
  readonly metricName: string;
  /** Monitor name as shown in Datadog. */
  readonly name: string;
  /** Notification body; the handles are appended after a blank line. */
  readonly message: string;
}

/**
 * A Datadog "query alert" on one metric. The query is derived from the thresholds, window and
 * scope, so the query's threshold and `critical` cannot disagree (Datadog would reject that).
 */
export class MetricMonitor extends Construct {
  readonly monitor: Monitor;
  /** The monitor's id, for alert widgets. A Terraform reference, resolved at apply time. */
  readonly monitorId: string;
  readonly query: string;

  constructor(scope: Construct, id: string, props: MetricMonitorProps) {
    super(scope, id);
    const comparator = props.comparator ?? '>';
    const window = props.window ?? 'last_5m';
    const timeAggregation = props.timeAggregation ?? 'avg';
    const spaceAggregation = props.spaceAggregation ?? 'avg';
    const filter = props.scope ?? DEFAULT_SCOPE;
    const handles = props.notificationHandles ?? [];
    const tags = props.tags ?? [INTEGRATION_TAG];

    addProblems(this, [
      ...metricNameProblems('metricName', props.metricName),
      ...(props.name.trim() === '' ? ['name is empty: give the monitor a name to show in Datadog.'] : []),
      ...thresholdProblems('', { critical: props.critical, warning: props.warning, comparator }),
      ...windowProblems('window', window),
      ...(AGGREGATIONS.includes(timeAggregation) ? [] : [`timeAggregation "${timeAggregation}" is not supported: use one of ${AGGREGATIONS.join(', ')}.`]),
      ...(AGGREGATIONS.includes(spaceAggregation) ? [] : [`spaceAggregation "${spaceAggregation}" is not supported: use one of ${AGGREGATIONS.join(', ')}.`]),
      ...scopeProblems('scope', filter),
      ...notificationHandleProblems('notificationHandles', handles),
      ...tagProblems('tags', tags),
      ...duplicateProblems('tags', tags, 'tag'),
    ]);

    this.query = monitorQuery({
      metricName: props.metricName,
      scope: filter,
      spaceAggregation,
      timeAggregation,
      window,
      comparator,
      critical: props.critical,
    });
    this.monitor = new Monitor(this, 'Default', {
      name: props.name,
      type: 'query alert',
      query: this.query,
      message: messageWithHandles(props.message, handles),
      monitorThresholds: {
        critical: formatThreshold(props.critical),
        ...(props.warning !== undefined ? { warning: formatThreshold(props.warning) } : {}),
      },
      notifyNoData: props.notifyNoData ?? false,
      requireFullWindow: props.requireFullWindow ?? false,
      includeTags: props.includeTags ?? true,
      renotifyInterval: props.renotifyInterval ?? 0,
      newGroupDelay: props.newGroupDelay ?? 300,
      notifyAudit: props.notifyAudit ?? false,
      timeoutH: props.timeoutH ?? 0,
      tags: [...tags],
    });
    this.monitorId = this.monitor.id;
  }
}

function messageWithHandles(message: string, handles: readonly string[]): string {
  return handles.length === 0 ? message : `${message}\n\n${handles.join(' ')}`;
}
