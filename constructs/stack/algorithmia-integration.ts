import { Construct } from 'constructs';
import { MetricCatalog, MetricDefinition, parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { AlgorithmiaDashboard, AlgorithmiaDashboardProps, DASHBOARD_TITLE } from '../dashboard/algorithmia-dashboard';
import { DurationMonitor, DurationMonitorProps, DURATION_MONITOR_NAME } from '../monitors/duration-monitor';
import {
  INTEGRATION_TAG,
  MetricMonitor,
  METRIC_MONITOR_DEFAULTS,
  MetricThresholdProps,
  MonitorNotificationOptions,
} from '../monitors/metric-monitor';
import { MetricMetadataSet, pipelineMetricMetadata } from '../metadata/metric-metadata';
import { MetricPercentiles, percentileAvailabilityProblems, percentileMetricNames } from '../metadata/metric-percentiles';
import type { ModelMonitorSet, ModelMonitorsProps } from '../monitors/kinds';
import { addModelMonitors, modelMonitorProblems, monitorOrigin } from '../monitors/model-monitors';
import {
  addPipelineMonitors,
  type PipelineMonitor,
  type PipelineMonitorsProps,
  type TrafficMonitorsProps,
} from '../monitors/pipeline-monitors';
import { ReleasedMetricMetadata, ReleasedMetricPercentiles } from '../metadata/released-metric-metadata';
import { addProblems, problemAt, recordPropsOrigin, type PropProblem } from '../problems';
import { duplicateProblems, firesAbove } from '../validation';
import { addModelSlos, modelSloProblems, type ModelSlosProps } from '../slos/model-slos';
import type { TimeSliceSlo } from '../slos/time-slice-slo';

/** A monitor on one declared inference metric. */
export interface InferenceMonitorProps extends MetricThresholdProps, MonitorNotificationOptions {
  /** @default '[Algorithmia] High <key>' (or 'Low <key>' for `<`/`<=` comparators) */
  readonly name?: string;
  /** @default a sentence naming the metric, window and critical threshold */
  readonly message?: string;
}

/** The dashboard's opt-in features for many models. */
export type DashboardOptions = Pick<
  AlgorithmiaDashboardProps,
  'templateVariables' | 'perAlgorithmTable' | 'distributionPercentiles' | 'traffic' | 'pipeline'
>;

export interface AlgorithmiaIntegrationProps extends ModelMonitorsProps, ModelSlosProps {
  /**
   * The metric declaration, normally `loadMetricDeclaration('config/metrics.json')`, which the
   * forwarder reads too.
   * @default only the operational metric `algorithmia.duration_milliseconds`
   */
  readonly catalog?: MetricCatalog;
  /**
   * Query scope of the dashboard and of monitors that set none, e.g. `env:prod`.
   * @default '*'
   */
  readonly scope?: string;
  /**
   * Tags added to every monitor, after `integration:algorithmia`.
   * @default none
   */
  readonly tags?: readonly string[];
  /**
   * Handles notified by every monitor that sets none, e.g. `@slack-ml-alerts`.
   * @default none
   */
  readonly notificationHandles?: readonly string[];
  /**
   * Overrides for the duration monitor (thresholds, window, scope, handles, options).
   * @default the integration's monitor: > 10000 ms critical, 5000 ms warning over last_5m
   */
  readonly durationMonitor?: DurationMonitorProps;
  /**
   * Monitors on inference metrics, keyed by the metric's key in the declaration
   * (e.g. `risk_score`). A declared metric without an entry gets no monitor.
   * @default none
   */
  readonly inferenceMonitors?: Readonly<Record<string, InferenceMonitorProps>>;
  /**
   * Whether this stack manages metric metadata. Metadata is organisation-wide: in an organisation
   * shared by several stacks exactly one should manage it. `'release'` manages none and tells
   * Terraform (1.7+) to forget, not delete, metadata this stack managed before
   * (`ReleasedMetricMetadata`). Datadog answers 404 for metadata of a metric it has never
   * received: keep this false on a new organisation until the forwarder has sent data.
   * @default true
   */
  readonly metricMetadata?: boolean | 'release';
  /**
   * The stack of the same Datadog organisation that manages its organisation-wide objects (metric
   * metadata, and the tag configurations that enable the percentiles declared with
   * `"percentiles": true`), when that is not this stack; named in messages. Percentile monitors
   * and widgets need some stack of the organisation to enable the metric's percentiles: this one
   * (`metricMetadata` true) or that one.
   * @default none: only this stack's own `metricMetadata: true` enables percentiles
   */
  readonly organizationOwner?: string;
  /**
   * Existing objects to take over instead of creating new ones, e.g. those Datadog's Algorithmia
   * tile installed: Terraform import blocks, so that the first deploy updates them in place.
   * @default none: the dashboard and monitor are created
   */
  readonly adopt?: AdoptionProps;
  /**
   * Appended in parentheses to the dashboard title and monitor names, to tell environments
   * apart when they share a Datadog organisation.
   * @default none (the integration's titles)
   */
  readonly label?: string;
  /**
   * Template variables, the per-algorithm table, percentile widgets, and the traffic and pipeline widgets.
   * @default none of them: the integration's dashboard
   */
  readonly dashboard?: DashboardOptions;
  /**
   * Monitors on the execution count the forwarder sends (`<prefix>.executions`): a silent model, a
   * traffic drop. See docs/traffic-and-pipeline.md.
   * @default none
   */
  readonly trafficMonitors?: TrafficMonitorsProps;
  /**
   * Monitors on the forwarder's own health (`<prefix>.forwarder.*`): no heartbeat, lag,
   * dead-lettered records, points Datadog refused.
   * @default none
   */
  readonly pipelineMonitors?: PipelineMonitorsProps;
}

/** Ids of existing Datadog objects to import. */
export interface AdoptionProps {
  /** The dashboard's id, as in its URL `/dashboard/<id>/...`, e.g. `abc-def-ghi`. @default none */
  readonly dashboardId?: string;
  /** The duration monitor's numeric id, as in its URL `/monitors/<id>`. @default none */
  readonly durationMonitorId?: number | string;
}

/**
 * The whole Algorithmia integration in one construct: duration monitor, dashboard bound to it,
 * metric metadata, and a widget (plus a monitor when thresholds are given) per inference metric.
 */
export class AlgorithmiaIntegration extends Construct {
  readonly durationMonitor: DurationMonitor;
  readonly dashboard: AlgorithmiaDashboard;
  /** Keyed by metric key. */
  readonly inferenceMonitors: ReadonlyMap<string, MetricMonitor>;
  /** Absent when `metricMetadata` is false or `'release'`. */
  readonly metricMetadata?: MetricMetadataSet;
  /** Drift, anomaly, outlier and percentile monitors, each keyed by metric key. */
  readonly modelMonitors: ModelMonitorSet;
  /** Traffic and forwarder monitors, keyed by construct id (`silent_model_monitor`, ...). */
  readonly pipelineMonitors: ReadonlyMap<string, PipelineMonitor>;
  /** Time-slice SLOs with their burn-rate alerts, keyed by construct id (`slo_<key>`, `slo_<key>_<algorithm>`). */
  readonly slos: ReadonlyMap<string, TimeSliceSlo>;
  /** Present when `metricMetadata` is `'release'`. */
  readonly releasedMetricMetadata?: ReleasedMetricMetadata;
  /** Tag configurations enabling declared percentiles; present when `metricMetadata` is true. */
  readonly metricPercentiles?: MetricPercentiles;

  constructor(scope: Construct, id: string, props: AlgorithmiaIntegrationProps = {}) {
    super(scope, id);
    const catalog = props.catalog ?? parseMetricDeclaration({});
    const metrics = uniqueByName(catalog.metrics);
    const inference = metrics.filter((metric) => !metric.operational);
    const tags = [INTEGRATION_TAG, ...(props.tags ?? []).filter((tag) => tag !== INTEGRATION_TAG)];
    const handles = props.notificationHandles ?? [];
    const label = (text: string) => (props.label ? `${text} (${props.label})` : text);
    const monitorSettings = props.inferenceMonitors ?? {};
    // Percentiles are enabled by the organisation's owner of metric metadata: this stack or another.
    const percentilesEnabler = (props.metricMetadata ?? true) === true ? 'this stack' : props.organizationOwner;

    addProblems(this, [
      ...duplicateProblems(
        ['catalog', 'metrics'],
        catalog.metrics.map((metric) => metric.name),
        'metric',
      ),
      ...undeclaredMonitorProblems(monitorSettings, inference),
      ...modelMonitorProblems(props, metrics, { percentilesEnabler }),
      ...modelSloProblems(props, metrics),
      ...adoptionProblems(props.adopt ?? {}),
      ...dashboardPercentileProblems(props.dashboard ?? {}, metrics, percentilesEnabler),
    ]);

    const durationProps = props.durationMonitor ?? {};
    this.durationMonitor = new DurationMonitor(this, 'duration_monitor', {
      ...durationProps,
      metricName: durationProps.metricName ?? catalog.operational.name,
      name: durationProps.name ?? label(DURATION_MONITOR_NAME),
      scope: durationProps.scope ?? props.scope,
      notificationHandles: durationProps.notificationHandles ?? handles,
      tags: [...tags, ...(durationProps.tags ?? [])],
    });
    recordPropsOrigin(this.durationMonitor, monitorOrigin(['durationMonitor'], durationProps, props.tags ?? []));

    // What every SLO and monitor the integration makes shares with it.
    const shared = { scope: props.scope, tags, environmentTags: props.tags ?? [], notificationHandles: handles, label };
    this.slos = addModelSlos(this, props, { ...shared, metrics });

    this.dashboard = new AlgorithmiaDashboard(this, 'dashboard', {
      title: label(DASHBOARD_TITLE),
      durationMonitorId: this.durationMonitor.monitorId,
      durationMetricName: catalog.operational.name,
      scope: props.scope,
      inferenceMetrics: inference,
      metricPrefix: catalog.prefix,
      slos: [...this.slos.values()].map((slo) => ({ title: slo.name, sloId: slo.sloId, timeWindows: slo.timeframes })),
      ...props.dashboard,
    });
    // Its scope is the integration's, its options the integration's `dashboard`.
    recordPropsOrigin(this.dashboard, { settings: [], own: Object.keys(props) });

    const inferenceMonitors = new Map<string, MetricMonitor>();
    for (const metric of inference) {
      const settings = monitorSettings[metric.key];
      if (!settings) continue;
      const comparator = settings.comparator ?? '>';
      const monitor = new MetricMonitor(this, `monitor_${metric.key}`, {
        ...settings,
        metricName: metric.name,
        name: settings.name ?? label(`[Algorithmia] ${firesAbove(comparator) ? 'High' : 'Low'} ${metric.key}`),
        message: settings.message ?? inferenceMonitorMessage(metric, settings),
        scope: settings.scope ?? props.scope,
        notificationHandles: settings.notificationHandles ?? handles,
        tags: [...tags, ...(settings.tags ?? [])],
      });
      recordPropsOrigin(monitor, monitorOrigin(['inferenceMonitors', metric.key], settings, props.tags ?? []));
      inferenceMonitors.set(metric.key, monitor);
    }
    this.inferenceMonitors = inferenceMonitors;
    this.modelMonitors = addModelMonitors(this, props, { ...shared, metrics, percentilesEnabler });
    this.pipelineMonitors = addPipelineMonitors(this, props, { ...shared, prefix: catalog.prefix });

    const metricMetadata = props.metricMetadata ?? true;
    // The forwarder's own metrics too: the organisation's owner describes everything it sends.
    const described = [...metrics, ...pipelineMetricMetadata(catalog.prefix)];
    if (metricMetadata === true) {
      this.metricMetadata = new MetricMetadataSet(this, 'metric_metadata', { metrics: described });
      this.metricPercentiles = new MetricPercentiles(this, 'metric_percentiles', { metrics });
    } else if (metricMetadata === 'release') {
      this.releasedMetricMetadata = new ReleasedMetricMetadata(this, 'metric_metadata', { metrics: described });
      new ReleasedMetricPercentiles(this, 'metric_percentiles', { metricNames: percentileMetricNames(metrics) });
    }

    if (props.adopt?.dashboardId !== undefined) this.dashboard.dashboard.importFrom(props.adopt.dashboardId);
    if (props.adopt?.durationMonitorId !== undefined) this.durationMonitor.monitor.importFrom(String(props.adopt.durationMonitorId));
  }
}

function uniqueByName(metrics: readonly MetricDefinition[]): MetricDefinition[] {
  const seen = new Set<string>();
  return metrics.filter((metric) => !seen.has(metric.name) && seen.add(metric.name));
}

function undeclaredMonitorProblems(
  settings: Readonly<Record<string, InferenceMonitorProps>>,
  inference: readonly MetricDefinition[],
): PropProblem[] {
  const declared = inference.map((metric) => metric.key);
  return Object.keys(settings)
    .filter((key) => !declared.includes(key))
    .map((key) =>
      problemAt(
        ['inferenceMonitors', key],
        `: no inference metric with key "${key}" is declared ` +
          `(declared: ${declared.length > 0 ? declared.join(', ') : 'none'}). ` +
          'Declare it in config/metrics.json, or remove this monitor.',
      ),
    );
}

function adoptionProblems(adopt: AdoptionProps): PropProblem[] {
  const problems: PropProblem[] = [];
  if (adopt.dashboardId !== undefined && !/^[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}$/.test(adopt.dashboardId)) {
    problems.push(
      problemAt(
        ['adopt', 'dashboardId'],
        `"${adopt.dashboardId}" is not a dashboard id: copy it from the dashboard's URL, /dashboard/<id>/..., e.g. "abc-def-ghi".`,
      ),
    );
  }
  if (adopt.durationMonitorId !== undefined && !/^[1-9][0-9]*$/.test(String(adopt.durationMonitorId))) {
    problems.push(
      problemAt(
        ['adopt', 'durationMonitorId'],
        `"${adopt.durationMonitorId}" is not a monitor id: copy the number from the monitor's URL, /monitors/<id>.`,
      ),
    );
  }
  return problems;
}

/** p50/p95/p99 widgets read series that Datadog computes only where a stack enables the percentiles. */
function dashboardPercentileProblems(
  dashboard: DashboardOptions,
  metrics: readonly MetricDefinition[],
  enabler: string | undefined,
): PropProblem[] {
  if (!dashboard.distributionPercentiles) return [];
  const at = ['dashboard', 'distributionPercentiles'];
  const enabled = metrics.filter((metric) => !metric.operational && metric.kind === 'distribution' && metric.percentiles);
  if (enabled.length === 0) {
    return [
      problemAt(
        at,
        'is true, but no declared distribution has "percentiles": true in config/metrics.json: ' +
          'enable the percentiles of the metrics to draw as p50/p95/p99, or remove distributionPercentiles.',
      ),
    ];
  }
  return enabled.flatMap((metric) =>
    percentileAvailabilityProblems(metric, enabler, 'its p50/p95/p99 widget would stay empty').map((problem) =>
      problemAt(at, `: ${problem}`),
    ),
  );
}

function inferenceMonitorMessage(metric: MetricDefinition, settings: InferenceMonitorProps): string {
  const about = metric.description ? ` (${metric.description})` : '';
  return (
    `The ${settings.timeAggregation ?? 'avg'} of ${metric.name}${about} over ${settings.window ?? METRIC_MONITOR_DEFAULTS.window} ` +
    `is ${settings.comparator ?? '>'} ${settings.critical}.`
  );
}
