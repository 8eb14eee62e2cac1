import { metricNameForKey, tag, type MetricCatalog, type MetricKind } from '@algorithmia-datadog/metric-declaration';
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
  private targets = new Map<string, MetricTarget | null>();
  private nextTargetIndex = 0;
  private readonly tagSets = new Map<string, TagSet>();

  constructor(options: TranslatorOptions) {
    this.catalog = options.catalog;
    this.staticTags = options.staticTags ?? [];
    this.tagRequestIds = options.tagRequestIds ?? false;
    this.nowSeconds = options.nowSeconds ?? (() => Date.now() / 1000);
  }

  translate(insight: Insight): Translation {
    const points: Point[] = [];
    const dropped: PointDropReason[] = [];
    const age = this.nowSeconds() - insight.timestamp;
    const timeProblem: PointDropReason | undefined =
      age > MAX_POINT_AGE_SECONDS ? 'too_old' : age < -MAX_POINT_LEAD_SECONDS ? 'too_far_in_future' : undefined;
    let tagSet: TagSet | undefined;

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
      if (target === null) {
        dropped.push(this.catalog.onlyDeclared ? 'undeclared' : 'invalid_name');
        continue;
      }
      if (timeProblem) {
        dropped.push(timeProblem);
        continue;
      }
      tagSet ??= this.tagsFor(insight);
      const series = (tagSet.series[target.index] ??= { metric: target.name, kind: target.kind, tags: tagSet.tags, unit: target.unit });
      points.push({ series, timestamp: insight.timestamp, value });
    }
    return { points, dropped };
  }

  /** The metric a key maps to, or null when it is not sent (invalid name, or undeclared). */
  private target(key: string): MetricTarget | null {
    let target = this.targets.get(key);
    if (target !== undefined) return target;
    if (this.targets.size >= CACHE_LIMIT) {
      // Target indexes restart, so the series made with the old ones must go too.
      this.targets = new Map();
      this.nextTargetIndex = 0;
      this.tagSets.clear();
    }
    const declared = this.catalog.lookup(key);
    if (declared) {
      target = { name: declared.name, kind: declared.kind, unit: declared.unit, index: this.nextTargetIndex++ };
    } else if (this.catalog.onlyDeclared) {
      target = null;
    } else {
      const name = metricNameForKey(this.catalog.prefix, key);
      target = name === undefined ? null : { name, kind: 'gauge', index: this.nextTargetIndex++ };
    }
    this.targets.set(key, target);
    return target;
  }

  private tagsFor(insight: Insight): TagSet {
    const ids = this.tagRequestIds ? `\u0001${insight.requestId ?? ''}\u0001${insight.sessionId ?? ''}` : '';
    const key = `${insight.algorithmName ?? ''}\u0001${insight.algorithmVersion ?? ''}\u0001${insight.algorithmOwner ?? ''}${ids}`;
    let tagSet = this.tagSets.get(key);
    if (tagSet) return tagSet;
    const tags: string[] = [];
    if (insight.algorithmName !== undefined) tags.push(tag('algorithm_name', insight.algorithmName));
    if (insight.algorithmVersion !== undefined) tags.push(tag('algorithm_version', insight.algorithmVersion));
    if (insight.algorithmOwner !== undefined) tags.push(tag('algorithm_owner', insight.algorithmOwner));
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

function nonNumericReason(value: unknown): PointDropReason {
  if (value === null || value === undefined) return 'null_value';
  if (typeof value === 'string') return 'string_value';
  if (Array.isArray(value)) return 'array_value';
  return 'nested_object';
}
