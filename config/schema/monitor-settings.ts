/**
 * The settings every monitor of config/environments.json shares, defined once: scope, handles,
 * tags, group-by keys, notification options, name and message, and the threshold settings with
 * the wording each kind gives them.
 */
import { Type, type TProperties } from '@sinclair/typebox';
import { DEFAULT_SCOPE } from '../../constructs/metric-query';
import { NOTIFICATION_DEFAULTS } from '../../constructs/monitors/monitor-resource';
import { AGGREGATIONS } from '../../constructs/monitors/metric-monitor';
import { COMPARATORS, type Comparator } from '../../constructs/validation';
import { Comment, Enum } from './builders';

const WINDOW_PATTERN = '^last_[1-9][0-9]*[mhdw]$';

/** A Datadog evaluation window such as `last_5m`. */
export function windowSetting(description: string, defaultWindow?: string) {
  return Type.String({
    pattern: WINDOW_PATTERN,
    errorMessage: 'use last_<number><m|h|d|w>, for example "last_5m".',
    description,
    ...(defaultWindow !== undefined ? { default: defaultWindow } : {}),
  });
}

/** What goes between the braces of a query. */
export function scopeSetting(description: string, extra: { default?: string } = {}) {
  return Type.String({
    pattern: '^[^{}]*\\S[^{}]*$',
    errorMessage: 'give what goes between the braces of a query: "*" for every source, or a tag filter such as "env:prod" (no braces).',
    description,
    examples: ['env:prod'],
    ...extra,
  });
}

export const ENVIRONMENT_SCOPE = scopeSetting('Query scope of the dashboard and of monitors that set none, e.g. env:prod.', {
  default: DEFAULT_SCOPE,
});

export function handlesSetting(description: string) {
  return Type.Array(
    Type.String({
      pattern: '^@\\S+$',
      errorMessage:
        'a notification handle starts with "@" and has no spaces, e.g. "@slack-ml-alerts", "@pagerduty-ml" or "@ops@example.com".',
    }),
    { description, examples: [['@slack-ml-alerts']] },
  );
}

export function tagsSetting(description: string) {
  return Type.Array(Type.String(), { description, examples: [['env:prod', 'team:ml-platform']] });
}

export function groupBySetting(description: string, extra: { minItems?: number } = {}) {
  return Type.Array(
    Type.String({
      pattern: '^[a-z][a-z0-9_./-]*$',
      errorMessage: 'give a tag key (not a tag), e.g. "algorithm_name" or "algorithm_version".',
    }),
    { uniqueItems: true, description, examples: [['algorithm_name'], ['algorithm_name', 'algorithm_version']], ...extra },
  );
}

export const GROUP_BY = groupBySetting(
  'Tag keys to alert on separately: a multi-alert monitor (... by {algorithm_name}), one alert per algorithm, whose message names the group. Default: one alert over all series.',
);

/** Scope, handles and tags of a monitor, which default to the environment's. */
const SHARED_WITH_ENVIRONMENT = {
  scope: Type.Optional(scopeSetting("The series to watch; defaults to the environment's scope.")),
  notificationHandles: Type.Optional(handlesSetting("Defaults to the environment's notificationHandles.")),
  tags: Type.Optional(tagsSetting("Added to the environment's tags on this monitor.")),
};

/** Notification options, name and message: the same for every kind. */
const NOTIFICATION_OPTIONS = {
  notifyNoData: Type.Optional(Type.Boolean({ default: NOTIFICATION_DEFAULTS.notifyNoData })),
  requireFullWindow: Type.Optional(Type.Boolean({ default: NOTIFICATION_DEFAULTS.requireFullWindow })),
  includeTags: Type.Optional(
    Type.Boolean({ default: NOTIFICATION_DEFAULTS.includeTags, description: 'Puts the triggering tags in the notification title.' }),
  ),
  renotifyInterval: Type.Optional(
    Type.Number({
      minimum: 0,
      default: NOTIFICATION_DEFAULTS.renotifyInterval,
      description: 'Minutes before re-notifying an unresolved alert; 0 never re-notifies.',
    }),
  ),
  newGroupDelay: Type.Optional(
    Type.Number({
      minimum: 0,
      default: NOTIFICATION_DEFAULTS.newGroupDelay,
      description: 'Seconds before a new group (host, algorithm) is evaluated.',
    }),
  ),
  notifyAudit: Type.Optional(
    Type.Boolean({ default: NOTIFICATION_DEFAULTS.notifyAudit, description: 'Notify the handles when the monitor is edited.' }),
  ),
  timeoutH: Type.Optional(
    Type.Number({
      minimum: 0,
      default: NOTIFICATION_DEFAULTS.timeoutH,
      description: 'Hours without data before an alert resolves itself; 0 never.',
    }),
  ),
  name: Type.Optional(Type.String({ minLength: 1, description: 'Monitor name as shown in Datadog.' })),
  message: Type.Optional(Type.String({ minLength: 1, description: 'Notification body; the handles are appended after a blank line.' })),
};

/** A threshold on the aggregated value. */
export function criticalSetting(example: number) {
  return Type.Number({ description: 'Fires when the aggregated value crosses this (> critical by default).', examples: [example] });
}

export const WARNING = Type.Number({ description: 'Warns before the critical alert; must be on the non-alerting side of critical.' });
export const COMPARATOR = Enum<Comparator>(COMPARATORS, {
  description: '> or >= alert on high values, < or <= on low ones.',
  default: '>',
});
export const TIME_AGGREGATION = Enum(AGGREGATIONS, { description: 'How the window is reduced to one value.', default: 'avg' });
export const SPACE_AGGREGATION = Enum(AGGREGATIONS, { description: 'How sources (hosts, algorithms) are combined.', default: 'avg' });

/**
 * A monitor's settings object, its settings in the order editors list them (and problems name the
 * known ones): the integration's threshold monitors put their own first and `groupBy` last; the
 * model-monitoring kinds put theirs first, then `groupBy` with the shared settings. Settings not
 * wrapped in `Type.Optional` are required.
 */
export function monitorSettings<P extends TProperties>(
  own: P,
  options: { description: string; layout: 'threshold' | 'model'; groupBy?: typeof GROUP_BY },
) {
  const groupBy = Type.Optional(options.groupBy ?? GROUP_BY);
  const { scope, notificationHandles, tags } = SHARED_WITH_ENVIRONMENT;
  const properties =
    options.layout === 'threshold'
      ? { $comment: Comment, ...own, scope, notificationHandles, tags, ...NOTIFICATION_OPTIONS, groupBy }
      : { ...own, $comment: Comment, scope, groupBy, notificationHandles, tags, ...NOTIFICATION_OPTIONS };
  return Type.Object(properties, { additionalProperties: false, description: options.description });
}

/**
 * The settings of a monitor that sets `on_missing_data` itself (the traffic and pipeline monitors):
 * its own first, then the shared ones without `notifyNoData` (Datadog refuses both together), and
 * `groupBy` unless the monitor watches the scope as one.
 */
export function missingDataMonitorSettings<P extends TProperties>(
  own: P,
  options: { description: string; groupBy?: typeof GROUP_BY | false },
) {
  const { notifyNoData: _notifyNoData, ...notification } = NOTIFICATION_OPTIONS;
  const { scope, notificationHandles, tags } = SHARED_WITH_ENVIRONMENT;
  const groupBy = options.groupBy === false ? {} : { groupBy: Type.Optional(options.groupBy ?? GROUP_BY) };
  return Type.Object(
    { ...own, $comment: Comment, scope, ...groupBy, notificationHandles, tags, ...notification },
    { additionalProperties: false, description: options.description },
  );
}
