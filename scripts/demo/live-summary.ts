import { DEFAULT_PREFIX, EXECUTIONS_METRIC, pipelineMetricName } from '@algorithmia-datadog/metric-declaration';
import { SLOW_THRESHOLD_MS } from './insights';
import { CountPoints } from './count-points';
import { ForwarderHealth } from './forwarder-health';
import { clock } from './monitor-transitions';

/** A point as the Datadog double records it (the fields the summary needs). */
export interface ReceivedPoint {
  readonly metric: string;
  readonly timestamp: number;
  readonly value?: number;
  readonly values?: readonly number[];
  readonly tags: readonly string[];
  /** As the double received it: `count` points are kept as Datadog keeps them (count-points.ts). */
  readonly type?: string;
}

interface MetricStats {
  points: number;
  last?: number;
}

interface AlgorithmStats {
  runs: number;
  durationSum: number;
  durationMax: number;
  slow: number;
  /** metric name (without prefix) → last value */
  last: Map<string, number>;
}

/** Prometheus text → metric name → (label set → value). */
export type PrometheusSamples = Map<string, Map<string, number>>;

export function parsePrometheus(text: string): PrometheusSamples {
  const samples: PrometheusSamples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[3]);
    if (!Number.isFinite(value)) continue;
    const byLabels = samples.get(match[1]) ?? new Map<string, number>();
    byLabels.set(match[2] ?? '', value);
    samples.set(match[1], byLabels);
  }
  return samples;
}

export function sampleTotal(samples: PrometheusSamples, name: string): number {
  let total = 0;
  for (const value of samples.get(name)?.values() ?? []) total += value;
  return total;
}

/** `reason=count` pairs of a counter labelled by `label`, e.g. `not_json 2, not_an_object 1`. */
export function sampleBreakdown(samples: PrometheusSamples, name: string, label: string): string {
  const parts: string[] = [];
  for (const [labels, value] of samples.get(name) ?? []) {
    if (value === 0) continue;
    const match = new RegExp(`${label}="([^"]*)"`).exec(labels);
    parts.push(`${match ? match[1] : 'other'} ${value}`);
  }
  return parts.join(', ');
}

export interface SummaryContext {
  readonly elapsedMs: number;
  readonly generated: number;
  readonly malformedSent: number;
  readonly slowSent: number;
  readonly brokers: string;
  readonly topic: string;
  readonly doubleUrl: string;
  readonly forwarderUrl: string;
  readonly requestsByStatus: ReadonlyMap<number, number>;
  readonly forwarderMetrics?: PrometheusSamples;
  readonly forwarderState: string;
  readonly warnings: readonly string[];
  /** The configured monitors' conditions on the traffic (MonitorConditions.render), and whose they are. */
  readonly monitors?: { readonly environment: string; readonly lines: readonly string[] };
  /** The monitors' latest state changes (MonitorTransitions), for a screen that redraws in place. */
  readonly transitions?: readonly string[];
  /** Forwarder processes started after the first (the outage scenario): /metrics is the current one's. */
  readonly forwarderRestarts?: number;
  /** POSIX seconds; now unless given. */
  readonly nowSeconds?: number;
}

/** Everything the Datadog double accepted, aggregated as it arrives. */
export class ArrivalSummary {
  private readonly metrics = new Map<string, MetricStats>();
  private readonly algorithms = new Map<string, AlgorithmStats>();
  /** [timestamp s, duration ms] of recent runs, for the monitor's window. */
  private readonly durations: Array<[number, number]> = [];
  private totalPoints = 0;
  /** Points of the forwarder's own metrics: its /metrics counts the data it sends, not its reports. */
  private healthPoints = 0;
  private readonly health: ForwarderHealth;
  /** The execution counts the forwarder sent, one per series and second (the last write). */
  private readonly executions = new CountPoints();
  private readonly executionsMetric: string;

  constructor(
    private readonly prefix = DEFAULT_PREFIX,
    /** The duration monitor's window, seconds (the integration's last_5m). */
    private readonly windowSeconds = 300,
  ) {
    this.health = new ForwarderHealth(prefix);
    this.executionsMetric = pipelineMetricName(prefix, EXECUTIONS_METRIC);
  }

  add(points: readonly ReceivedPoint[]): void {
    const durationMetric = `${this.prefix}.duration_milliseconds`;
    this.health.add(points);
    for (const point of points) {
      const value = point.value ?? point.values?.[point.values.length - 1];
      if (value === undefined) continue;
      // A distribution point carries the values of one second: each is a point, as the forwarder counts.
      const values = point.values?.length ?? 1;
      this.totalPoints += values;
      if (this.health.isHealthMetric(point.metric)) this.healthPoints += values;
      const metric = this.metrics.get(point.metric) ?? { points: 0 };
      metric.points += values;
      metric.last = value;
      this.metrics.set(point.metric, metric);

      // The forwarder's own metrics belong to no algorithm: the health line says what they tell.
      if (this.health.isHealthMetric(point.metric)) continue;
      if (point.metric === this.executionsMetric) {
        this.executions.add([point]);
        continue;
      }
      const algorithm = rowOf(point.tags);
      const stats = this.algorithms.get(algorithm) ?? { runs: 0, durationSum: 0, durationMax: 0, slow: 0, last: new Map() };
      this.algorithms.set(algorithm, stats);
      if (point.metric === durationMetric) {
        stats.runs += 1;
        stats.durationSum += value;
        stats.durationMax = Math.max(stats.durationMax, value);
        if (value > SLOW_THRESHOLD_MS) stats.slow += 1;
        this.durations.push([point.timestamp, value]);
      } else {
        stats.last.set(point.metric.startsWith(`${this.prefix}.`) ? point.metric.slice(this.prefix.length + 1) : point.metric, value);
      }
    }
  }

  /** Executions per table row (`name version`), from the counts as Datadog keeps them. */
  private executionsByRow(): Map<string, number> {
    const byRow = new Map<string, number>();
    for (const point of this.executions.points()) {
      const row = rowOf(point.tags);
      byRow.set(row, (byRow.get(row) ?? 0) + (point.value ?? 0));
    }
    return byRow;
  }

  /** The forwarder's own metrics in one row (a dozen of them): the health line says what they tell. */
  private healthRow(): string[][] {
    const health = [...this.metrics].filter(([name]) => this.health.isHealthMetric(name));
    if (health.length === 0) return [];
    const points = health.reduce((sum, [, stats]) => sum + stats.points, 0);
    return [[`${this.health.namespace}* (${health.length} metrics)`, String(points), '']];
  }

  get points(): number {
    return this.totalPoints;
  }

  /** What the "Excessive Algorithm Runtime" query would see: avg duration over the window. */
  windowAverage(nowSeconds = Date.now() / 1000): number | undefined {
    while (this.durations.length > 0 && this.durations[0][0] < nowSeconds - this.windowSeconds) this.durations.shift();
    if (this.durations.length === 0) return undefined;
    return this.durations.reduce((sum, [, value]) => sum + value, 0) / this.durations.length;
  }

  render(context: SummaryContext): string {
    const lines: string[] = [];
    lines.push(`── Algorithmia Insights → Kafka → forwarder → Datadog double ── ${clock(context.elapsedMs / 1000)} ─────────────`);
    lines.push(
      `Kafka ${context.brokers} topic ${context.topic} · forwarder ${context.forwarderUrl} (${context.forwarderState}) · double ${context.doubleUrl}`,
    );
    const requests = [...context.requestsByStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${count}×${status}`)
      .join(' ');
    lines.push(
      `generator: ${context.generated} messages (${context.malformedSent} malformed, ${context.slowSent} slow)` +
        ` · double: ${this.totalPoints} points accepted in ${requests || 'no requests yet'}`,
    );
    lines.push('');

    const extraMetrics = [...new Set([...this.algorithms.values()].flatMap((stats) => [...stats.last.keys()]))].sort();
    const executions = this.executionsByRow();
    // Once the forwarder sends execution counts: beside the runs (duration points), which they should match.
    const withExecutions = this.executions.size > 0;
    const header = [
      'algorithm',
      'runs',
      ...(withExecutions ? ['executions'] : []),
      'avg ms',
      'max ms',
      `>${SLOW_THRESHOLD_MS / 1000}s`,
      ...extraMetrics.map((name) => `last ${name}`),
    ];
    const rowNames = [...new Set([...this.algorithms.keys(), ...executions.keys()])].sort((a, b) => a.localeCompare(b));
    const rows = rowNames
      .map((name) => [name, this.algorithms.get(name) ?? { runs: 0, durationSum: 0, durationMax: 0, slow: 0, last: new Map() }] as const)
      .map(([name, stats]) => [
        name,
        String(stats.runs),
        ...(withExecutions ? [String(executions.get(name) ?? 0)] : []),
        stats.runs > 0 ? String(Math.round(stats.durationSum / stats.runs)) : '-',
        stats.runs > 0 ? String(Math.round(stats.durationMax)) : '-',
        stats.slow > 0 ? `${stats.slow} ⚠` : '0',
        ...extraMetrics.map((metric) => (stats.last.has(metric) ? String(stats.last.get(metric)) : '')),
      ]);
    if (rows.length === 0) lines.push('  (nothing has reached the double yet)');
    else lines.push(...table(header, rows));
    lines.push('');

    lines.push(
      ...table(
        ['metric', 'points', 'last value'],
        [...this.metrics.entries()]
          .filter(([name]) => !this.health.isHealthMetric(name))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, stats]) => [name, String(stats.points), String(stats.last ?? '')])
          .concat(this.healthRow()),
      ),
    );
    lines.push('');

    const average = this.windowAverage();
    const verdict = average === undefined ? 'no data yet' : average > SLOW_THRESHOLD_MS ? 'ALERT' : 'OK';
    lines.push(
      `monitor "Excessive Algorithm Runtime": avg(last_5m) of duration_milliseconds = ${average === undefined ? '-' : `${Math.round(average)} ms`}` +
        ` (critical > ${SLOW_THRESHOLD_MS}) → ${verdict}; single slow runs show above as ⚠`,
    );

    if (context.monitors) {
      lines.push(
        `monitors of environment "${context.monitors.environment}" (config/environments.json), on what the double received in each window:`,
      );
      lines.push(...context.monitors.lines);
    }

    if (context.transitions && context.transitions.length > 0) {
      lines.push('monitor state changes (latest last):');
      lines.push(...context.transitions.map((line) => `  ${line}`));
    }
    lines.push(this.health.render(context.nowSeconds));
    const samples = context.forwarderMetrics;
    if (samples) {
      const invalid = sampleTotal(samples, 'forwarder_messages_invalid_total');
      const dropped = sampleTotal(samples, 'forwarder_points_dropped_total');
      const sent = sampleTotal(samples, 'forwarder_points_sent_total');
      lines.push(
        `forwarder /metrics: consumed ${sampleTotal(samples, 'forwarder_messages_consumed_total')}` +
          ` · invalid ${invalid}${invalid > 0 ? ` (${sampleBreakdown(samples, 'forwarder_messages_invalid_total', 'reason')})` : ''}` +
          ` · dead-lettered ${sampleTotal(samples, 'forwarder_messages_dead_lettered_total')}` +
          ` · values dropped ${dropped}${dropped > 0 ? ` (${sampleBreakdown(samples, 'forwarder_points_dropped_total', 'reason')})` : ''}` +
          ` · points sent ${sent}${
            context.forwarderRestarts
              ? ` by the current process (restarted ${context.forwarderRestarts}×: the killed one's counters died with it)`
              : sentNote(sent, this.totalPoints - this.healthPoints, this.healthPoints)
          }` +
          ` · retries ${sampleTotal(samples, 'forwarder_retries_total')}`,
      );
    } else {
      lines.push('forwarder /metrics: not reachable yet');
    }
    if (context.warnings.length > 0) {
      lines.push('recent forwarder warnings:');
      for (const warning of context.warnings) lines.push(`  ${warning}`);
    }
    return lines.join('\n');
  }
}

/** The table row of a point: `name version`, one per version, so that a new version that behaves differently shows beside the old one. */
function rowOf(tags: readonly string[]): string {
  const name = tags.find((tag) => tag.startsWith('algorithm_name:'))?.slice('algorithm_name:'.length) ?? '(untagged)';
  const version = tags.find((tag) => tag.startsWith('algorithm_version:'))?.slice('algorithm_version:'.length);
  return version === undefined ? name : `${name} ${version}`;
}

/**
 * Why the forwarder's "points sent" and the double's "points accepted" may differ: /metrics is read
 * before the double's points, so the double may hold points whose 202 the forwarder had not yet
 * counted (in flight); after a retry, the double holds a point twice (at least once). `accepted`:
 * the data points; the `ownPoints` of the forwarder's health reports are not in /metrics' count.
 */
export function sentNote(sent: number, accepted: number, ownPoints = 0): string {
  if (sent === accepted) return ` (= accepted by the double${ownPoints > 0 ? `, besides its own metrics' ${ownPoints}` : ''})`;
  if (sent < accepted)
    return ` (${accepted - sent} fewer than the double accepted: answers still on their way when /metrics was read, or points sent twice after a retry)`;
  return ` (${sent - accepted} more than the double accepted: the double was read first)`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => [...(row[column] ?? '')].length)));
  const format = (row: readonly string[]) =>
    '  ' +
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)];
}
