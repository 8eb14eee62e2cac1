import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { ALGORITHMS, DRIFT_SECONDS, InsightsGenerator, insightsTime, SLOW_THRESHOLD_MS } from '../../scripts/demo/insights';
import { ArrivalSummary, parsePrometheus, ReceivedPoint, sampleBreakdown, sampleTotal, sentNote } from '../../scripts/demo/live-summary';
import { environmentMonitors } from '../../scripts/demo/environment-monitors';
import { MonitorConditions, parseThresholdQuery, SynthesizedMonitor } from '../../scripts/demo/monitor-conditions';

const ROOT = join(__dirname, '..', '..');

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
    expect(new Set(malformed.map((message) => message.malformed))).toEqual(
      new Set(['truncated_json', 'json_array', 'not_utf8', 'string_metric']),
    );
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

  it('counts each value of a distribution point, as the forwarder counts points sent, and says why the two may differ', () => {
    const summary = new ArrivalSummary();
    const nowSeconds = Math.floor(Date.now() / 1000);
    summary.add([
      { metric: 'algorithmia.churn_probability', timestamp: nowSeconds, values: [0.1, 0.2, 0.3], tags: ['algorithm_name:churn_predictor'] },
      { metric: 'algorithmia.duration_milliseconds', timestamp: nowSeconds, value: 500, tags: ['algorithm_name:churn_predictor'] },
    ]);
    const render = (sent: number) =>
      summary.render({
        elapsedMs: 2000,
        generated: 3,
        malformedSent: 0,
        slowSent: 0,
        brokers: '127.0.0.1:19092',
        topic: 'algorithmia-insights',
        doubleUrl: 'http://127.0.0.1:1',
        forwarderUrl: 'http://127.0.0.1:2',
        requestsByStatus: new Map([[202, 2]]),
        forwarderMetrics: parsePrometheus(
          `forwarder_points_sent_total{endpoint="series"} 1\nforwarder_points_sent_total{endpoint="distribution_points"} ${sent - 1}`,
        ),
        forwarderState: 'running',
        warnings: [],
      });
    expect(render(4)).toContain('4 points accepted in 2×202');
    expect(render(4)).toMatch(/algorithmia\.churn_probability +3 +0\.3/);
    expect(render(4)).toContain('points sent 4 (= accepted by the double)');
    expect(render(3)).toContain('points sent 3 (1 fewer than the double accepted: answers still on their way');
    expect(sentNote(5, 4)).toMatch(/1 more than the double accepted/);
  });
});

describe('demo traffic for model monitoring', () => {
  const start = new Date('2026-03-01T12:00:00Z');
  const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);

  it('has an algorithm that is always slow, but rare enough that the average over all stays under 10 s', () => {
    const generator = new InsightsGenerator(seeded(7), ALGORITHMS, 0);
    const insights = Array.from({ length: 3000 }, () => JSON.parse(generator.next(start).value as string));
    const durations = (filter: (insight: any) => boolean) => insights.filter(filter).map((insight) => insight.duration_milliseconds);
    const slow = durations((insight) => insight.algorithm_name === 'speech_to_text');
    expect(slow.length).toBeGreaterThan(100);
    expect(Math.min(...slow)).toBeGreaterThan(20_000);
    const all = durations(() => true);
    expect(all.reduce((sum, value) => sum + value, 0) / all.length).toBeLessThan(SLOW_THRESHOLD_MS);
  });

  it('has a new version whose risk score drifts towards 1 within DRIFT_SECONDS while the old one stays', () => {
    const generator = new InsightsGenerator(seeded(11), ALGORITHMS, 0);
    const riskScores = (seconds: number, version: string) =>
      Array.from({ length: 2000 }, () => JSON.parse(generator.next(at(seconds)).value as string))
        .filter((insight) => insight.algorithm_name === 'credit_card_approval' && insight.algorithm_version === version)
        .map((insight) => insight.risk_score as number);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const before = mean(riskScores(0, '1.1.0'));
    const after = mean(riskScores(DRIFT_SECONDS, '1.1.0'));
    expect(before).toBeLessThan(0.5);
    expect(after).toBeGreaterThan(0.97);
    expect(mean(riskScores(DRIFT_SECONDS, '1.0.6'))).toBeLessThan(0.5);
  });
});

describe('demo monitor conditions', () => {
  const now = 1_800_000_000;
  const point = (metric: string, value: number, name: string, version = '1.0.0', secondsAgo = 10): ReceivedPoint => ({
    metric,
    timestamp: now - secondsAgo,
    value,
    tags: [`algorithm_name:${name}`, `algorithm_version:${version}`, 'env:staging'],
  });
  const monitor = (name: string, query: string, critical: string, warning?: string): SynthesizedMonitor => ({
    name,
    query,
    monitor_thresholds: { critical, ...(warning ? { warning } : {}) },
  });

  it('takes a threshold query apart', () => {
    expect(
      parseThresholdQuery(
        'avg(last_10m):p95:algorithmia.churn_probability{env:staging,!team:x} by {algorithm_name,algorithm_version} >= 0.58',
      ),
    ).toEqual({
      timeAggregation: 'avg',
      windowSeconds: 600,
      spaceAggregation: 'p95',
      metric: 'algorithmia.churn_probability',
      scope: ['env:staging', '!team:x'],
      groupBy: ['algorithm_name', 'algorithm_version'],
      comparator: '>=',
      threshold: 0.58,
    });
    expect(
      parseThresholdQuery("avg(last_30m):outliers(avg:algorithmia.risk_score{*} by {algorithm_version}, 'dbscan', 3) > 0"),
    ).toBeUndefined();
  });

  it('alerts per algorithm where the average over all algorithms stays OK', () => {
    const conditions = new MonitorConditions([
      monitor('averaged', 'avg(last_10m):avg:algorithmia.duration_milliseconds{env:staging} > 20000', '20000', '10000'),
      monitor(
        'per algorithm',
        'avg(last_10m):avg:algorithmia.duration_milliseconds{env:staging} by {algorithm_name} > 20000',
        '20000',
        '10000',
      ),
      monitor('other env', 'avg(last_10m):avg:algorithmia.duration_milliseconds{env:prod} > 20000', '20000'),
    ]);
    conditions.add(
      [
        point('algorithmia.duration_milliseconds', 24_000, 'speech_to_text', '1.4.0', 30),
        point('algorithmia.duration_milliseconds', 30, 'credit_card_approval', '1.0.6', 30),
        point('algorithmia.duration_milliseconds', 40, 'credit_card_approval', '1.0.6', 20),
        point('algorithmia.duration_milliseconds', 12_000, 'document_ocr', '3.0.0', 20),
        point('algorithmia.duration_milliseconds', 99_000, 'speech_to_text', '1.4.0', 900), // outside the window
      ],
      now,
    );
    const [averaged, perAlgorithm, otherEnvironment] = conditions.evaluate(now);
    expect(averaged).toMatchObject({ state: 'OK', groups: [{ group: '(all)', state: 'OK' }] });
    // per second: avg(24000, 30) = 12015 and avg(40, 12000) = 6020; then the average over the window
    expect(averaged.groups[0].value).toBeCloseTo(9017.5);
    expect(perAlgorithm.state).toBe('ALERT');
    expect(perAlgorithm.groups).toEqual([
      { group: 'algorithm_name:speech_to_text', value: 24_000, state: 'ALERT' },
      { group: 'algorithm_name:document_ocr', value: 12_000, state: 'WARN' },
      { group: 'algorithm_name:credit_card_approval', value: 35, state: 'OK' },
    ]);
    expect(otherEnvironment.state).toBe('NO DATA');
    const lines = conditions.render(now).join('\n');
    expect(lines).toContain(
      '  ALERT   per algorithm: algorithm_name:speech_to_text 24000 ALERT · algorithm_name:document_ocr 12000 WARN · 1 group OK',
    );
    expect(lines).toContain('  OK      averaged: 9018');
    expect(lines).toContain('  NO DATA other env: no data in the window');
  });

  it('computes a percentile of a distribution per group, and names the kinds it cannot evaluate with the reason', () => {
    const conditions = new MonitorConditions([
      monitor('p95 churn', 'avg(last_5m):p95:algorithmia.churn_probability{env:staging} by {algorithm_name} > 0.58', '0.58', '0.5'),
      monitor('drift', 'pct_change(avg(last_1h),last_1d):avg:algorithmia.risk_score{env:staging} by {algorithm_name} > 20', '20'),
      monitor(
        'anomaly',
        "avg(last_4h):anomalies(avg:algorithmia.duration_milliseconds{env:staging}, 'agile', 2, direction='both', alert_window='last_15m', interval=60, seasonality='daily') >= 1",
        '1',
      ),
      monitor('outlier', "avg(last_30m):outliers(avg:algorithmia.risk_score{env:staging} by {algorithm_version}, 'dbscan', 3) > 0", '0'),
    ]);
    conditions.add(
      Array.from({ length: 100 }, (_, index) => ({
        ...point('algorithmia.churn_probability', 0, 'churn_predictor', '0.4.2', index % 50),
        value: undefined,
        values: [index / 100],
      })),
      now,
    );
    const [percentile] = conditions.evaluate(now);
    expect(percentile.groups).toEqual([{ group: 'algorithm_name:churn_predictor', value: 0.94, state: 'ALERT' }]);
    expect(conditions.unevaluable).toEqual([
      { name: 'drift', kind: 'change', reason: 'compares with the same window last_1d earlier: the demo has no such history' },
      { name: 'anomaly', kind: 'anomaly', reason: "needs Datadog's model of weeks of history (seasonal algorithms: three seasons)" },
      { name: 'outlier', kind: 'outlier', reason: "needs Datadog's outlier algorithm over every group's series" },
    ]);
    expect(conditions.render(now).join('\n')).toContain('  not evaluated (change) drift: compares with the same window last_1d earlier');
  });

  it('reads the monitors of an environment from its synthesized stack', () => {
    const staging = environmentMonitors('staging');
    expect(staging.forwarderTags).toEqual(expect.arrayContaining(['env:staging']));
    expect(staging.monitors.map((entry) => entry.query)).toContain(
      'avg(last_10m):avg:algorithmia.duration_milliseconds{env:staging} by {algorithm_name} > 20000',
    );
    const conditions = new MonitorConditions(staging.monitors);
    // Among others (staging may gain monitors): these are evaluated, and every query form has its reason when not.
    expect(conditions.evaluate().map((monitor) => monitor.name)).toEqual(
      expect.arrayContaining([
        '[Algorithmia] Excessive Algorithm Runtime (staging)',
        '[Algorithmia] High risk_score (staging)',
        '[Algorithmia] p95 churn_probability (staging)',
      ]),
    );
    expect(conditions.unevaluable.map((monitor) => monitor.kind)).toEqual(
      expect.arrayContaining(['change', 'anomaly', 'outlier', 'burn rate']),
    );
    expect(conditions.unevaluable.filter((monitor) => monitor.kind === 'other')).toEqual([]);
    expect(() => environmentMonitors('qa')).toThrow(/DEMO_ENVIRONMENT "qa" is not in .*environments\.json \(environments: staging, prod\)/);
  });

  it('prints the conditions in the summary, one row per algorithm version', () => {
    const summary = new ArrivalSummary();
    summary.add([
      point('algorithmia.risk_score', 0.98, 'credit_card_approval', '1.1.0', 1),
      point('algorithmia.risk_score', 0.2, 'credit_card_approval', '1.0.6', 1),
    ]);
    const text = summary.render({
      elapsedMs: 1000,
      generated: 2,
      malformedSent: 0,
      slowSent: 0,
      brokers: '-',
      topic: 't',
      doubleUrl: '-',
      forwarderUrl: '-',
      requestsByStatus: new Map(),
      forwarderState: 'running',
      warnings: [],
      monitors: { environment: 'staging', lines: ['  ALERT   x: y'] },
    });
    expect(text).toMatch(/credit_card_approval 1\.0\.6 +0 +- +- +0 +0\.2/);
    expect(text).toMatch(/credit_card_approval 1\.1\.0 +0 +- +- +0 +0\.98/);
    expect(text).toContain(
      'monitors of environment "staging" (config/environments.json), on what the double received in each window:\n  ALERT   x: y',
    );
  });
});

describe('npm run demo settings', () => {
  // npm, the build and the synthesized config's monitors come first: seconds, more on a loaded machine.
  jest.setTimeout(120_000);

  /** `npm run demo` as the docs give it, with DEMO_PLAIN (no terminal redraw) and the given settings. */
  function demo(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn('npm', ['run', '--silent', 'demo'], { cwd: ROOT, env: { ...process.env, DEMO_PLAIN: '1', ...env } });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', (code) => resolve({ code, output }));
    });
  }

  it('refuses a DEMO_DATADOG_PORT that is not a port, in one line, exit 1', async () => {
    const { code, output } = await demo({ DEMO_DATADOG_PORT: 'abc' });
    expect({ code, output: output.trim() }).toEqual({
      code: 1,
      output: 'demo: failed: DEMO_DATADOG_PORT must be a number from 0 to 65535 (got "abc")',
    });
  });

  it('names DEMO_DATADOG_PORT when its port is taken, and starts no broker', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const { code, output } = await demo({ DEMO_DATADOG_PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(
        `demo: failed: DEMO_DATADOG_PORT: port ${port} is already in use: choose another, or unset it for a free one`,
      );
      expect(output).not.toMatch(/\n\s+at /);
      expect(output).not.toMatch(/broker.*started/i);
    } finally {
      holder.close();
    }
  });
});
