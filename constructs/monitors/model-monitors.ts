/**
 * How the integration makes the model monitors of the registry (kinds.ts): one per declared metric
 * and entry, with the integration's defaults, each recording where its props came from.
 */
import { Construct } from 'constructs';
import type { MetricDefinition } from '@algorithmia-datadog/metric-declaration';
import { MODEL_MONITOR_KINDS, type ModelMonitorKindName, type ModelMonitorSet, type ModelMonitorsProps } from './kinds';
import type { KindContext, KindDefaults, ModelMonitorKind } from './model-monitor-kind';
import { problemAt, recordPropsOrigin, type PropPath, type PropProblem, type PropsOrigin } from '../problems';
import { INTEGRATION_TAG } from './monitor-resource';

const KIND_NAMES = Object.keys(MODEL_MONITOR_KINDS) as ModelMonitorKindName[];

/** What the integration shares with every monitor that sets none itself. */
export interface ModelMonitorDefaults extends KindDefaults, KindContext {
  readonly metrics: readonly MetricDefinition[];
  readonly scope?: string;
  /** Every monitor's tags: the integration's own tag, then the environment's. */
  readonly tags: readonly string[];
  /** The integration's `tags` prop as given. */
  readonly environmentTags: readonly string[];
  readonly notificationHandles: readonly string[];
}

/** Entries that name no declared metric, and the kinds' own rules, as problems naming the setting. */
export function modelMonitorProblems(props: ModelMonitorsProps, metrics: readonly MetricDefinition[], context: KindContext): PropProblem[] {
  const declared = metrics.map((metric) => metric.key);
  return KIND_NAMES.flatMap((name) => {
    const kind = MODEL_MONITOR_KINDS[name] as ModelMonitorKind<unknown, Construct>;
    return Object.entries(props[name] ?? {}).flatMap(([key, settings]) => {
      const metric = metrics.find((candidate) => candidate.key === key);
      if (!metric) {
        return [
          problemAt(
            [name, key],
            `: no metric with key "${key}" is declared (declared: ${declared.join(', ')}). Declare it in config/metrics.json, or remove this monitor.`,
          ),
        ];
      }
      return (kind.problems?.(settings, metric, context) ?? []).map((problem) => problemAt([name, key], `: ${problem}`));
    });
  });
}

/** Creates the monitors of every kind in `scope`, named `<idPrefix><metric key>`, in metric order per kind. */
export function addModelMonitors(scope: Construct, props: ModelMonitorsProps, defaults: ModelMonitorDefaults): ModelMonitorSet {
  const set: Record<string, ReadonlyMap<string, Construct>> = {};
  for (const name of KIND_NAMES) {
    const kind = MODEL_MONITOR_KINDS[name] as ModelMonitorKind<object, Construct>;
    const entries = (props[name] ?? {}) as Readonly<Record<string, object>>;
    const monitors = new Map<string, Construct>();
    for (const metric of defaults.metrics) {
      const settings = entries[metric.key];
      if (!settings) continue;
      const own = settings as { scope?: string; tags?: readonly string[]; notificationHandles?: readonly string[] };
      const shared = {
        scope: own.scope ?? defaults.scope,
        tags: [...defaults.tags, ...(own.tags ?? [])],
        notificationHandles: own.notificationHandles ?? defaults.notificationHandles,
      };
      const monitor = kind.create(scope, `${kind.idPrefix}${metric.key}`, metric, { ...settings, ...shared }, defaults);
      recordPropsOrigin(monitor, monitorOrigin([name, metric.key], settings, defaults.environmentTags));
      monitors.set(metric.key, monitor);
    }
    set[name] = monitors;
  }
  return set as unknown as ModelMonitorSet;
}

/**
 * Where the props of a monitor the integration makes came from: its settings (at `settings` in the
 * integration's props), the integration's scope and handles where they set none, and tags joined
 * from the integration's own tag, the integration's `tags` and the settings' `tags`.
 * @param environmentTags the integration's `tags` prop as given (its own tag is left out of monitors' copy)
 */
export function monitorOrigin(settings: PropPath, entry: object, environmentTags: readonly string[]): PropsOrigin {
  const ownTags = (entry as { tags?: readonly string[] }).tags ?? [];
  return {
    settings,
    own: Object.keys(entry),
    inherited: ['scope', 'notificationHandles'],
    joined: {
      tags: [
        { positions: [0] },
        { from: ['tags'], positions: environmentTags.flatMap((tag, index) => (tag === INTEGRATION_TAG ? [] : [index])) },
        { from: [...settings, 'tags'], positions: ownTags.map((_tag, index) => index) },
      ],
    },
  };
}
