/**
 * npm run bench:latency: end-to-end latency at a fixed rate. The forwarder (built bin, own
 * process) is started and joined first; then LATENCY_RATE messages/s (default 5000) are produced
 * for LATENCY_SECONDS (default 60), each stamped with the time it is handed to the producer.
 * Latency of a point = when the Datadog double (in this process) accepted it - when its message
 * was produced. Prints p50/p90/p99/max and writes bench-results/latency-*.json.
 */
import { useBroker } from './lib/broker';
import { BenchForwarder } from './lib/forwarder-process';
import { benchKafka, connectedProducer, createTopic, deleteTopics, PacedProducer, uniqueName } from './lib/kafka';
import { insightJson, POINTS_PER_MESSAGE } from './lib/messages';
import { loadAverage, quantile } from './lib/proc';
import { envNumber, log, table, writeResults } from './lib/report';
import { TrackedDouble } from './lib/tracked-double';

const RATE = envNumber('LATENCY_RATE', 5000);
const SECONDS = envNumber('LATENCY_SECONDS', 60);
const PARTITIONS = envNumber('BENCH_PARTITIONS', 6);

async function main(): Promise<void> {
  const broker = await useBroker(log);
  const kafka = benchKafka(broker.brokers);
  const capacity = Math.ceil(RATE * SECONDS * 1.1) + 1000;
  const datadog = await TrackedDouble.start(capacity);
  const producedAt = new Float64Array(capacity);
  const latencies = new Float64Array(capacity * POINTS_PER_MESSAGE);
  let count = 0;
  datadog.onPoint = (id, acceptedAt) => {
    if (count < latencies.length) latencies[count++] = acceptedAt - producedAt[id];
  };
  let topic: string | undefined;
  let forwarder: BenchForwarder | undefined;
  try {
    topic = await createTopic(kafka, 'bench-latency', PARTITIONS);
    forwarder = new BenchForwarder({
      DD_API_KEY: datadog.double.apiKey,
      DD_HOST: datadog.url,
      KAFKA_BROKER: broker.brokers,
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: uniqueName('bench-latency'),
    });
    await forwarder.waitForJoin(60_000);
    const producer = await connectedProducer(kafka);
    const paced = new PacedProducer(
      producer,
      topic,
      RATE,
      (id, now) => insightJson(id, now),
      (id, now) => (producedAt[id] = now),
    ).start();
    const cpuBefore = forwarder.usage().cpuSeconds;
    log(`producing ${RATE} messages/s for ${SECONDS} s`);
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    const produced = await paced.stop();
    await producer.disconnect();
    await datadog.waitForAll(produced, 120_000);
    const usage = forwarder.usage();
    const delivery = datadog.delivery(produced);
    const sorted = latencies.slice(0, count).sort();
    const result = {
      rate: RATE,
      seconds: SECONDS,
      produced,
      points: count,
      p50Ms: quantile(sorted, 0.5),
      p90Ms: quantile(sorted, 0.9),
      p99Ms: quantile(sorted, 0.99),
      maxMs: sorted[sorted.length - 1],
      forwarderCpuSecondsDuringRun: usage.cpuSeconds - cpuBefore,
      forwarderCpuShare: (usage.cpuSeconds - cpuBefore) / SECONDS,
      peakRssMb: usage.peakRssMb,
      lost: delivery.lost,
      duplicates: delivery.duplicates,
      loadAverage: loadAverage(),
    };
    process.stdout.write(
      `\n${table(
        ['rate msg/s', 'seconds', 'produced', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'CPU s', 'peak RSS MB', 'lost/dup'],
        [
          [
            RATE,
            SECONDS,
            produced,
            result.p50Ms,
            result.p90Ms,
            result.p99Ms,
            result.maxMs,
            result.forwarderCpuSecondsDuringRun,
            result.peakRssMb,
            `${result.lost}/${result.duplicates}`,
          ],
        ],
      )}\np99 target <= 1000 ms (issue 13); load average ${result.loadAverage}\n`,
    );
    process.stdout.write(`results: ${writeResults('latency', result)}\n`);
    if (result.lost !== 0) process.exitCode = 1;
  } catch (error) {
    if (forwarder) log(`forwarder output:\n${forwarder.output()}`);
    throw error;
  } finally {
    await forwarder?.terminate();
    await datadog.close();
    if (topic) await deleteTopics(kafka, [topic]);
    await broker.stop();
  }
}

main().catch((error: unknown) => {
  log(`latency bench failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
