import { metricNameForKey, metricNameProblem } from './names';
import { unitProblem } from './units';
import { describeProblem, schemaChecker, syntaxProblem, type ConfigProblem } from './json-config';
import { JsonSyntaxError, readJsonFile } from './json-text';
import metricsSchema from './metrics.schema.json';
import { isReservedMetricKey } from './pipeline-metrics';

/**
 * How a declared metric is stored in Datadog. A gauge keeps the last value per series and second
 * (as the original integration did); a distribution keeps every value, for percentiles.
 */
export type DeclaredMetricKind = 'gauge' | 'distribution';
export const METRIC_KINDS: readonly DeclaredMetricKind[] = ['gauge', 'distribution'];
/**
 * Every kind the forwarder sends: the declared ones, and counts, which only the forwarder makes
 * (the execution count and its own health: pipeline-metrics.ts).
 */
export type MetricKind = DeclaredMetricKind | 'count';

/** One metric as a user declares it, keyed by its top-level key in the Insights message. */
export interface MetricDeclaration {
  /** Top-level key in the Insights message, e.g. `risk_score`. */
  readonly key: string;
  /** @default 'gauge' */
  readonly kind?: DeclaredMetricKind;
  /** A Datadog unit, e.g. `millisecond`, `fraction`. @default no unit */
  readonly unit?: string;
  /** Shown in Datadog's metric summary. @default '' */
  readonly description?: string;
  /**
   * Distributions only: percentile aggregations (`p95:` queries) enabled for the metric in the
   * organisation, by the stack that manages its metric metadata.
   * @default false
   */
  readonly percentiles?: boolean;
}

/** A declared metric with everything derived from it. */
export interface MetricDefinition {
  readonly key: string;
  /** Full Datadog name: `<prefix>.<key>`. */
  readonly name: string;
  readonly kind: DeclaredMetricKind;
  readonly unit?: string;
  readonly description: string;
  /** Whether percentile aggregations are to be enabled for it (distributions only). */
  readonly percentiles: boolean;
  /** True for the metric the platform adds to every message (`duration_milliseconds`). */
  readonly operational: boolean;
}

/** The content of the metric declaration file (`config/metrics.json`). */
export interface MetricDeclarationFile {
  /** @default 'algorithmia' */
  readonly prefix?: string;
  /**
   * When true the forwarder sends only declared metrics and counts the others as undeclared.
   * @default false
   */
  readonly onlyDeclared?: boolean;
  /** The `<USER-DEFINED>` row of the integration's metadata.csv, one entry per metric. */
  readonly inferenceMetrics?: readonly MetricDeclaration[];
}

export const DEFAULT_PREFIX = 'algorithmia';

/** The metric every Insights message carries, as in the integration's metadata.csv. */
export const OPERATIONAL_METRIC: MetricDeclaration = {
  key: 'duration_milliseconds',
  kind: 'gauge',
  unit: 'millisecond',
  description: 'Duration of algorithm run',
};

/**
 * Tag keys that name one execution (the forwarder adds them only with FORWARDER_TAG_REQUEST_IDS):
 * unbounded, so kept out of aggregations that are billed per tag combination, such as percentiles.
 */
export const PER_REQUEST_TAG_KEYS = ['request_id', 'session_id'] as const;

/** Fields the platform adds to every message that are not metrics. */
export const OPERATIONAL_FIELDS = [
  'algorithm_name',
  'algorithm_owner',
  'algorithm_version',
  ...PER_REQUEST_TAG_KEYS,
  'time',
  'timestamp',
] as const;

export class MetricDeclarationError extends Error {
  constructor(
    readonly source: string,
    /** Each at its key path (or at line and column), as data. */
    readonly problems: readonly ConfigProblem[],
  ) {
    super(`${source}: ${problems.map(describeProblem).join('; ')}`);
    this.name = 'MetricDeclarationError';
  }
}

export class MetricCatalog {
  readonly metrics: readonly MetricDefinition[];
  private readonly byKey: ReadonlyMap<string, MetricDefinition>;

  constructor(
    readonly prefix: string,
    readonly onlyDeclared: boolean,
    metrics: readonly MetricDefinition[],
  ) {
    this.metrics = metrics;
    this.byKey = new Map(metrics.map((m) => [m.key, m]));
  }

  /** The declared metric for a message key, if any. */
  lookup(key: string): MetricDefinition | undefined {
    return this.byKey.get(key);
  }

  get operational(): MetricDefinition {
    return this.metrics[0];
  }

  get inference(): readonly MetricDefinition[] {
    return this.metrics.slice(1);
  }
}

const checkSchema = schemaChecker(metricsSchema);

/**
 * Checks a declaration against metrics.schema.json (the shape, which editors check too), then the
 * Datadog rules (names, units, duplicates). Every problem is reported at once, each naming the
 * key path it is about, so that one synth or one forwarder start shows everything to fix.
 */
export function parseMetricDeclaration(input: unknown, source = 'metric declaration'): MetricCatalog {
  const problems = checkSchema(input);
  const file = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {}) as Record<string, unknown>;

  const prefix = typeof file.prefix === 'string' ? file.prefix : DEFAULT_PREFIX;
  const prefixProblem = prefix === '' ? undefined : metricNameProblem(prefix);
  if (prefixProblem) problems.push(wholeFile(`"prefix" "${prefix}" is not a valid metric name: ${prefixProblem}`));
  const onlyDeclared = file.onlyDeclared === true;

  const definitions: MetricDefinition[] = [define(OPERATIONAL_METRIC, prefix, true)];
  const seen = new Map<string, string>([[definitions[0].name, 'the operational metric']]);
  (Array.isArray(file.inferenceMetrics) ? file.inferenceMetrics : []).forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null || typeof (entry as MetricDeclaration).key !== 'string') return; // the schema said why
    const where = `inferenceMetrics[${index}]`;
    const at = (message: string): ConfigProblem => ({
      path: where,
      segments: ['inferenceMetrics', String(index)],
      message: `: ${message}`,
    });
    const entryProblems = datadogProblems(entry as MetricDeclaration, prefix);
    if (entryProblems.length > 0) {
      problems.push(...entryProblems.map(at));
      return;
    }
    const definition = define(entry as MetricDeclaration, prefix, false);
    const previous = seen.get(definition.name);
    if (previous) {
      problems.push(at(`metric "${definition.name}" is declared twice (also ${previous}): remove one of them`));
      return;
    }
    seen.set(definition.name, where);
    definitions.push(definition);
  });

  if (problems.length > 0) throw new MetricDeclarationError(source, problems);
  return new MetricCatalog(prefix, onlyDeclared, definitions);
}

/** Reads and checks the declaration file; errors name the file (and line and column for JSON syntax). */
export function loadMetricDeclaration(path: string): MetricCatalog {
  let json: unknown;
  try {
    json = readJsonFile(path);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new MetricDeclarationError(path, [syntaxProblem(error)]);
    throw new MetricDeclarationError(path, [
      wholeFile(`cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`),
    ]);
  }
  return parseMetricDeclaration(json, path);
}

function wholeFile(message: string): ConfigProblem {
  return { path: '', segments: [], message };
}

/** What Datadog and the Insights message format add to the schema's rules. */
function datadogProblems(entry: MetricDeclaration, prefix: string): string[] {
  const problems: string[] = [];
  const { key, unit } = entry;
  if (key.length === 0) return problems; // the schema said why
  const name = prefix ? `${prefix}.${key}` : key;
  const problem = metricNameProblem(name);
  if (problem) {
    const repaired = metricNameForKey(prefix, key);
    const hint = repaired
      ? `; the forwarder would send it as "${repaired}", declare key "${repaired.slice(prefix ? prefix.length + 1 : 0)}"`
      : '';
    problems.push(`Datadog would reject metric name "${name}": ${problem}${hint}`);
  }
  if ((OPERATIONAL_FIELDS as readonly string[]).includes(key)) {
    problems.push(`"${key}" is an operational field of every Insights message, not a metric: remove this entry`);
  }
  if (isReservedMetricKey(key)) {
    problems.push(
      `"${key}" is reserved: the forwarder sends its own metrics as "${name}" and under it; declare the value under another key`,
    );
  }
  if (typeof unit === 'string') {
    const unitIssue = unitProblem(unit);
    if (unitIssue) problems.push(`"unit" ${JSON.stringify(unit)}: ${unitIssue}`);
  }
  if (entry.percentiles === true && entry.kind !== 'distribution') {
    problems.push(
      `"percentiles" is true, but "${key}" is a ${entry.kind ?? 'gauge'}: Datadog computes percentiles only for distributions. ` +
        'Declare it with "kind": "distribution", or remove "percentiles"',
    );
  }
  return problems;
}

function define(declaration: MetricDeclaration, prefix: string, operational: boolean): MetricDefinition {
  return {
    key: declaration.key,
    name: prefix ? `${prefix}.${declaration.key}` : declaration.key,
    kind: declaration.kind ?? 'gauge',
    ...(declaration.unit !== undefined ? { unit: declaration.unit } : {}),
    description: declaration.description ?? '',
    percentiles: declaration.percentiles === true,
    operational,
  };
}
