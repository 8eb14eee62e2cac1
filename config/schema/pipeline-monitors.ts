/**
 * `trafficMonitors` and `pipelineMonitors` in config/environments.json: the monitors on the metrics
 * the forwarder makes itself, one settings object each. Defaults and bounds are the constructs'.
 */
import { Type } from '@sinclair/typebox';
import { CONSUMER_LAG_MONITOR_DEFAULTS } from '../../constructs/monitors/consumer-lag-monitor';
import { MIN_COUNT_WINDOW_MINUTES } from '../../constructs/monitors/count-window';
import { FORWARDER_SILENT_MONITOR_DEFAULTS } from '../../constructs/monitors/forwarder-silent-monitor';
import { NONZERO_COUNT_MONITOR_DEFAULTS } from '../../constructs/monitors/nonzero-count-monitor';
import { SILENT_MODEL_MONITOR_DEFAULTS } from '../../constructs/monitors/silent-model-monitor';
import { TRAFFIC_BASELINES, TRAFFIC_DROP_MONITOR_DEFAULTS } from '../../constructs/monitors/traffic-drop-monitor';
import { Comment, Enum } from './builders';
import { groupBySetting, missingDataMonitorSettings, windowSetting } from './monitor-settings';

const REFERENCE = 'Reference: docs/traffic-and-pipeline.md.';

function minutesSetting(description: string, defaultMinutes: number) {
  return Type.Integer({
    minimum: MIN_COUNT_WINDOW_MINUTES,
    default: defaultMinutes,
    errorMessage: `give whole minutes, at least ${MIN_COUNT_WINDOW_MINUTES} (the forwarder sends counts every 10 s).`,
    description,
  });
}

const percentSetting = (description: string, extra: { default?: number } = {}) =>
  Type.Number({ exclusiveMinimum: 0, maximum: 100, errorMessage: 'give a percentage above 0 and at most 100.', description, ...extra });

const algorithmGroups = (defaultGroups: readonly string[]) =>
  groupBySetting(`One alert per group of these tag keys; default ${JSON.stringify(defaultGroups)}.`);

const SILENT_MODEL = missingDataMonitorSettings(
  { minutes: Type.Optional(minutesSetting('Minutes without one execution before a model alerts.', SILENT_MODEL_MONITOR_DEFAULTS.minutes)) },
  {
    description: `No executions of a model for N minutes: sum(last_Nm) of <prefix>.executions by algorithm_name < 1. ${REFERENCE}`,
    groupBy: algorithmGroups(SILENT_MODEL_MONITOR_DEFAULTS.groupBy),
  },
);

const TRAFFIC_DROP = missingDataMonitorSettings(
  {
    window: Type.Optional(windowSetting('The recent window whose executions are counted.', TRAFFIC_DROP_MONITOR_DEFAULTS.window)),
    baseline: Type.Optional(
      Enum(TRAFFIC_BASELINES, {
        default: TRAFFIC_DROP_MONITOR_DEFAULTS.baseline,
        description: 'Compared with the same window a day (last_1d) or a week (last_1w) before.',
      }),
    ),
    dropPercent: Type.Optional(
      percentSetting('Alerts when executions fell by more than this percentage.', { default: TRAFFIC_DROP_MONITOR_DEFAULTS.dropPercent }),
    ),
    warningPercent: Type.Optional(percentSetting('Warns at a smaller drop, below dropPercent.')),
  },
  {
    description: `Executions down by a percentage against the same window a day or a week before (pct_change). ${REFERENCE}`,
    groupBy: algorithmGroups(TRAFFIC_DROP_MONITOR_DEFAULTS.groupBy),
  },
);

const FORWARDER_SILENT = missingDataMonitorSettings(
  {
    minutes: Type.Optional(
      minutesSetting('Minutes without a heartbeat from any forwarder process of the scope.', FORWARDER_SILENT_MONITOR_DEFAULTS.minutes),
    ),
  },
  { description: `No forwarder heartbeat in the environment for N minutes. ${REFERENCE}`, groupBy: false },
);

const seconds = (description: string, extra: { default?: number } = {}) =>
  Type.Number({ exclusiveMinimum: 0, errorMessage: 'give a number of seconds above 0.', description, ...extra });

const LAG = missingDataMonitorSettings(
  {
    critical: Type.Optional(
      seconds('Seconds behind the newest record before it alerts.', { default: CONSUMER_LAG_MONITOR_DEFAULTS.critical }),
    ),
    warning: Type.Optional(seconds('Seconds for a warning, below critical.')),
    window: Type.Optional(windowSetting('Evaluation window (max over it).', CONSUMER_LAG_MONITOR_DEFAULTS.window)),
  },
  { description: `The forwarder behind Kafka: max of <prefix>.forwarder.consumer_lag_seconds > critical. ${REFERENCE}` },
);

const nonzeroCount = (what: string) =>
  missingDataMonitorSettings(
    { window: Type.Optional(windowSetting('Window the count is summed over.', NONZERO_COUNT_MONITOR_DEFAULTS.window)) },
    { description: `Alerts on any ${what} in the window (sum > 0). ${REFERENCE}` },
  );

export const TRAFFIC_MONITORS = Type.Object(
  { $comment: Comment, silentModel: Type.Optional(SILENT_MODEL), trafficDrop: Type.Optional(TRAFFIC_DROP) },
  { additionalProperties: false, description: `Monitors on the execution count the forwarder sends per model. ${REFERENCE}` },
);

export const PIPELINE_MONITORS = Type.Object(
  {
    $comment: Comment,
    forwarderSilent: Type.Optional(FORWARDER_SILENT),
    lag: Type.Optional(LAG),
    deadLettered: Type.Optional(nonzeroCount('record written to the dead-letter topic')),
    rejectedPoints: Type.Optional(nonzeroCount('point Datadog refused for good')),
  },
  { additionalProperties: false, description: `Monitors on the forwarder's own health metrics. ${REFERENCE}` },
);
