import { Construct } from 'constructs';
import { ServiceLevelObjective } from '@cdktf/provider-datadog/lib/service-level-objective';
import type { MetricKind } from '@algorithmia-datadog/metric-declaration';
import { DEFAULT_SCOPE, groupedSeriesQuery, PERCENTILES, type Percentile, type SpaceAggregation } from '../metric-query';
import { AGGREGATIONS } from '../monitors/metric-monitor';
import { INTEGRATION_TAG } from '../monitors/monitor-resource';
import { addProblems, describePropProblem, problemAt, recordPropsOrigin, type PropProblem } from '../problems';
import {
  COMPARATORS,
  duplicateProblems,
  metricNameProblems,
  notificationHandleProblems,
  scopeProblems,
  tagProblems,
  type Comparator,
} from '../validation';
import { BurnRateAlert } from './burn-rate-alert';
import {
  burnRateAlertProblems,
  DEFAULT_BURN_RATE_ALERTS,
  DEFAULT_SLO_TIMEFRAME,
  objectiveProblems,
  sliceProblems,
  type BurnRateAlertSettings,
  type SliceSeconds,
  type SloObjective,
  type SloTimeframe,
} from './slo-rules';

/** The defaults of the props that have one (the config schema states them too). */
export const TIME_SLICE_SLO_DEFAULTS = {
  aggregation: 'avg',
  comparator: '<=',
  sliceSeconds: 300,
} as const;

export interface TimeSliceSloProps {
  /** Full Datadog metric name, e.g. `algorithmia.duration_milliseconds`. */
  readonly metricName: string;
  /** How the metric is declared; percentiles exist only for distributions. @default 'gauge' */
  readonly metricKind?: MetricKind;
  /** SLO name as shown in Datadog. */
  readonly name: string;
  /** @default a sentence stating the condition, and that slices without data count as good */
  readonly description?: string;
  /**
   * How the values of a slice are combined into the one value the condition judges; a percentile
   * (`p95`) for a distribution whose percentiles are enabled.
   * @default 'avg'
   */
  readonly aggregation?: SpaceAggregation | Percentile;
  /** A slice is good when its value is `<comparator> threshold`. @default '<=' */
  readonly comparator?: Comparator;
  /** The bound of a good slice, in the metric's unit (e.g. 5000 ms). */
  readonly threshold: number;
  /** What goes between the braces of the query, e.g. `env:prod,algorithm_name:fraud_detection`. @default '*' */
  readonly scope?: string;
  /** Length of a slice: 60 or 300 seconds. @default 300 */
  readonly sliceSeconds?: SliceSeconds;
  /** The targets, the first one the SLO's primary (shown first in Datadog). */
  readonly objectives: readonly SloObjective[];
  /** @default 14.4 over 1h/5m (page), 6 over 6h/30m and 3 over 24h/2h (ticket), over the first timeframe */
  readonly burnRateAlerts?: readonly BurnRateAlertSettings[];
  /** Handles of the `page` alerts. @default none */
  readonly pageHandles?: readonly string[];
  /** Handles of the `ticket` alerts. @default pageHandles */
  readonly ticketHandles?: readonly string[];
  /** Tags of the SLO and its alerts. @default ['integration:algorithmia'] */
  readonly tags?: readonly string[];
}

/**
 * A time-slice SLO on one metric, with its burn-rate alerts: Datadog cuts the series into 1- or
 * 5-minute slices, a slice is good when `avg:<metric>{<scope>} <= threshold`, and the target is the
 * share of good slices over 7, 30 or 90 days. Each alert is a `slo alert` monitor that reads the
 * SLO's id from the SLO resource, so Terraform creates the SLO first and no id is ever pasted.
 *
 * Datadog counts a slice without data as good: a model that stopped running meets its SLO. Pair
 * the SLO with the silent-model monitor (docs/slos.md).
 */
export class TimeSliceSlo extends Construct {
  readonly slo: ServiceLevelObjective;
  readonly sloId: string;
  readonly name: string;
  /** The metric query the slices are cut from. */
  readonly query: string;
  readonly timeframes: readonly SloTimeframe[];
  /** Keyed by construct id: `burn_<longWindow>` (`burn_1h`, ...). */
  readonly burnRateAlerts: ReadonlyMap<string, BurnRateAlert>;

  constructor(scope: Construct, id: string, props: TimeSliceSloProps) {
    super(scope, id);
    const aggregation = props.aggregation ?? TIME_SLICE_SLO_DEFAULTS.aggregation;
    const comparator = props.comparator ?? TIME_SLICE_SLO_DEFAULTS.comparator;
    const sliceSeconds = props.sliceSeconds ?? TIME_SLICE_SLO_DEFAULTS.sliceSeconds;
    const filter = props.scope ?? DEFAULT_SCOPE;
    const tags = props.tags ?? [INTEGRATION_TAG];
    const alerts = props.burnRateAlerts ?? DEFAULT_BURN_RATE_ALERTS;
    const alertIds = alerts.map((alert) => `burn_${alert.longWindow}`);
    const pageHandles = props.pageHandles ?? [];
    // Required, but absent when config/environments.json had a wrong target (the schema reports that).
    const objectives = props.objectives ?? [];
    const ticketHandles = props.ticketHandles ?? pageHandles;
    addProblems(this, [
      ...(props.name.trim() === '' ? [problemAt(['name'], 'is empty: give the SLO a name to show in Datadog.')] : []),
      ...metricNameProblems(['metricName'], props.metricName),
      ...aggregationProblems(aggregation, props.metricKind ?? 'gauge'),
      ...(COMPARATORS.includes(comparator)
        ? []
        : [problemAt(['comparator'], `"${comparator}" is not supported: use one of ${COMPARATORS.join(' ')}.`)]),
      ...(Number.isFinite(props.threshold) ? [] : [problemAt(['threshold'], `must be a finite number (got ${props.threshold}).`)]),
      ...scopeProblems(['scope'], filter),
      ...sliceProblems(['sliceSeconds'], sliceSeconds),
      ...objectiveProblems(['objectives'], objectives),
      ...alerts.flatMap((alert, index) => alertProblems(alert, index, objectives, props.burnRateAlerts !== undefined)),
      ...duplicateProblems(['burnRateAlerts'], alertIds, 'alert over long window').map((problem) => ({
        ...problem,
        message: `${problem.message} Give each alert of an SLO its own longWindow.`,
      })),
      ...notificationHandleProblems(['pageHandles'], pageHandles),
      ...notificationHandleProblems(['ticketHandles'], ticketHandles),
      ...tagProblems(['tags'], tags),
      ...duplicateProblems(['tags'], tags, 'tag'),
    ]);

    this.query = groupedSeriesQuery(props.metricName, filter, aggregation);
    this.timeframes = objectives.map((objective) => objective.timeframe ?? DEFAULT_SLO_TIMEFRAME);
    const primary = objectives[0] ?? { target: 0 };
    const minutes = sliceSeconds / 60;
    this.slo = new ServiceLevelObjective(this, 'Default', {
      name: props.name,
      type: 'time_slice',
      description:
        props.description ??
        `Good ${minutes}-minute slices: ${this.query} ${comparator} ${props.threshold}. ` +
          'Slices without data count as good, so a silent model meets this SLO: the silent-model monitor covers that.',
      sliSpecification: {
        timeSlice: {
          comparator,
          threshold: props.threshold,
          queryIntervalSeconds: sliceSeconds,
          query: {
            formula: { formulaExpression: 'query1' },
            query: [{ metricQuery: { name: 'query1', dataSource: 'metrics', query: this.query } }],
          },
        },
      },
      thresholds: objectives.map((objective) => ({
        timeframe: objective.timeframe ?? DEFAULT_SLO_TIMEFRAME,
        target: objective.target,
        ...(objective.warning !== undefined ? { warning: objective.warning } : {}),
      })),
      timeframe: primary.timeframe ?? DEFAULT_SLO_TIMEFRAME,
      targetThreshold: primary.target,
      ...(primary.warning !== undefined ? { warningThreshold: primary.warning } : {}),
      tags: [...tags],
    });
    this.sloId = this.slo.id;
    this.name = props.name;

    const made = new Map<string, BurnRateAlert>();
    alerts.forEach((alert, index) => {
      const alertId = alertIds[index];
      if (made.has(alertId)) return; // reported above
      const severity = alert.severity ?? 'page';
      const handlesProp = severity === 'page' ? 'pageHandles' : 'ticketHandles';
      const handles = alert.notificationHandles ?? (severity === 'page' ? pageHandles : ticketHandles);
      const burnRateAlert = new BurnRateAlert(this, alertId, {
        sloId: this.sloId,
        sloName: props.name,
        timeframe: alert.over ?? this.timeframes[0] ?? DEFAULT_SLO_TIMEFRAME,
        burnRate: alert.burnRate,
        warning: alert.warning,
        longWindow: alert.longWindow,
        shortWindow: alert.shortWindow,
        name: alert.name ?? `${props.name}: burn rate ${alert.burnRate} over ${alert.longWindow}`,
        message: alert.message,
        notificationHandles: handles,
        tags: [...tags, `severity:${severity}`],
      });
      // Its handles and tags are this SLO's (or the alert's own handles): problems are shown there.
      recordPropsOrigin(burnRateAlert, {
        settings: ['burnRateAlerts', index],
        own: Object.keys(alert).filter((key) => key === 'name' || key === 'message' || key === 'notificationHandles'),
        joined: {
          ...(alert.notificationHandles ? {} : { notificationHandles: [{ from: [handlesProp], positions: handles.map((_h, i) => i) }] }),
          tags: [{ from: ['tags'], positions: tags.map((_t, i) => i) }, { positions: [tags.length] }],
        },
      });
      made.set(alertId, burnRateAlert);
    });
    this.burnRateAlerts = made;
  }
}

/**
 * An alert's problems at its place in `burnRateAlerts`; for the default alerts, which are in no
 * file, at `burnRateAlerts` itself, naming the default that does not fit.
 */
function alertProblems(alert: BurnRateAlertSettings, index: number, objectives: readonly SloObjective[], given: boolean): PropProblem[] {
  const problems = burnRateAlertProblems(['burnRateAlerts', index], alert, objectives);
  if (given) return problems;
  const which = `the default alert "burn rate ${alert.burnRate} over ${alert.longWindow}/${alert.shortWindow}"`;
  return problems.map((problem) =>
    problemAt(['burnRateAlerts'], `: ${which}: ${describePropProblem(problem)} Set burnRateAlerts to alerts this SLO allows.`),
  );
}

function aggregationProblems(aggregation: string, kind: MetricKind): PropProblem[] {
  if ((AGGREGATIONS as readonly string[]).includes(aggregation)) return [];
  if ((PERCENTILES as readonly string[]).includes(aggregation)) {
    if (kind === 'distribution') return [];
    return [
      problemAt(
        ['aggregation'],
        `"${aggregation}" is a percentile, which Datadog keeps only for distribution metrics, and this metric is a ${kind}: use avg, max, min or sum, or declare it as a distribution.`,
      ),
    ];
  }
  return [problemAt(['aggregation'], `"${aggregation}" is not supported: use one of ${[...AGGREGATIONS, ...PERCENTILES].join(', ')}.`)];
}
