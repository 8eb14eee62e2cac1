/**
 * How the integration makes the SLOs of `slos`: keyed by a declared metric's key (the duration for
 * latency, an inference metric for quality), one time-slice SLO over the environment's scope, or
 * one per listed model, each with its burn-rate alerts routed to the page or ticket handles.
 */
import { Construct } from 'constructs';
import type { MetricDefinition } from '@algorithmia-datadog/metric-declaration';
import { monitorOrigin } from '../monitors/model-monitors';
import { problemAt, recordPropsOrigin, type PropPath, type PropProblem } from '../problems';
import { duplicateProblems, tagProblems } from '../validation';
import { TimeSliceSlo, TIME_SLICE_SLO_DEFAULTS, type TimeSliceSloProps } from './time-slice-slo';

/** One SLO entry of `slos`, keyed by metric key. */
export interface ModelSloSettings extends Omit<TimeSliceSloProps, 'metricName' | 'metricKind' | 'name' | 'pageHandles' | 'ticketHandles'> {
  /** @default '[Algorithmia] <key> <comparator> <threshold>', then ' for <algorithm>' and the environment's label */
  readonly name?: string;
  /**
   * One SLO per listed model (`algorithm_name`), each with its own budget and alerts. Datadog
   * computes an SLO and its burn rate over all its series together, so a model that must keep its
   * own promise needs its own SLO.
   * @default one SLO over the environment's scope
   */
  readonly algorithms?: readonly string[];
}

/** Where the burn-rate alerts go. */
export interface SloHandlesProps {
  /** Handles of the `page` alerts, e.g. `@pagerduty-ml`. @default the integration's notificationHandles */
  readonly page?: readonly string[];
  /** Handles of the `ticket` alerts, e.g. `@slack-ml-tickets` or `@jira-ml`. @default page */
  readonly ticket?: readonly string[];
}

export interface ModelSlosProps {
  /**
   * Time-slice SLOs keyed by the metric's key in the declaration (`duration_milliseconds` for
   * latency, an inference metric for quality), each with burn-rate alerts. See docs/slos.md.
   * @default none
   */
  readonly slos?: Readonly<Record<string, ModelSloSettings>>;
  /** @default every alert to the integration's notificationHandles */
  readonly sloHandles?: SloHandlesProps;
}

/** What the integration shares with every SLO. */
export interface ModelSloContext {
  readonly metrics: readonly MetricDefinition[];
  readonly scope?: string;
  /** The integration's own tag, then the environment's. */
  readonly tags: readonly string[];
  /** The integration's `tags` prop as given. */
  readonly environmentTags: readonly string[];
  readonly notificationHandles: readonly string[];
  readonly label: (text: string) => string;
}

/** Entries that name no declared metric, and lists of models that repeat or are not tag values. */
export function modelSloProblems(props: ModelSlosProps, metrics: readonly MetricDefinition[]): PropProblem[] {
  const declared = metrics.map((metric) => metric.key);
  return Object.entries(props.slos ?? {}).flatMap(([key, settings]) => {
    if (!declared.includes(key)) {
      return [
        problemAt(
          ['slos', key],
          `: no metric with key "${key}" is declared (declared: ${declared.join(', ')}). Declare it in config/metrics.json, or remove this SLO.`,
        ),
      ];
    }
    const algorithms = settings.algorithms ?? [];
    const at: PropPath = ['slos', key, 'algorithms'];
    return [
      ...(settings.algorithms !== undefined && algorithms.length === 0
        ? [problemAt(at, 'is empty: list the models (algorithm_name) that get an SLO each, or remove it for one SLO over the scope.')]
        : []),
      ...tagProblems(
        at,
        algorithms.map((name) => `algorithm_name:${name}`),
      ),
      ...algorithms.flatMap((name, index) =>
        /[,\s]/.test(name) ? [problemAt([...at, index], `"${name}" is not one algorithm_name: give each model as its own item.`)] : [],
      ),
      ...duplicateProblems(at, algorithms, 'model'),
    ];
  });
}

/** The SLOs of `slos`, keyed by construct id (`slo_<key>` or `slo_<key>_<algorithm>`), in metric order. */
export function addModelSlos(scope: Construct, props: ModelSlosProps, context: ModelSloContext): ReadonlyMap<string, TimeSliceSlo> {
  const slos = new Map<string, TimeSliceSlo>();
  const pageHandles = props.sloHandles?.page ?? context.notificationHandles;
  const ticketHandles = props.sloHandles?.ticket ?? pageHandles;
  const pageFrom = props.sloHandles?.page ? ['sloHandles', 'page'] : ['notificationHandles'];
  const handleOrigins = {
    pageHandles: [{ from: pageFrom, positions: pageHandles.map((_h, i) => i) }],
    ticketHandles: [{ from: props.sloHandles?.ticket ? ['sloHandles', 'ticket'] : pageFrom, positions: ticketHandles.map((_h, i) => i) }],
  };
  for (const metric of context.metrics) {
    const settings = props.slos?.[metric.key];
    if (!settings) continue;
    const { algorithms, name, ...own } = settings;
    const models: readonly (string | undefined)[] = algorithms && algorithms.length > 0 ? algorithms : [undefined];
    const comparator = own.comparator ?? TIME_SLICE_SLO_DEFAULTS.comparator;
    for (const model of models) {
      const id = model === undefined ? `slo_${metric.key}` : `slo_${metric.key}_${constructIdPart(model)}`;
      if (slos.has(id)) continue; // two names that differ only in characters an id cannot hold: reported as a duplicate name
      const baseScope = own.scope ?? context.scope ?? '*';
      const defaultName = `[Algorithmia] ${metric.key} ${comparator} ${own.threshold}${model === undefined ? '' : ` for ${model}`}`;
      const slo = new TimeSliceSlo(scope, id, {
        ...own,
        metricName: metric.name,
        metricKind: metric.kind,
        name: name === undefined ? context.label(defaultName) : model === undefined ? name : `${name} for ${model}`,
        scope: model === undefined ? baseScope : `${baseScope === '*' ? '' : `${baseScope},`}algorithm_name:${model}`,
        pageHandles,
        ticketHandles,
        tags: [...context.tags, ...(own.tags ?? [])],
      });
      // Scope and tags as for every monitor; the handles come from sloHandles (or the environment's).
      const origin = monitorOrigin(['slos', metric.key], settings, context.environmentTags);
      recordPropsOrigin(slo, { ...origin, joined: { ...origin.joined, ...handleOrigins } });
      slos.set(id, slo);
    }
  }
  return slos;
}

/** A model name as part of a construct id, which Terraform also uses as the resource name. */
function constructIdPart(model: string): string {
  return model.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
}
