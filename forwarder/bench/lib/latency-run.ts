/**
 * One run of npm run bench:latency: a tool (the forwarder through its launcher, or Telegraf) on a
 * fresh topic and in a fresh group, ready before the first message; then `rate` messages/s for
 * `seconds`, each stamped when handed to the producer. Latency of a point = when the Datadog
 * double (in this process) accepted it − when its message was produced. CPU and steady RSS are the
 * tool's process tree's over the produce window; then every point is awaited and the tool stopped
 * (SIGTERM) before lost and duplicates are counted.
 */
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { withDeadline } from '@algorithmia-datadog/testbed';
import { benchOverrides, BenchForwarder } from './forwarder-process';
import { connectedProducer, createTopic, deleteTopics, PacedProducer, uniqueName, waitForStableGroup } from './kafka';
import { type LatencyResult, type LatencyTool, latencyQuantiles, perMinute } from './latency-report';
import { insightJson, POINTS_PER_MESSAGE } from './messages';
import { loadAverage } from './proc';
import { ProcTreeSampler } from './proc-tree';
import { log } from './report';
import { brokerKafkaVersion, TelegrafProcess } from './telegraf';
import type { TrackedDouble } from './tracked-double';

/** How often the tool's tree is read: enough samples for a steady RSS, little CPU for the driver. */
const SAMPLE_INTERVAL_MS = 250;
/** Room for the producer's last tick past the window (it produces what is due when it fires). */
const CAPACITY_MARGIN = 1.1;
const READY_TIMEOUT_MS = 60_000;

export interface LatencyContext {
  brokers: string;
  kafka: Kafka;
  datadog: TrackedDouble;
  seconds: number;
  partitions: number;
  /** How long after the window every point may take to arrive. */
  deliveryTimeoutMs: number;
  /** Telegraf's config files go under it. */
  workDir: string;
  telegrafBin?: string;
}

interface StartedTool {
  pid: number;
  ready: Promise<unknown>;
  stop: () => Promise<unknown>;
  output: () => string;
}

function startForwarder(context: LatencyContext, topic: string): StartedTool {
  // FORWARDER_* and BENCH_NODE_ARGS, as in npm run bench (e.g. another flush interval, --cpu-prof).
  const { env, nodeArgs } = benchOverrides();
  const forwarder = new BenchForwarder(
    {
      DD_API_KEY: context.datadog.double.apiKey,
      DD_HOST: context.datadog.url,
      KAFKA_BROKER: context.brokers,
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: uniqueName('bench-latency-forwarder'),
      ...env,
    },
    { nodeArgs },
  );
  return {
    pid: forwarder.pid,
    ready: forwarder.waitForJoin(READY_TIMEOUT_MS),
    stop: () => forwarder.terminate(),
    output: () => forwarder.output(),
  };
}

function startTelegraf(context: LatencyContext, topic: string, bin: string): StartedTool {
  const groupId = uniqueName('bench-latency-telegraf');
  const telegraf = new TelegrafProcess(
    bin,
    {
      brokers: context.brokers,
      topic,
      groupId,
      datadogUrl: context.datadog.url,
      apiKey: context.datadog.double.apiKey,
      kafkaVersion: brokerKafkaVersion(),
      pointsPerMessage: POINTS_PER_MESSAGE,
    },
    path.join(context.workDir, uniqueName('telegraf')),
  );
  return {
    pid: telegraf.pid,
    // Telegraf does not say when it joined: its group seen Stable by the broker.
    ready: Promise.race([
      waitForStableGroup(context.kafka, groupId, READY_TIMEOUT_MS),
      telegraf.exited.then(({ code }) => Promise.reject(new Error(`telegraf exited (code ${code}) before joining:\n${telegraf.output()}`))),
    ]),
    stop: () => telegraf.terminate(),
    output: () => telegraf.output(),
  };
}

/** `stop` run once however often it is called (after the run, and again on the way out of an error). */
function once(stop: () => Promise<unknown>): () => Promise<unknown> {
  let stopping: Promise<unknown> | undefined;
  return () => (stopping ??= stop());
}

export async function latencyRun(tool: LatencyTool, rate: number, order: number, context: LatencyContext): Promise<LatencyResult> {
  const { datadog, kafka } = context;
  const capacity = Math.ceil(rate * context.seconds * CAPACITY_MARGIN) + 1000;
  datadog.reset(capacity);
  const producedAt = new Float64Array(capacity);
  const latencies = new Float64Array(capacity * POINTS_PER_MESSAGE);
  let count = 0;
  datadog.onPoint = (id, acceptedAtMs) => {
    if (count < latencies.length) latencies[count++] = acceptedAtMs - producedAt[id];
  };
  const topic = await createTopic(kafka, `bench-latency-${tool}`, context.partitions);
  let started: StartedTool | undefined;
  let stopTool: (() => Promise<unknown>) | undefined;
  let sampler: ProcTreeSampler | undefined;
  try {
    if (tool === 'telegraf' && !context.telegrafBin) throw new Error('no Telegraf binary');
    started = tool === 'forwarder' ? startForwarder(context, topic) : startTelegraf(context, topic, context.telegrafBin as string);
    stopTool = once(started.stop);
    sampler = new ProcTreeSampler(started.pid, SAMPLE_INTERVAL_MS);
    await started.ready;
    const producer = await connectedProducer(kafka);
    const paced = new PacedProducer(
      producer,
      topic,
      rate,
      (id, now) => insightJson(id, now),
      (id, now) => (producedAt[id] = now),
    ).start();
    const windowStartMs = Date.now();
    const driverCpuBefore = process.cpuUsage();
    log(`${tool} at ${rate} msg/s: producing for ${context.seconds} s`);
    // The measurement window itself (a fixed length of steady load), not a wait standing in for an event.
    await new Promise((resolve) => setTimeout(resolve, context.seconds * 1000));
    const windowEndMs = Date.now();
    const driverCpu = process.cpuUsage(driverCpuBefore);
    // A request the broker keeps refusing would be retried for many minutes: fail loudly instead.
    const produced = await withDeadline(paced.stop(), {
      timeoutMs: context.deliveryTimeoutMs,
      describe: () => `the producer's last requests were not acknowledged (${paced.produced} messages produced)`,
    });
    await producer.disconnect();
    if (produced > capacity) throw new Error(`produced ${produced} messages, room for ${capacity}`);
    await datadog.waitForAll(produced, context.deliveryTimeoutMs);
    const drainSeconds = (Date.now() - windowEndMs) / 1000;
    // Stopped before counting: what it sends on the way out (a retried batch) counts as duplicates.
    await stopTool();
    const usage = sampler.stop();
    const delivery = datadog.delivery(produced);
    if (datadog.foreign > 0) log(`${tool} at ${rate} msg/s: ${datadog.foreign} points named no message of this run`);
    const windowSeconds = (windowEndMs - windowStartMs) / 1000;
    const cpuSeconds = sampler.cpuAt(windowEndMs) - sampler.cpuAt(windowStartMs);
    return {
      tool,
      rate,
      order,
      windowSeconds,
      drainSeconds,
      produced,
      points: count,
      ...latencyQuantiles(latencies.slice(0, count).sort()),
      cpuSeconds,
      cpuSecondsPerMinute: perMinute(cpuSeconds, windowSeconds),
      peakRssMb: usage.peakRssMb,
      steadyRssMb: sampler.steadyRssMb(windowStartMs, windowEndMs),
      lost: delivery.lost,
      duplicates: delivery.duplicates,
      driverCpuShare: (driverCpu.user + driverCpu.system) / 1e6 / windowSeconds,
      loadAverage: loadAverage(),
    };
  } catch (error) {
    if (started) log(`${tool} output:\n${started.output()}`);
    throw error;
  } finally {
    datadog.onPoint = undefined;
    sampler?.stop();
    await stopTool?.();
    await deleteTopics(kafka, [topic]);
  }
}
