/**
 * The monitors on what the forwarder counts itself (pipeline-metrics.ts): the traffic of each
 * model (`trafficMonitors`) and the forwarder's own health (`pipelineMonitors`). Each is one
 * settings object, not keyed by metric; the integration makes each one it is given, with the
 * environment's scope, tags and handles, under a fixed construct id.
 */
import { Construct } from 'constructs';
import {
  EXECUTIONS_METRIC,
  FORWARDER_HEALTH_METRICS,
  pipelineMetricName,
  type PipelineMetric,
} from '@algorithmia-datadog/metric-declaration';
import { recordPropsOrigin } from '../problems';
import { ConsumerLagMonitor, CONSUMER_LAG_MONITOR_DEFAULTS, type ConsumerLagMonitorProps } from './consumer-lag-monitor';
import { ForwarderSilentMonitor, FORWARDER_SILENT_MONITOR_DEFAULTS, type ForwarderSilentMonitorProps } from './forwarder-silent-monitor';
import { monitorOrigin } from './model-monitors';
import { NonzeroCountMonitor, type NonzeroCountMonitorProps } from './nonzero-count-monitor';
import { SilentModelMonitor, SILENT_MODEL_MONITOR_DEFAULTS, type SilentModelMonitorProps } from './silent-model-monitor';
import { TrafficDropMonitor, TRAFFIC_DROP_MONITOR_DEFAULTS, type TrafficDropMonitorProps } from './traffic-drop-monitor';

/** Settings of a monitor whose metric the integration names from the prefix. */
type Settings<Props> = Omit<Props, 'metricName'>;

/** A count that must stay 0, with a default name and message. */
export type NonzeroCountSettings = Omit<NonzeroCountMonitorProps, 'metricName' | 'name' | 'message'> & {
  /** @default '[Algorithmia] <what was counted>' */
  readonly name?: string;
  /** @default a sentence naming the metric */
  readonly message?: string;
};

/** Monitors on the execution count of each model. @default none */
export interface TrafficMonitorsProps {
  /** No executions of a model for N minutes (`silent_model_monitor`). @default none */
  readonly silentModel?: Settings<SilentModelMonitorProps>;
  /** Executions down by a percentage against a day or a week before (`traffic_drop_monitor`). @default none */
  readonly trafficDrop?: Settings<TrafficDropMonitorProps>;
}

/** Monitors on the forwarder's health metrics. @default none */
export interface PipelineMonitorsProps {
  /** No heartbeat from any forwarder process for N minutes (`forwarder_silent_monitor`). @default none */
  readonly forwarderSilent?: Settings<ForwarderSilentMonitorProps>;
  /** The forwarder behind Kafka by more than a number of seconds (`consumer_lag_monitor`). @default none */
  readonly lag?: Settings<ConsumerLagMonitorProps>;
  /** Any record written to the dead-letter topic (`dead_lettered_monitor`). @default none */
  readonly deadLettered?: NonzeroCountSettings;
  /** Any point Datadog refused for good (`rejected_points_monitor`). @default none */
  readonly rejectedPoints?: NonzeroCountSettings;
}

/** What a pipeline monitor construct offers the outputs and the dashboard. */
export interface PipelineMonitor extends Construct {
  readonly monitorId: string;
  readonly query: string;
}

/** What the integration shares with each pipeline monitor. */
export interface PipelineMonitorContext {
  /** The metric prefix of the declaration (`algorithmia`). */
  readonly prefix: string;
  readonly scope?: string;
  /** Every monitor's tags: the integration's own tag, then the environment's. */
  readonly tags: readonly string[];
  /** The integration's `tags` prop as given. */
  readonly environmentTags: readonly string[];
  readonly notificationHandles: readonly string[];
  /** Adds the environment's label to a monitor name. */
  readonly label: (text: string) => string;
}

type Group = 'trafficMonitors' | 'pipelineMonitors';

/** One pipeline monitor: where it is set, its construct id, and how it is made. */
export interface PipelineMonitorEntry {
  readonly group: Group;
  readonly setting: string;
  /** Construct id, and the key in the `monitors` output. */
  readonly id: string;
  readonly metric: PipelineMetric;
  create(scope: Construct, id: string, metricName: string, settings: object, label: (text: string) => string): PipelineMonitor;
}

const nonzeroCount = (setting: string, id: string, metric: PipelineMetric, what: string): PipelineMonitorEntry => ({
  group: 'pipelineMonitors',
  setting,
  id,
  metric,
  create: (scope, constructId, metricName, settings, label) => {
    const own = settings as NonzeroCountSettings;
    return new NonzeroCountMonitor(scope, constructId, {
      ...own,
      metricName,
      name: own.name ?? label(`[Algorithmia] ${what}`),
      message: own.message ?? `${what}: ${metricName} counted some over ${own.window ?? 'the window'} (${metric.description}).`,
    });
  },
});

/** A monitor kind whose props take the metric's name and an optional name (labelled default). */
type NamedMonitorClass<Props> = new (scope: Construct, id: string, props: Props) => PipelineMonitor;

const namedMonitor = <Props extends { readonly metricName?: string; readonly name?: string }>(
  group: Group,
  setting: string,
  id: string,
  metric: PipelineMetric,
  Monitor: NamedMonitorClass<Props>,
  defaultName: string,
): PipelineMonitorEntry => ({
  group,
  setting,
  id,
  metric,
  create: (scope, constructId, metricName, settings, label) => {
    const own = settings as Settings<Props>;
    return new Monitor(scope, constructId, { ...own, metricName, name: own.name ?? label(defaultName) } as Props);
  },
});

/** Every pipeline monitor, in the order they are made and listed. */
export const PIPELINE_MONITORS: readonly PipelineMonitorEntry[] = [
  namedMonitor<SilentModelMonitorProps>(
    'trafficMonitors',
    'silentModel',
    'silent_model_monitor',
    EXECUTIONS_METRIC,
    SilentModelMonitor,
    SILENT_MODEL_MONITOR_DEFAULTS.name,
  ),
  namedMonitor<TrafficDropMonitorProps>(
    'trafficMonitors',
    'trafficDrop',
    'traffic_drop_monitor',
    EXECUTIONS_METRIC,
    TrafficDropMonitor,
    TRAFFIC_DROP_MONITOR_DEFAULTS.name,
  ),
  namedMonitor<ForwarderSilentMonitorProps>(
    'pipelineMonitors',
    'forwarderSilent',
    'forwarder_silent_monitor',
    FORWARDER_HEALTH_METRICS.heartbeat,
    ForwarderSilentMonitor,
    FORWARDER_SILENT_MONITOR_DEFAULTS.name,
  ),
  namedMonitor<ConsumerLagMonitorProps>(
    'pipelineMonitors',
    'lag',
    'consumer_lag_monitor',
    FORWARDER_HEALTH_METRICS.consumerLagSeconds,
    ConsumerLagMonitor,
    CONSUMER_LAG_MONITOR_DEFAULTS.name,
  ),
  nonzeroCount('deadLettered', 'dead_lettered_monitor', FORWARDER_HEALTH_METRICS.messagesDeadLettered, 'Records dead-lettered'),
  nonzeroCount('rejectedPoints', 'rejected_points_monitor', FORWARDER_HEALTH_METRICS.pointsRejected, 'Points rejected by Datadog'),
];

/** The monitors the props ask for, keyed by construct id, each recording where its props came from. */
export function addPipelineMonitors(
  scope: Construct,
  props: { readonly trafficMonitors?: TrafficMonitorsProps; readonly pipelineMonitors?: PipelineMonitorsProps },
  context: PipelineMonitorContext,
): ReadonlyMap<string, PipelineMonitor> {
  const monitors = new Map<string, PipelineMonitor>();
  for (const entry of PIPELINE_MONITORS) {
    const settings = (props[entry.group] as Readonly<Record<string, object | undefined>> | undefined)?.[entry.setting];
    if (!settings) continue;
    const own = settings as { scope?: string; tags?: readonly string[]; notificationHandles?: readonly string[] };
    const shared = {
      scope: own.scope ?? context.scope,
      tags: [...context.tags, ...(own.tags ?? [])],
      notificationHandles: own.notificationHandles ?? context.notificationHandles,
    };
    const metricName = pipelineMetricName(context.prefix, entry.metric);
    const monitor = entry.create(scope, entry.id, metricName, { ...settings, ...shared }, context.label);
    recordPropsOrigin(monitor, monitorOrigin([entry.group, entry.setting], settings, context.environmentTags));
    monitors.set(entry.id, monitor);
  }
  return monitors;
}
