import {
  EXECUTIONS_METRIC,
  isReservedMetricKey,
  metricNameForKey,
  pipelineMetricName,
  tag,
  type MetricCatalog,
  type MetricKind,
} from '@algorithmia-datadog/metric-declaration';
import { MAX_POINT_AGE_SECONDS, MAX_POINT_LEAD_SECONDS } from '../common/datadog-window';
import type { Insight } from '../decode/insight';
import type { Point, PointDropReason } from './point';
import { SeriesRegistry, type NumberedSeries, type TrackedTagSet } from './series-registry';

export interface TranslatorOptions {
  readonly catalog: MetricCatalog;
  /** `key:value` tags added to every point, e.g. `env:prod`. */
  readonly staticTags?: readonly string[];
  /** Tag points with request_id and session_id: one custom metric per request. @default false */
  readonly tagRequestIds?: boolean;
  /**
   * Tags of the execution count only: the process's `forwarder_instance:…`. Each process keeps
   * totals of its own (count-aggregator.ts), so it must write series of its own.
   */
  readonly executionTags?: readonly string[];
  /** Series known at once at most (FORWARDER_MAX_SERIES); past it, the least used tag sets are forgotten. */
  readonly maxSeries: number;
  /** Seconds since the epoch, injectable for tests. */
  readonly nowSeconds?: () => number;
}

export interface Translation {
  readonly points: Point[];
  /** One entry per value that was found but not sent. */
  readonly dropped: PointDropReason[];
}

interface MetricTarget {
  readonly name: string;
  readonly kind: MetricKind;
  readonly unit?: string;
  /** Position in `TagSet.series`. */
  readonly index: number;
}

/** The metric targets are forgotten past this many keys, so hostile key variety cannot grow memory. */
const TARGETS_LIMIT = 10_000;

/**
 * Insight → points: one point per numeric top-level field, tagged with the algorithm, stamped with
 * the message time. Nothing is averaged or merged here.
 */
export class Translator {
  private readonly catalog: MetricCatalog;
  private readonly staticTags: readonly string[];
  private readonly executionTags: readonly string[];
  private readonly tagRequestIds: boolean;
  private readonly nowSeconds: () => number;
  /** A key's metric, or why its values are not sent. */
  private targets = new Map<string, MetricTarget | PointDropReason>();
  private nextTargetIndex = 0;
  /** Every series this translator made, numbered and bounded. */
  readonly series: SeriesRegistry;
  private readonly executionsName: string;

  constructor(options: TranslatorOptions) {
    this.catalog = options.catalog;
    this.staticTags = options.staticTags ?? [];
    this.executionTags = options.executionTags ?? [];
    this.tagRequestIds = options.tagRequestIds ?? false;
    this.nowSeconds = options.nowSeconds ?? (() => Date.now() / 1000);
    this.series = new SeriesRegistry(options.maxSeries, this.nowSeconds);
    this.executionsName = pipelineMetricName(this.catalog.prefix, EXECUTIONS_METRIC);
  }

  translate(insight: Insight): Translation {
    const points: Point[] = [];
    const dropped: PointDropReason[] = [];
    const now = this.nowSeconds();
    const age = now - insight.timestamp;
    const timeProblem: PointDropReason | undefined =
      age > MAX_POINT_AGE_SECONDS ? 'too_old' : age < -MAX_POINT_LEAD_SECONDS ? 'too_far_in_future' : undefined;
    let tagSet: TrackedTagSet | undefined;
    // Names the model's series (values and executions): built once per message.
    const modelKey = algorithmKey(insight);

    for (const key in insight.fields) {
      const raw = insight.fields[key];
      let value: number;
      if (typeof raw === 'number') {
        if (!Number.isFinite(raw)) {
          dropped.push('not_finite');
          continue;
        }
        value = raw;
      } else if (typeof raw === 'boolean') {
        value = raw ? 1 : 0;
      } else {
        dropped.push(nonNumericReason(raw));
        continue;
      }
      const target = this.target(key);
      if (typeof target === 'string') {
        dropped.push(target);
        continue;
      }
      if (timeProblem) {
        dropped.push(timeProblem);
        continue;
      }
      tagSet ??= this.tagsFor(insight, modelKey, now);
      const series = tagSet.series[target.index] ?? this.valueSeries(tagSet, target);
      if (series === undefined) dropped.push('series_limit');
      else points.push({ series, timestamp: insight.timestamp, value });
    }
    // The message is one execution of its model: counted (count-aggregator.ts adds them up).
    if (insight.algorithmName !== undefined) {
      const series = timeProblem ? undefined : this.executionsOf(insight, modelKey, now, tagSet);
      if (series !== undefined) points.push({ series, timestamp: insight.timestamp, value: 1 });
      else dropped.push(timeProblem ?? 'series_limit');
    }
    return { points, dropped };
  }

  /** The metric a key maps to, or why it is not sent (invalid name, undeclared, reserved). */
  private target(key: string): MetricTarget | PointDropReason {
    let target = this.targets.get(key);
    if (target !== undefined) return target;
    if (this.targets.size >= TARGETS_LIMIT) {
      // Target indexes restart, so the series made with the old ones must go too.
      this.targets = new Map();
      this.nextTargetIndex = 0;
      this.series.clear();
    }
    const declared = this.catalog.lookup(key);
    // The name the key would be sent as (declarations cannot be reserved: they are refused).
    const name = declared?.name ?? metricNameForKey(this.catalog.prefix, key);
    const prefixLength = this.catalog.prefix ? this.catalog.prefix.length + 1 : 0;
    if (name !== undefined && isReservedMetricKey(name.slice(prefixLength))) {
      // It would write into the forwarder's own metrics (the execution count, its health).
      target = 'reserved_name';
    } else if (declared) {
      target = { name: declared.name, kind: declared.kind, unit: declared.unit, index: this.nextTargetIndex++ };
    } else if (this.catalog.onlyDeclared) {
      target = 'undeclared';
    } else {
      target = name === undefined ? 'invalid_name' : { name, kind: 'gauge', index: this.nextTargetIndex++ };
    }
    this.targets.set(key, target);
    return target;
  }

  private valueSeries(tagSet: TrackedTagSet, target: MetricTarget): NumberedSeries | undefined {
    const series = this.series.number(tagSet, (id) => ({
      id,
      metric: target.name,
      kind: target.kind,
      tags: tagSet.tags,
      unit: target.unit,
    }));
    tagSet.series[target.index] = series;
    return series;
  }

  /** `valuesTagSet`: the message's, if its values looked it up (without request ids, the same one). */
  private executionsOf(insight: Insight, modelKey: string, now: number, valuesTagSet?: TrackedTagSet): NumberedSeries | undefined {
    // Request ids are never the count's tags: with them, the model's own tag set holds its count.
    const tagSet = this.tagRequestIds
      ? this.series.tagSet(modelKey, () => this.modelTags(insight), now)
      : (valuesTagSet ?? this.tagsFor(insight, modelKey, now));
    if (tagSet.executions !== undefined) return tagSet.executions;
    const { kind, unit } = EXECUTIONS_METRIC;
    const tags = this.executionTags.length === 0 ? tagSet.tags : [...tagSet.tags, ...this.executionTags];
    const series = this.series.number(tagSet, (id) => ({ id, metric: this.executionsName, kind, tags, unit }));
    tagSet.executions = series;
    return series;
  }

  private tagsFor(insight: Insight, modelKey: string, now: number): TrackedTagSet {
    if (!this.tagRequestIds) return this.series.tagSet(modelKey, () => this.modelTags(insight), now);
    const key = `${modelKey}\u0001${insight.requestId ?? ''}\u0001${insight.sessionId ?? ''}`;
    return this.series.tagSet(
      key,
      () => {
        const tags = algorithmTags(insight);
        if (insight.requestId !== undefined) tags.push(tag('request_id', insight.requestId));
        if (insight.sessionId !== undefined) tags.push(tag('session_id', insight.sessionId));
        tags.push(...this.staticTags);
        return tags;
      },
      now,
    );
  }

  private modelTags(insight: Insight): string[] {
    const tags = algorithmTags(insight);
    tags.push(...this.staticTags);
    return tags;
  }
}

/** A key naming the model a message is about (its name, version and owner). */
function algorithmKey(insight: Insight): string {
  return `${insight.algorithmName ?? ''}\u0001${insight.algorithmVersion ?? ''}\u0001${insight.algorithmOwner ?? ''}`;
}

/** The tags naming the model a message is about. */
function algorithmTags(insight: Insight): string[] {
  const tags: string[] = [];
  if (insight.algorithmName !== undefined) tags.push(tag('algorithm_name', insight.algorithmName));
  if (insight.algorithmVersion !== undefined) tags.push(tag('algorithm_version', insight.algorithmVersion));
  if (insight.algorithmOwner !== undefined) tags.push(tag('algorithm_owner', insight.algorithmOwner));
  return tags;
}

function nonNumericReason(value: unknown): PointDropReason {
  if (value === null || value === undefined) return 'null_value';
  if (typeof value === 'string') return 'string_value';
  if (Array.isArray(value)) return 'array_value';
  return 'nested_object';
}
