/**
 * What a traffic or pipeline monitor watches, in words, from its query: a reviewer reads "no
 * executions of an algorithm for 30 minutes" faster than the `sum(last_30m):...as_count() < 1`
 * beside it. The shapes are those the constructs write (constructs/monitors/); the metric names are
 * the shared declaration's, under any prefix. Other queries have no words (undefined).
 */
import { EXECUTIONS_METRIC, FORWARDER_HEALTH_METRICS } from '@algorithmia-datadog/metric-declaration';

const escaped = (suffix: string) => suffix.replace(/\./g, '\\.');
/** `<prefix>.<suffix>`, or the suffix alone for an empty prefix. */
const metric = (suffix: string) => `(?:[\\w.]+\\.)?${escaped(suffix)}`;
const groups = '(?: by \\{([^}]*)\\})?';
const H = FORWARDER_HEALTH_METRICS;

const per = (keys: string | undefined) =>
  keys
    ? ` per ${keys
        .split(',')
        .map((key) => `\`${key}\``)
        .join(' and ')}`
    : '';
const window = (value: string) =>
  value.replace(/^last_(\d+)([mhdw])$/, (_all, n: string, unit: string) => {
    const word = { m: 'minute', h: 'hour', d: 'day', w: 'week' }[unit as 'm' | 'h' | 'd' | 'w'];
    return n === '1' ? `1 ${word}` : `${n} ${word}s`;
  });

const SILENT_MODEL = new RegExp(`^sum\\(last_(\\d+)m\\):sum:${metric(EXECUTIONS_METRIC.suffix)}\\{[^}]*\\}${groups}\\.as_count\\(\\) < 1$`);

const SHAPES: ReadonlyArray<readonly [RegExp, (match: RegExpExecArray) => string]> = [
  [SILENT_MODEL, (match) => `no executions${per(match[2])} for ${match[1]} minutes`],
  [
    new RegExp(
      `^pct_change\\(sum\\((last_\\w+)\\),(last_\\w+)\\):sum:${metric(EXECUTIONS_METRIC.suffix)}\\{[^}]*\\}${groups}\\.as_count\\(\\) < -([\\d.]+)$`,
    ),
    (match) => `executions over ${window(match[1])}${per(match[3])} down more than ${match[4]} % against ${window(match[2])} before`,
  ],
  [
    new RegExp(`^sum\\(last_(\\d+)m\\):sum:${metric(H.heartbeat.suffix)}\\{[^}]*\\}\\.as_count\\(\\) < 1$`),
    (match) => `no forwarder heartbeat for ${match[1]} minutes`,
  ],
  [
    new RegExp(`^max\\((last_\\w+)\\):max:${metric(H.consumerLagSeconds.suffix)}\\{[^}]*\\}${groups} > ([\\d.]+)$`),
    (match) => `forwarder more than ${match[3]} s behind Kafka${per(match[2])} over ${window(match[1])}`,
  ],
  [
    new RegExp(`^sum\\((last_\\w+)\\):sum:${metric(H.messagesDeadLettered.suffix)}\\{[^}]*\\}${groups}\\.as_count\\(\\) > 0$`),
    (match) => `any record dead-lettered${per(match[2])} in ${window(match[1])}`,
  ],
  [
    new RegExp(`^sum\\((last_\\w+)\\):sum:${metric(H.pointsRejected.suffix)}\\{[^}]*\\}${groups}\\.as_count\\(\\) > 0$`),
    (match) => `any point rejected by Datadog${per(match[2])} in ${window(match[1])}`,
  ],
];

/** The words for a traffic or pipeline monitor's query; undefined for other monitors. */
export function monitorWords(query: unknown): string | undefined {
  if (typeof query !== 'string') return undefined;
  for (const [shape, words] of SHAPES) {
    const match = shape.exec(query);
    if (match) return words(match);
  }
  return undefined;
}

/** Whether a query is the silent-model monitor's (no executions for a while): what a time-slice SLO does not see. */
export function isSilentModelQuery(query: unknown): boolean {
  return typeof query === 'string' && SILENT_MODEL.test(query);
}

/** What `on_missing_data` makes of an evaluation without points. */
export function missingDataWords(value: unknown): string | undefined {
  const words: Record<string, string> = {
    default: 'a sum or count is 0, other aggregations keep their last status',
    resolve: 'OK',
    show_no_data: 'shows NO DATA',
    show_and_notify_no_data: 'shows NO DATA and notifies',
  };
  return typeof value === 'string' ? (words[value] ?? value) : undefined;
}
