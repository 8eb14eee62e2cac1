import { parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { ALGORITHMS, InsightsGenerator, insightsTime, SLOW_THRESHOLD_MS } from '../../scripts/demo/insights';
import { ArrivalSummary, parsePrometheus, sampleBreakdown, sampleTotal } from '../../scripts/demo/live-summary';

/** A seeded random source, so that the traffic is the same on every run. */
function seeded(seed = 42): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('demo traffic', () => {
  const generator = new InsightsGenerator(seeded(), ALGORITHMS, 0.03);
  const now = new Date('2026-03-01T12:00:00.123Z');
  const messages = Array.from({ length: 3000 }, () => generator.next(now));
  const insights = messages.filter((message) => !message.malformed).map((message) => JSON.parse(message.value as string));

  it('writes time as Algorithmia does: ISO-8601 with microseconds and no zone', () => {
    expect(insightsTime(now, 7)).toBe('2026-03-01T12:00:00.123007');
    for (const insight of insights) expect(insight.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
  });

  it('has the operational fields and only numeric inference metrics', () => {
    for (const insight of insights) {
      expect(insight).toMatchObject({
        algorithm_name: expect.any(String),
        algorithm_owner: expect.any(String),
        algorithm_version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
        request_id: expect.stringMatching(/^req-[0-9a-f-]{36}$/),
        session_id: expect.stringMatching(/^rses-[0-9a-f-]{36}$/),
        duration_milliseconds: expect.any(Number),
      });
      expect(Number.isInteger(insight.duration_milliseconds)).toBe(true);
    }
    expect(new Set(insights.map((insight) => insight.algorithm_name))).toEqual(new Set(ALGORITHMS.map((algorithm) => algorithm.name)));
  });

  it('reports the metrics declared in config/metrics.json', () => {
    const declared = parseMetricDeclaration(require('../../config/metrics.json')).metrics.map((metric) => metric.key);
    const reported = new Set(insights.flatMap((insight) => Object.keys(insight)));
    for (const key of declared) expect(reported).toContain(key);
  });

  it('has an occasional slow run over the monitor threshold and a few malformed messages', () => {
    const slow = messages.filter((message) => message.slow);
    expect(slow.length).toBeGreaterThan(0);
    expect(slow.length).toBeLessThan(messages.length * 0.02);
    for (const message of slow) expect(JSON.parse(message.value as string).duration_milliseconds).toBeGreaterThan(SLOW_THRESHOLD_MS);
    const malformed = messages.filter((message) => message.malformed);
    expect(malformed.length / messages.length).toBeGreaterThan(0.01);
    expect(malformed.length / messages.length).toBeLessThan(0.06);
    expect(new Set(malformed.map((message) => message.malformed))).toEqual(new Set(['truncated_json', 'json_array', 'not_utf8', 'string_metric']));
  });
});

describe('demo live summary', () => {
  it('reads the forwarder counters from Prometheus text', () => {
    const samples = parsePrometheus(
      [
        '# HELP forwarder_messages_invalid_total Records that could not be decoded',
        '# TYPE forwarder_messages_invalid_total counter',
        'forwarder_messages_invalid_total{reason="not_json"} 2',
        'forwarder_messages_invalid_total{reason="not_utf8"} 1',
        'forwarder_messages_dead_lettered_total 3',
      ].join('\n'),
    );
    expect(sampleTotal(samples, 'forwarder_messages_invalid_total')).toBe(3);
    expect(sampleBreakdown(samples, 'forwarder_messages_invalid_total', 'reason')).toBe('not_json 2, not_utf8 1');
    expect(sampleTotal(samples, 'forwarder_messages_dead_lettered_total')).toBe(3);
  });

  it('counts per metric and algorithm, with last values, average duration and slow runs', () => {
    const summary = new ArrivalSummary();
    const nowSeconds = Math.floor(Date.now() / 1000);
    const tags = (name: string) => [`algorithm_name:${name}`, 'env:demo'];
    summary.add([
      { metric: 'algorithmia.duration_milliseconds', timestamp: nowSeconds, value: 20, tags: tags('credit_card_approval') },
      { metric: 'algorithmia.duration_milliseconds', timestamp: nowSeconds, value: 40, tags: tags('credit_card_approval') },
      { metric: 'algorithmia.risk_score', timestamp: nowSeconds, value: 0.42, tags: tags('credit_card_approval') },
      { metric: 'algorithmia.duration_milliseconds', timestamp: nowSeconds, value: 15_000, tags: tags('document_ocr') },
    ]);
    const text = summary.render({
      elapsedMs: 4000,
      generated: 3,
      malformedSent: 0,
      slowSent: 1,
      brokers: '127.0.0.1:19092',
      topic: 'algorithmia-insights',
      doubleUrl: 'http://127.0.0.1:1',
      forwarderUrl: 'http://127.0.0.1:2',
      requestsByStatus: new Map([[202, 2]]),
      forwarderMetrics: parsePrometheus('forwarder_messages_consumed_total{topic="t"} 3\nforwarder_messages_dead_lettered_total 0'),
      forwarderState: 'running',
      warnings: [],
    });
    expect(text).toMatch(/credit_card_approval +2 +30 +40 +0 +0\.42/);
    expect(text).toMatch(/document_ocr +1 +15000 +15000 +1 ⚠/);
    expect(text).toMatch(/algorithmia\.duration_milliseconds +3 +15000/);
    expect(text).toContain('4 points accepted in 2×202');
    expect(text).toMatch(/avg\(last_5m\) of duration_milliseconds = 5020 ms \(critical > 10000\) → OK/);
    expect(text).toContain('consumed 3 · invalid 0 · dead-lettered 0');
  });
});
