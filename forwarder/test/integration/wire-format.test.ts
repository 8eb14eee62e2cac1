/**
 * What goes on the wire is what Datadog's API lists for each endpoint (the double checks it with
 * Datadog's own models): a declared distribution metric arrives on /api/v1/distribution_points,
 * deflated (the only encoding the spec lists there), and gauges on /api/v2/series as zstd1 where
 * this Node.js has zstd (the image's Node 26: CI's second run), gzip otherwise (Node 20). The
 * execution counts go there too, as counts over 10 s.
 */
import path from 'node:path';
import zlib from 'node:zlib';
import { DatadogDouble, KafkaTestBed, REPO_ROOT, uniqueName } from '@algorithmia-datadog/testbed';
import { COUNT_INTERVAL_SECONDS, EXECUTIONS_METRIC, pipelineMetricName } from '@algorithmia-datadog/metric-declaration';
import { forwarderEnv, startForwarder, type RunningForwarder } from './forwarder-harness';
import { insight } from './insights';

jest.setTimeout(90_000);

const bed = new KafkaTestBed();
let datadog: DatadogDouble;
let running: RunningForwarder | undefined;

beforeEach(async () => {
  datadog = await DatadogDouble.start();
});
afterEach(async () => {
  await running?.stop().catch(() => undefined);
  running = undefined;
  await datadog.close();
});
afterAll(() => bed.cleanup());

const EXECUTIONS = pipelineMetricName('algorithmia', EXECUTIONS_METRIC);
const hasZstd = typeof (zlib as unknown as { zstdCompress?: unknown }).zstdCompress === 'function';

it(`sends a declared distribution deflated to /api/v1/distribution_points and gauges as ${hasZstd ? 'zstd1' : 'gzip'} to /api/v2/series`, async () => {
  const topic = await bed.createTopic({ partitions: 2 });
  const count = 300;
  // churn_probability is declared a distribution in the shipped config/metrics.json.
  const messages = Array.from({ length: count }, (_, i) => {
    const message = insight(i);
    return { ...message, json: JSON.stringify({ ...JSON.parse(message.json), churn_probability: i / 1000 }) };
  });
  await bed.produce(
    topic,
    messages.map((m) => m.json),
  );
  running = await startForwarder(
    forwarderEnv(topic, uniqueName('group'), datadog, { FORWARDER_METRICS_FILE: path.join(REPO_ROOT, 'config', 'metrics.json') }),
  );

  await datadog.waitFor(
    (dd) =>
      dd.pointsFor('algorithmia.churn_probability').reduce((sum, point) => sum + (point.values?.length ?? 0), 0) >= count &&
      dd.pointCount('algorithmia.duration_milliseconds') >= count,
    30_000,
    `${count} distribution values and ${count} gauges`,
  );

  const values = datadog
    .pointsFor('algorithmia.churn_probability')
    .flatMap((point) => point.values ?? [])
    .sort((a, b) => a - b);
  expect(values).toEqual(messages.map((_, i) => i / 1000));
  expect(datadog.pointsFor('algorithmia.churn_probability').every((point) => point.endpoint === 'v1/distribution_points')).toBe(true);
  // Execution counts: v2 series of type count (1) over COUNT_INTERVAL_SECONDS, at bucket starts.
  await datadog.waitFor((dd) => dd.countTotals(EXECUTIONS)[''] === count, 30_000, `${count} executions`);
  for (const point of datadog.pointsFor(EXECUTIONS)) {
    expect(point).toMatchObject({ endpoint: 'v2/series', type: 'count', interval: COUNT_INTERVAL_SECONDS, unit: 'execution' });
    expect(point.timestamp % COUNT_INTERVAL_SECONDS).toBe(0);
  }
  const seen = new Set(datadog.requests.map((request) => `${request.path} ${request.contentEncoding} ${request.status}`));
  expect([...seen].sort()).toEqual(['/api/v1/distribution_points deflate 202', `/api/v2/series ${hasZstd ? 'zstd1' : 'gzip'} 202`].sort());
});
