import { Construct } from 'constructs';
import { Monitor, MonitorMonitorThresholdWindows } from '@cdktf/provider-datadog/lib/monitor';
import { formatThreshold } from '../metric-query';
import { problemAt, type PropPath, type PropProblem } from '../problems';
import { duplicateProblems, notificationHandleProblems, scopeProblems, tagProblems } from '../validation';

/** The tag every monitor of the Algorithmia integration carries. */
export const INTEGRATION_TAG = 'integration:algorithmia';

/** Notification options; defaults are the integration monitor's options. */
export interface MonitorNotificationOptions {
  /**
   * Alert when the query has no data. On a grouped (multi-alert) monitor this is per group: an
   * algorithm that is simply not called would alert, hence off.
   * @default false
   */
  readonly notifyNoData?: boolean;
  /** @default false */
  readonly requireFullWindow?: boolean;
  /** Puts the triggering tags in the notification title. @default true */
  readonly includeTags?: boolean;
  /** Minutes before re-notifying an unresolved alert; 0 never re-notifies. @default 0 */
  readonly renotifyInterval?: number;
  /**
   * Seconds before a new group (an algorithm or version seen for the first time) is evaluated,
   * so that a deployment's first slow calls do not page.
   * @default 300
   */
  readonly newGroupDelay?: number;
  /** Notify the handles when the monitor is edited. @default false */
  readonly notifyAudit?: boolean;
  /** Hours without data before an alert resolves itself; 0 never. @default 0 */
  readonly timeoutH?: number;
}

/** The integration monitor's notification options: every monitor's defaults. */
export const NOTIFICATION_DEFAULTS: Required<MonitorNotificationOptions> = {
  notifyNoData: false,
  requireFullWindow: false,
  includeTags: true,
  renotifyInterval: 0,
  newGroupDelay: 300,
  notifyAudit: false,
  timeoutH: 0,
};

/** What every monitor kind of this library accepts besides its query settings. */
export interface MonitorCommonProps extends MonitorNotificationOptions {
  /**
   * The series to watch: what goes between the braces of the query, e.g. `env:prod`.
   * @default '*'
   */
  readonly scope?: string;
  /**
   * Tag keys to alert on separately, e.g. `['algorithm_name']` or
   * `['algorithm_name', 'algorithm_version']`: a multi-alert monitor (`... by {algorithm_name}`)
   * with one alert per algorithm, whose message names the group (`{{algorithm_name.name}}`).
   * @default none: one alert over all series
   */
  readonly groupBy?: readonly string[];
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

const TAG_KEY = /^[a-z][a-z0-9_.\-/]*$/;

/** Problems with `groupBy`: tag keys (not tags), each once. */
export function groupByProblems(at: PropPath, groupBy: readonly string[]): PropProblem[] {
  const problems: PropProblem[] = [];
  groupBy.forEach((key, index) => {
    if (key.includes(':')) {
      problems.push(problemAt([...at, index], `"${key}" is a tag, not a tag key: give only the key, e.g. "${key.split(':')[0]}".`));
    } else if (!TAG_KEY.test(key)) {
      problems.push(
        problemAt(
          [...at, index],
          `"${key}" is not a tag key: use lower-case letters, digits, "_", "-", ".", "/", starting with a letter, e.g. "algorithm_name".`,
        ),
      );
    }
  });
  return problems.concat(duplicateProblems(at, groupBy, 'tag key'));
}

/** Problems with the props every kind shares. */
export function commonProblems(props: MonitorCommonProps & { readonly name: string }): PropProblem[] {
  const tags = props.tags ?? [INTEGRATION_TAG];
  const handles = props.notificationHandles ?? [];
  return [
    ...(props.name.trim() === '' ? [problemAt(['name'], 'is empty: give the monitor a name to show in Datadog.')] : []),
    ...scopeProblems(['scope'], props.scope ?? '*'),
    ...groupByProblems(['groupBy'], props.groupBy ?? []),
    ...notificationHandleProblems(['notificationHandles'], handles),
    ...tagProblems(['tags'], tags),
    ...duplicateProblems(['tags'], tags, 'tag'),
  ];
}

/**
 * The message as sent: on a grouped monitor, a first line naming the group unless the message
 * already names every group tag; then the handles after a blank line.
 */
export function monitorMessage(message: string, groupBy: readonly string[], handles: readonly string[]): string {
  const unnamed = groupBy.filter((key) => !message.includes(`{{${key}.name}}`));
  const named = unnamed.length === 0 ? message : `${unnamed.map((key) => `${key}:{{${key}.name}}`).join(' ')}\n\n${message}`;
  return handles.length === 0 ? named : `${named}\n\n${handles.join(' ')}`;
}

/**
 * Provider 3.82's `on_missing_data`: what an evaluation with no points means. `default` evaluates
 * an empty sum or count as 0 (so a silence can alert on `< 1`) and shows the last status for other
 * aggregations; `resolve` shows OK. Datadog refuses it together with `notify_no_data` and
 * `no_data_timeframe`, so a monitor that sets it sets neither (the provider still sends
 * `notify_no_data: false`, and no timeframe: __tests__/contract holds the API body to that).
 */
export type OnMissingData = 'default' | 'show_no_data' | 'show_and_notify_no_data' | 'resolve';

/** The props of the kinds that set `on_missing_data` themselves: everything but `notifyNoData`. */
export type MissingDataMonitorProps = Omit<MonitorCommonProps, 'notifyNoData'>;

export interface MonitorResourceProps extends MonitorCommonProps {
  readonly name: string;
  readonly message: string;
  readonly query: string;
  readonly critical: number;
  readonly warning?: number;
  /** Anomaly monitors only. */
  readonly thresholdWindows?: MonitorMonitorThresholdWindows;
  /** Replaces `notifyNoData` (never sent with it). @default not sent: `notifyNoData` applies */
  readonly onMissingData?: OnMissingData;
}

/** The `datadog_monitor` every kind ends in, with the shared options and their defaults. */
export function monitorResource(scope: Construct, props: MonitorResourceProps): Monitor {
  return new Monitor(scope, 'Default', {
    name: props.name,
    type: 'query alert',
    query: props.query,
    message: monitorMessage(props.message, props.groupBy ?? [], props.notificationHandles ?? []),
    monitorThresholds: {
      critical: formatThreshold(props.critical),
      ...(props.warning !== undefined ? { warning: formatThreshold(props.warning) } : {}),
    },
    ...(props.thresholdWindows ? { monitorThresholdWindows: props.thresholdWindows } : {}),
    ...(props.onMissingData !== undefined
      ? { onMissingData: props.onMissingData }
      : { notifyNoData: props.notifyNoData ?? NOTIFICATION_DEFAULTS.notifyNoData }),
    requireFullWindow: props.requireFullWindow ?? NOTIFICATION_DEFAULTS.requireFullWindow,
    includeTags: props.includeTags ?? NOTIFICATION_DEFAULTS.includeTags,
    renotifyInterval: props.renotifyInterval ?? NOTIFICATION_DEFAULTS.renotifyInterval,
    newGroupDelay: props.newGroupDelay ?? NOTIFICATION_DEFAULTS.newGroupDelay,
    notifyAudit: props.notifyAudit ?? NOTIFICATION_DEFAULTS.notifyAudit,
    timeoutH: props.timeoutH ?? NOTIFICATION_DEFAULTS.timeoutH,
    tags: [...(props.tags ?? [INTEGRATION_TAG])],
  });
}
