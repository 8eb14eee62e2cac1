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
import type { Point, PointDropReason, Series } from './point';

export interface TranslatorOptions {
  readonly catalog: MetricCatalog;
  /** `key:value` tags added to every point, e.g. `env:prod`. */
  readonly staticTags?: readonly string[];
  /** Tag points with request_id and session_id: one custom metric per request. @default false */
  readonly tagRequestIds?: boolean;
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

/** The tags of one (algorithm, version, owner) and the series made with them, by target index. */
interface TagSet {
  readonly tags: readonly string[];
  readonly series: Series[];
}

/** Caches are cleared past this size so hostile key or tag variety cannot grow memory. */
const CACHE_LIMIT = 10_000;

/**
 * Insight → points: one point per numeric top-level field, tagged with the algorithm, stamped with
 * the message time. Nothing is averaged or merged here.
 */
export class Translator {
  private readonly catalog: MetricCatalog;
  private readonly staticTags: readonly string[];
  private readonly tagRequestIds: boolean;
  private readonly nowSeconds: () => number;
  /** A key's metric, or why its values are not sent. */
  private targets = new Map<string, MetricTarget | PointDropReason>();
  private nextTargetIndex = 0;
  private readonly tagSets = new Map<string, TagSet>();
  private readonly executionsName: string;
  /** The execution count's series by algorithm name, version and owner (never request-level tags). */
  private readonly executionSeries = new Map<string, Series>();

  constructor(options: TranslatorOptions) {
    this.catalog = options.catalog;
    this.staticTags = options.staticTags ?? [];
    this.tagRequestIds = options.tagRequestIds ?? false;
    this.nowSeconds = options.nowSeconds ?? (() => Date.now() / 1000);
    this.executionsName = pipelineMetricName(this.catalog.prefix, EXECUTIONS_METRIC);
  }

  translate(insight: Insight): Translation {
    const points: Point[] = [];
    const dropped: PointDropReason[] = [];
    const age = this.nowSeconds() - insight.timestamp;
    const timeProblem: PointDropReason | undefined =
      age > MAX_POINT_AGE_SECONDS ? 'too_old' : age < -MAX_POINT_LEAD_SECONDS ? 'too_far_in_future' : undefined;
    let tagSet: TagSet | undefined;
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
      tagSet ??= this.tagsFor(insight, modelKey);
      const series = (tagSet.series[target.index] ??= { metric: target.name, kind: target.kind, tags: tagSet.tags, unit: target.unit });
      points.push({ series, timestamp: insight.timestamp, value });
    }
    // The message is one execution of its model: counted (count-aggregator.ts adds them up).
    if (insight.algorithmName !== undefined) {
      if (timeProblem) dropped.push(timeProblem);
      else points.push({ series: this.executionsOf(insight, modelKey), timestamp: insight.timestamp, value: 1 });
    }
    return { points, dropped };
  }

  /** The metric a key maps to, or why it is not sent (invalid name, undeclared, reserved). */
  private target(key: string): MetricTarget | PointDropReason {
    let target = this.targets.get(key);
    if (target !== undefined) return target;
    if (this.targets.size >= CACHE_LIMIT) {
      // Target indexes restart, so the series made with the old ones must go too.
      this.targets = new Map();
      this.nextTargetIndex = 0;
      this.tagSets.clear();
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

  private executionsOf(insight: Insight, modelKey: string): Series {
    let series = this.executionSeries.get(modelKey);
    if (series) return series;
    const tags = [...algorithmTags(insight), ...this.staticTags];
    series = { metric: this.executionsName, kind: EXECUTIONS_METRIC.kind, tags, unit: EXECUTIONS_METRIC.unit };
    if (this.executionSeries.size >= CACHE_LIMIT) this.executionSeries.clear();
    this.executionSeries.set(modelKey, series);
    return series;
  }

  private tagsFor(insight: Insight, modelKey: string): TagSet {
    const key = this.tagRequestIds ? `${modelKey}\u0001${insight.requestId ?? ''}\u0001${insight.sessionId ?? ''}` : modelKey;
    let tagSet = this.tagSets.get(key);
    if (tagSet) return tagSet;
    const tags = algorithmTags(insight);
    if (this.tagRequestIds) {
      if (insight.requestId !== undefined) tags.push(tag('request_id', insight.requestId));
      if (insight.sessionId !== undefined) tags.push(tag('session_id', insight.sessionId));
    }
    tags.push(...this.staticTags);
    tagSet = { tags, series: [] };
    if (this.tagSets.size >= CACHE_LIMIT) this.tagSets.clear();
    this.tagSets.set(key, tagSet);
    return tagSet;
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
