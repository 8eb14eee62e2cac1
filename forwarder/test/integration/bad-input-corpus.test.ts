/**
 * The bad-input corpus (test/corpus/bad-input.ts) through the forwarder as users run it (the
 * built bin in its own process, with a dead-letter topic): it must not crash, every record must be
 * accounted for (decoded, or counted invalid by reason and dead-lettered), every value either
 * delivered or counted dropped by reason, and the good metrics of partly bad messages delivered.
 */
import { EXECUTIONS_METRIC, FORWARDER_NAMESPACE, pipelineMetricName } from '@algorithmia-datadog/metric-declaration';
import { BenchForwarder, metricByLabel, metricSum } from '../../bench/lib/forwarder-process';
import { CORPUS, type CorpusCase } from '../corpus/bad-input';
import { DatadogDouble, kafkaBrokers, KafkaTestBed, uniqueName } from '@algorithmia-datadog/testbed';

const EXECUTIONS = pipelineMetricName('algorithmia', EXECUTIONS_METRIC);

jest.setTimeout(120_000);

const bed = new KafkaTestBed();
let datadog: DatadogDouble;
const forwarders: BenchForwarder[] = [];

beforeAll(async () => {
  datadog = await DatadogDouble.start();
});
afterAll(async () => {
  for (const forwarder of forwarders) await forwarder.terminate();
  await datadog.close();
  await bed.cleanup();
});

function expectedTotals(cases: readonly CorpusCase[]) {
  const invalid: Record<string, number> = {};
  const dropped: Record<string, number> = {};
  const points: string[] = [];
  let executions = 0;
  for (const c of cases) {
    if (c.invalid) invalid[c.invalid] = (invalid[c.invalid] ?? 0) + 1;
    else executions += c.executions ?? 1;
    for (const [reason, n] of Object.entries(c.dropped ?? {})) dropped[reason] = (dropped[reason] ?? 0) + n;
    for (const [metric, value] of Object.entries(c.points ?? {})) points.push(`${metric}=${value}`);
  }
  return { invalid, dropped, points: points.sort(), executions };
}

/** Produces `cases` to a fresh topic, runs a forwarder process on it, asserts the accounting. */
async function runCorpus(cases: readonly CorpusCase[]): Promise<void> {
  const topic = await bed.createTopic({ partitions: 2, config: { 'max.message.bytes': '2000000' } });
  const deadLetters = await bed.createTopic({ prefix: 'dlq', partitions: 1, config: { 'max.message.bytes': '2000000' } });
  const groupId = uniqueName('corpus');
  const now = Date.now();
  await bed.produce(
    topic,
    cases.map((c, i) => ({ key: `case-${i}`, value: c.value(now) })),
  );
  datadog.clear();
  const forwarder = new BenchForwarder({
    DD_API_KEY: datadog.apiKey,
    DD_HOST: datadog.url,
    KAFKA_BROKER: kafkaBrokers().join(','),
    KAFKA_TOPIC: topic,
    KAFKA_GROUP_ID: groupId,
    KAFKA_DLQ_TOPIC: deadLetters,
    FORWARDER_FLUSH_INTERVAL_MS: '100',
    FORWARDER_COMMIT_INTERVAL_MS: '200',
  });
  forwarders.push(forwarder);
  const expected = expectedTotals(cases);
  const invalidCount = Object.values(expected.invalid).reduce((a, b) => a + b, 0);

  // Every record consumed and its offset committed (so every dead-letter write and every batch
  // holding one of its points has finished), then the accounting is final.
  const admin = bed.kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).filter((p) => Number(p.high) > 0).map((p) => [p.partition, Number(p.high)]));
  await admin.disconnect();
  try {
    await bed.waitForCommittedOffsets(groupId, topic, ends, 60_000);
  } catch (error) {
    process.stderr.write(`forwarder output:\n${forwarder.output()}\n`);
    throw error;
  }
  const metrics = await forwarder.metrics();

  expect(forwarder.running).toBe(true);
  expect(metricSum(metrics, 'forwarder_messages_consumed_total')).toBe(cases.length);
  expect(metricByLabel(metrics, 'forwarder_messages_invalid_total', 'reason')).toEqual(expected.invalid);
  expect(metricSum(metrics, 'forwarder_messages_dead_lettered_total')).toBe(invalidCount);
  expect(metricByLabel(metrics, 'forwarder_points_dropped_total', 'reason')).toEqual(expected.dropped);
  // The forwarder's own metrics (on by default) are tested in health-metrics.test.ts.
  const delivered = datadog
    .points()
    .filter((p) => p.metric !== EXECUTIONS && !p.metric.startsWith(`algorithmia.${FORWARDER_NAMESPACE}.`))
    .map((p) => `${p.metric}=${p.value}`)
    .sort();
  expect(delivered).toEqual(expected.points);
  // Executions go as running totals per 10 s bucket: their sum, not one point each.
  expect(datadog.countTotals(EXECUTIONS)).toEqual(expected.executions > 0 ? { '': expected.executions } : {});
  expect(metricSum(metrics, 'forwarder_points_sent_total')).toBe(expected.points.length + datadog.pointCount(EXECUTIONS));

  // The dead-letter topic holds exactly the undecodable records, with why.
  if (invalidCount > 0) {
    const letters = await bed.collect(deadLetters, { count: invalidCount, timeoutMs: 30_000 });
    const reasons: Record<string, number> = {};
    for (const letter of letters) {
      const reason = letter.headers['dlq-error-reason'] ?? 'none';
      reasons[reason] = (reasons[reason] ?? 0) + 1;
      expect(cases[Number(letter.key?.slice('case-'.length))].invalid).toBe(reason);
    }
    expect(reasons).toEqual(expected.invalid);
  }
}

describe('bad-input corpus', () => {
  it('has at least 30 kinds of bad input', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
  });

  it('goes through the forwarder: no crash, every record and value accounted for, good metrics delivered', async () => {
    await runCorpus(CORPUS);
  });
});
