/**
 * The bad-input corpus: Kafka record values an Insights topic can hold, each with what the
 * forwarder must make of it. Shared by test/integration/bad-input-corpus.test.ts and
 * bench/corpus.ts. Every case is accounted for in exactly one of three ways:
 *   - `invalid`: the record cannot be decoded at all: counted in forwarder_messages_invalid_total
 *     by that reason and written to the dead-letter topic;
 *   - `points`: the values that must reach Datadog (metric → value);
 *   - `dropped`: values found and deliberately not sent, by forwarder_points_dropped_total reason.
 * A case may have both points and dropped (a partly bad message: its good metrics still go).
 * Besides, a decodable message with an algorithm name is one execution, added to
 * `algorithmia.executions` (docs/running.md "Execution counts"), unless `executions` says 0.
 *
 * Values are chosen unique across the corpus (7000 + case number, and so on) so a point in the
 * double says which case it came from.
 */

export interface CorpusCase {
  readonly name: string;
  /** The record value: text is sent as UTF-8, null is a tombstone. */
  readonly value: (nowMs: number) => string | Buffer | null;
  readonly invalid?: 'empty' | 'not_utf8' | 'not_json' | 'not_an_object' | 'no_time';
  readonly points?: Readonly<Record<string, number>>;
  readonly dropped?: Readonly<Record<string, number>>;
  /** Executions it counts: 0 without an algorithm name, or when its time is out of Datadog's window. @default 1 unless invalid */
  readonly executions?: 0;
  /** The forwarder does not do this yet: file:line and why. Run apart, as an expected failure. */
}

/** Insights time format (UTC, microseconds, no zone). */
function isoTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 23)}000`;
}

const ops = (nowMs: number, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  algorithm_name: 'corpus_algo',
  algorithm_owner: 'corpus',
  algorithm_version: '1.0.0',
  request_id: 'req-corpus',
  session_id: 'rses-corpus',
  time: isoTime(nowMs - 30_000),
  ...overrides,
});

/** A message of operational fields plus `metrics`, as JSON text. */
const message =
  (metrics: Record<string, unknown>, overrides: Record<string, unknown> = {}) =>
  (nowMs: number) =>
    JSON.stringify({ ...ops(nowMs, overrides), ...metrics });

/** Raw JSON text with the operational fields spliced in front of `body` (for what JSON.stringify cannot write). */
const raw = (body: string) => (nowMs: number) => `${JSON.stringify(ops(nowMs)).slice(0, -1)},${body}}`;

const P = 'algorithmia.';

export const CORPUS: readonly CorpusCase[] = [
  // ---- undecodable records ------------------------------------------------------------------
  { name: 'invalid JSON (truncated)', value: (now) => message({ risk_score: 7001 })(now).slice(0, 40), invalid: 'not_json' },
  { name: 'invalid JSON (single quotes)', value: () => "{'risk_score': 0.2}", invalid: 'not_json' },
  {
    name: 'non-UTF-8 bytes',
    value: (now) => Buffer.concat([Buffer.from(message({ risk_score: 7003 })(now).slice(0, -1)), Buffer.from([0xff, 0xfe, 0x7d])]),
    invalid: 'not_utf8',
  },
  {
    name: 'Latin-1 encoded text',
    value: (now) => Buffer.from(message({ risk_score: 7004 }, { algorithm_name: 'crédit' })(now), 'latin1'),
    invalid: 'not_utf8',
  },
  { name: 'truncated UTF-8 sequence', value: () => Buffer.from([0x7b, 0x22, 0xe2, 0x82]), invalid: 'not_utf8' },
  { name: 'empty value', value: () => Buffer.alloc(0), invalid: 'empty' },
  { name: 'null value (tombstone)', value: () => null, invalid: 'empty' },
  { name: 'whitespace only', value: () => '   \n', invalid: 'not_json' },
  { name: 'byte order mark before JSON', value: (now) => `\uFEFF${message({ risk_score: 7009 })(now)}`, invalid: 'not_json' },
  { name: 'JSON null', value: () => 'null', invalid: 'not_an_object' },
  { name: 'JSON array of messages', value: (now) => `[${message({ risk_score: 7011 })(now)}]`, invalid: 'not_an_object' },
  { name: 'JSON string', value: () => '"risk_score"', invalid: 'not_an_object' },
  { name: 'JSON number', value: () => '42', invalid: 'not_an_object' },
  {
    name: 'two JSON objects in one record',
    value: (now) => `${message({ risk_score: 7014 })(now)}${message({ risk_score: 7015 })(now)}`,
    invalid: 'not_json',
  },

  // ---- operational fields missing or of the wrong type ---------------------------------------
  {
    name: 'missing every operational field',
    value: (now) => JSON.stringify({ time: isoTime(now - 30_000), risk_score: 7101 }),
    points: { [`${P}risk_score`]: 7101 },
    executions: 0,
  },
  {
    name: 'missing time and timestamp (record time used)',
    value: (now) => {
      const m = ops(now);
      delete m.time;
      return JSON.stringify({ ...m, risk_score: 7102 });
    },
    points: { [`${P}risk_score`]: 7102 },
  },
  {
    name: 'missing algorithm_name',
    value: (now) => {
      const m = ops(now);
      delete m.algorithm_name;
      return JSON.stringify({ ...m, risk_score: 7103 });
    },
    points: { [`${P}risk_score`]: 7103 },
    executions: 0,
  },
  { name: 'algorithm_name a number', value: message({ risk_score: 7104 }, { algorithm_name: 7 }), points: { [`${P}risk_score`]: 7104 } },
  {
    name: 'algorithm_version an object',
    value: message({ risk_score: 7105 }, { algorithm_version: { major: 1 } }),
    points: { [`${P}risk_score`]: 7105 },
  },
  {
    name: 'time not a time ("yesterday")',
    value: message({ risk_score: 7106 }, { time: 'yesterday' }),
    points: { [`${P}risk_score`]: 7106 },
  },
  {
    name: 'time an impossible date',
    value: message({ risk_score: 7107 }, { time: '2021-13-45T25:61:00.000000' }),
    points: { [`${P}risk_score`]: 7107 },
  },
  {
    name: 'time as epoch seconds',
    value: (now) => message({ risk_score: 7108 }, { time: Math.floor(now / 1000) - 30 })(now),
    points: { [`${P}risk_score`]: 7108 },
  },
  {
    name: 'time as epoch milliseconds',
    value: (now) => message({ risk_score: 7109 }, { time: now - 30_000 })(now),
    points: { [`${P}risk_score`]: 7109 },
  },
  {
    name: 'time with a zone suffix',
    value: (now) => message({ risk_score: 7110 }, { time: new Date(now - 30_000).toISOString() })(now),
    points: { [`${P}risk_score`]: 7110 },
  },
  {
    name: 'timestamp instead of time',
    value: (now) => {
      const m = ops(now);
      delete m.time;
      return JSON.stringify({ ...m, timestamp: isoTime(now - 30_000), risk_score: 7111 });
    },
    points: { [`${P}risk_score`]: 7111 },
  },
  {
    name: 'time far in the past (2001)',
    value: message({ risk_score: 7112, duration_milliseconds: 7112 }, { time: '2001-02-20T00:21:54.867231' }),
    // The two values and the execution.
    dropped: { too_old: 3 },
    executions: 0,
  },
  {
    name: 'time far in the future (2100)',
    value: message({ risk_score: 7113 }, { time: '2100-02-20T00:21:54.867231' }),
    dropped: { too_far_in_future: 2 },
    executions: 0,
  },
  {
    name: 'tag values with spaces and unicode',
    value: message({ risk_score: 7114 }, { algorithm_name: 'crédit card ✓', algorithm_owner: 'Ünïcode Owner' }),
    points: { [`${P}risk_score`]: 7114 },
  },

  // ---- metric values of the wrong type ------------------------------------------------------
  {
    name: 'number as string',
    value: message({ risk_score: '0.2', confidence: 7201 }),
    points: { [`${P}confidence`]: 7201 },
    dropped: { string_value: 1 },
  },
  {
    name: 'null metric',
    value: message({ risk_score: null, confidence: 7202 }),
    points: { [`${P}confidence`]: 7202 },
    dropped: { null_value: 1 },
  },
  {
    name: 'booleans (sent as 1 and 0)',
    value: message({ approved: true, rejected: false, confidence: 7203 }),
    points: { [`${P}approved`]: 1, [`${P}rejected`]: 0, [`${P}confidence`]: 7203 },
  },
  {
    name: 'NaN (Python json)',
    value: raw('"risk_score":NaN,"confidence":7204'),
    points: { [`${P}confidence`]: 7204 },
    dropped: { not_finite: 1 },
  },
  {
    name: 'Infinity and -Infinity (Python json)',
    value: raw('"upper":Infinity,"lower":-Infinity,"confidence":7205'),
    points: { [`${P}confidence`]: 7205 },
    dropped: { not_finite: 2 },
  },
  {
    name: '"NaN" inside a string value',
    value: raw('"label":"NaN and Infinity","confidence":7206'),
    points: { [`${P}confidence`]: 7206 },
    dropped: { string_value: 1 },
  },
  {
    name: 'nested object',
    value: message({ scores: { a: 1, b: 2 }, confidence: 7207 }),
    points: { [`${P}confidence`]: 7207 },
    dropped: { nested_object: 1 },
  },
  {
    name: 'array value',
    value: message({ scores: [1, 2, 3], confidence: 7208 }),
    points: { [`${P}confidence`]: 7208 },
    dropped: { array_value: 1 },
  },
  {
    name: 'number overflowing to Infinity (1e400)',
    value: raw('"huge":1e400,"confidence":7209'),
    points: { [`${P}confidence`]: 7209 },
    dropped: { not_finite: 1 },
  },
  {
    name: 'huge and tiny finite numbers',
    value: raw('"huge":1.7976931348623157e308,"tiny":5e-324,"negative":-1e300,"confidence":7210'),
    points: { [`${P}huge`]: 1.7976931348623157e308, [`${P}tiny`]: 5e-324, [`${P}negative`]: -1e300, [`${P}confidence`]: 7210 },
  },
  {
    name: 'integer beyond 2^53',
    value: raw('"big":12345678901234567890,"confidence":7211'),
    points: { [`${P}big`]: 12345678901234567000, [`${P}confidence`]: 7211 },
  },
  {
    name: 'duplicate keys (last wins, as JSON.parse)',
    value: raw('"dup_metric":1,"dup_metric":7212'),
    points: { [`${P}dup_metric`]: 7212 },
  },

  // ---- metric names ---------------------------------------------------------------------------
  {
    name: "metric names of the forwarder's own metrics",
    value: message({ executions: 7309, 'forwarder.heartbeat': 7310, forwarder: 7311, confidence: 7312 }),
    points: { [`${P}confidence`]: 7312 },
    dropped: { reserved_name: 3 },
  },
  { name: 'metric name with spaces', value: message({ 'risk score': 7301 }), points: { [`${P}risk_score`]: 7301 } },
  { name: 'metric name with unicode', value: message({ précision: 7302 }), points: { [`${P}pr_cision`]: 7302 } },
  {
    name: 'metric name only non-ASCII',
    value: message({ 数据: 7303, confidence: 7303 }),
    points: { [`${P}confidence`]: 7303 },
    dropped: { invalid_name: 1 },
  },
  { name: 'metric name with a leading digit', value: message({ '1st_score': 7304 }), points: { [`${P}1st_score`]: 7304 } },
  {
    name: 'empty metric name',
    value: message({ '': 7305, confidence: 7305 }),
    points: { [`${P}confidence`]: 7305 },
    dropped: { invalid_name: 1 },
  },
  {
    name: 'metric name longer than 200 characters',
    value: message({ ['m'.repeat(250)]: 7306, confidence: 7306 }),
    points: { [`${P}confidence`]: 7306 },
    dropped: { invalid_name: 1 },
  },
  {
    name: 'metric name __proto__',
    value: raw('"__proto__":7307,"confidence":7307.5'),
    points: { [`${P}proto`]: 7307, [`${P}confidence`]: 7307.5 },
  },
  {
    name: 'metric name __proto__ holding an object',
    value: raw('"__proto__":{"injected":1},"confidence":7308'),
    points: { [`${P}confidence`]: 7308 },
    dropped: { nested_object: 1 },
  },

  // ---- size and shape -------------------------------------------------------------------------
  {
    name: 'a 1 MB message (one huge string field)',
    value: message({ notes: 'x'.repeat(1_000_000), confidence: 7401 }),
    points: { [`${P}confidence`]: 7401 },
    dropped: { string_value: 1 },
  },
  {
    name: 'more than 25 metrics (30)',
    value: message(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`m${i}`, 7402 + i / 100]))),
    points: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`${P}m${i}`, 7402 + i / 100])),
  },
  { name: 'operational fields only, no metrics', value: (now) => JSON.stringify(ops(now)) },
];
