/**
 * One timed run of each contender over the same topic, in a fresh consumer group:
 * - ceiling: bench/bare-consumer.ts, a bare kafkajs consumer reading and discarding the topic;
 * - forwarder: its launcher, as users run it (the test bed's ForwarderProcess, measured by forwarder-process.ts);
 * - telegraf: the peer (telegraf.ts).
 * Each is timed from joining its group to its last message (ceiling) or to the intake's answer to
 * the request that completed the expected points; its CPU (process tree) over the same window.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { benchOverrides, BenchForwarder, metricSum } from './forwarder-process';
import type { BenchIntake, ExpectedRun, IntakeSummary } from './intake/intake';
import { uniqueName, waitForStableGroup } from './kafka';
import { pointsPerMessage } from './messages';
import { loadAverage } from './proc';
import { ProcTreeSampler, residentByMapping, threadCpu } from './proc-tree';
import { log } from './report';
import { brokerKafkaVersion, TelegrafProcess } from './telegraf';

export type Contender = 'ceiling' | 'forwarder' | 'telegraf';

export interface RunResult {
  kind: Contender;
  run: number;
  seconds: number;
  messagesPerSecond: number;
  pointsPerSecond: number;
  /** Process tree CPU between joining and the last point. */
  cpuSeconds: number;
  messagesPerCpuSecond: number;
  peakRssMb: number;
  bytesPerPoint?: number;
  /** Content-Encodings of the accepted requests, e.g. `zstd1` or `gzip+deflate`. */
  encodings?: string;
  lost?: number;
  duplicates?: number;
  /** Points that did not match what was produced, and bodies Datadog would have refused. */
  wrong?: number;
  refusedRequests?: number;
  requests?: number;
  intakeCpuSeconds?: number;
  verifierCpuSeconds?: number;
  maxBacklogMb?: number;
  /** Forwarder only: times it paused on a full buffer, and for how long in all. */
  pauses?: number;
  pausedSeconds?: number;
  /** CPU seconds of the main (JavaScript) thread and of the other threads, at the last point. */
  mainThreadCpuSeconds?: number;
  otherThreadsCpuSeconds?: number;
  loadAverage: string;
  problems: string[];
}

export interface RunContext {
  brokers: string;
  kafka: Kafka;
  topic: string;
  expected: ExpectedRun;
  intake: BenchIntake;
  timeoutMs: number;
  workDir: string;
  cpuProfileDir?: string;
}

export async function ceilingRun(context: RunContext, run: number): Promise<RunResult> {
  const { messages } = context.expected;
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(__dirname, '..', 'bare-consumer.ts')], {
    env: {
      ...process.env,
      KAFKA_BROKER: context.brokers,
      KAFKA_TOPIC: context.topic,
      KAFKA_GROUP_ID: uniqueName('bench-bare'),
      BARE_EXPECT: String(messages),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const sampler = new ProcTreeSampler(child.pid as number);
  let joinedAt = 0;
  let doneAt = 0;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) {
      if (line.includes('"joined"') && joinedAt === 0) joinedAt = Date.now();
      if (line.includes('"done"')) doneAt = Date.now();
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const usage = sampler.stop();
  if (code !== 0 || doneAt === 0) throw new Error(`bare consumer failed (exit ${code})`);
  const seconds = (doneAt - joinedAt) / 1000;
  const cpuSeconds = sampler.cpuAt(doneAt) - sampler.cpuAt(joinedAt);
  return {
    kind: 'ceiling',
    run,
    seconds,
    messagesPerSecond: messages / seconds,
    pointsPerSecond: (messages * pointsPerMessage(context.expected)) / seconds,
    cpuSeconds,
    messagesPerCpuSecond: messages / cpuSeconds,
    peakRssMb: usage.peakRssMb,
    loadAverage: loadAverage(),
    problems: [],
  };
}

interface Started {
  pid: number;
  joined: Promise<number>;
  /** Resolves, saying how, when the process ends (before stop(): it crashed, e.g. out of memory). */
  exited: Promise<string>;
  stop(): Promise<void>;
  output(): string;
  after?(): Promise<Partial<RunResult>>;
}

/** Starts a contender against the intake, waits for every point, stops it, reads the intake. */
async function deliveryRun(kind: Contender, context: RunContext, run: number, start: () => Started): Promise<RunResult> {
  const { intake, expected } = context;
  await intake.reset(expected);
  const intakeCpuBefore = intake.cpuSeconds();
  const verifierCpuBefore = intake.summary().verifierCpuSeconds;
  const started = start();
  const sampler = new ProcTreeSampler(started.pid);
  const problems: string[] = [];
  try {
    const joinedAt = await started.joined;
    // A contender that dies will send nothing more: the run ends then, failed, not at the deadline.
    let waiting = true;
    const died = started.exited.then((how) => {
      if (waiting) problems.push(`${kind} exited during the run (${how})`);
      return intake.summary();
    });
    const waited = await Promise.race([intake.waitForAll(context.timeoutMs), died]);
    waiting = false;
    const crashed = problems.length > 0;
    if (!waited.complete)
      problems.push(`not every point arrived within the deadline: ${waited.ledger.unique} of ${waited.ledger.expectedPoints}`);
    const doneAt = waited.completedAtMs ?? waited.lastAnsweredAtMs ?? Date.now();
    const cpuSeconds = sampler.cpuAt(doneAt) - sampler.cpuAt(joinedAt);
    const extra = crashed ? {} : ((await started.after?.()) ?? {});
    if (crashed || process.env.BENCH_OUTPUT === '1') log(`${kind} run ${run} output:\n${started.output()}`);
    await started.stop();
    const usage = sampler.stop();
    if (process.env.BENCH_RSS_TRACE === '1')
      log(
        `${kind} run ${run}: resident MB from start (s:MB; joined at ${((joinedAt - sampler.startedAtMs) / 1000).toFixed(1)} s): ${sampler.rssTimeline(sampler.startedAtMs)}`,
      );
    const final: IntakeSummary = await intake.settle();
    const wrong = Object.values(final.ledger.mismatches).reduce((sum, n) => sum + (n ?? 0), 0);
    if (wrong > 0) problems.push(`${wrong} points not as produced: ${final.ledger.examples.join(' | ')}`);
    // Only the forwarder counts executions; its last totals go out at stop, before the intake settles.
    if (kind === 'forwarder' && final.ledger.executions !== expected.messages)
      problems.push(`executions counted ${final.ledger.executions} of ${expected.messages} messages (last write per series and timestamp)`);
    if (final.refusedRequests > 0) problems.push(`${final.refusedRequests} requests Datadog would refuse: ${final.refusals.join(' | ')}`);
    const seconds = (doneAt - joinedAt) / 1000;
    return {
      kind,
      run,
      seconds,
      messagesPerSecond: expected.messages / seconds,
      pointsPerSecond: (expected.messages * pointsPerMessage(expected)) / seconds,
      cpuSeconds,
      messagesPerCpuSecond: expected.messages / cpuSeconds,
      peakRssMb: usage.peakRssMb,
      // Per value point: the bytes of the execution counts and the forwarder's own reports are in the cost.
      bytesPerPoint: final.wireBytes / Math.max(1, final.ledger.received),
      encodings: Object.keys(final.acceptedByEncoding).sort().join('+'),
      lost: final.ledger.lost,
      duplicates: final.ledger.duplicates,
      wrong,
      refusedRequests: final.refusedRequests,
      requests: final.requests,
      intakeCpuSeconds: intake.cpuSeconds() - intakeCpuBefore,
      verifierCpuSeconds: final.verifierCpuSeconds - verifierCpuBefore,
      maxBacklogMb: final.maxBacklogBytes / 1e6,
      loadAverage: loadAverage(),
      problems,
      ...extra,
    };
  } catch (error) {
    log(`${kind} output:\n${started.output()}`);
    throw error;
  } finally {
    sampler.stop();
    await started.stop();
  }
}

export function forwarderRun(context: RunContext, run: number): Promise<RunResult> {
  return deliveryRun('forwarder', context, run, () => {
    const { env, nodeArgs } = benchOverrides();
    const forwarder = new BenchForwarder(
      {
        DD_API_KEY: context.intake.apiKey,
        DD_HOST: context.intake.url,
        KAFKA_BROKER: context.brokers,
        KAFKA_TOPIC: context.topic,
        KAFKA_GROUP_ID: uniqueName('bench-forwarder'),
        LOG_LEVEL: 'info',
        ...env,
      },
      {
        name: `forwarder#${run}`,
        nodeArgs: [...nodeArgs, ...(context.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', context.cpuProfileDir] : [])],
      },
    );
    return {
      pid: forwarder.pid,
      joined: forwarder.waitForJoin(60_000).then(() => forwarder.joinedAt as number),
      exited: forwarder.process.exited.then(({ code, signal }) => `exit code ${code}, signal ${signal}`),
      stop: async () => {
        await forwarder.terminate();
      },
      output: () => forwarder.output(),
      after: async () => {
        const threads = threadCpu(forwarder.pid);
        if (process.env.BENCH_SMAPS === '1') log(`forwarder run ${run}: resident MB by mapping: ${residentByMapping(forwarder.pid)}`);
        const metrics = await forwarder.metrics();
        const requests = metricSum(metrics, 'forwarder_request_duration_seconds_count');
        const requestSeconds = metricSum(metrics, 'forwarder_request_duration_seconds_sum');
        const mb = (name: string): string => (metricSum(metrics, name) / 1e6).toFixed(0);
        log(
          `forwarder run ${run}: ${requests} requests, mean ${((requestSeconds / Math.max(1, requests)) * 1000).toFixed(0)} ms as the forwarder saw it; ` +
            `paused ${forwarder.pauses} times (buffer full) for ${(forwarder.pausedMs / 1000).toFixed(1)} s; ` +
            `CPU: main thread ${threads.main.toFixed(2)} s, other threads ${threads.others.toFixed(2)} s (since start); ` +
            `now: V8 heap ${mb('forwarder_nodejs_heap_size_total_bytes')} MB (used ${mb('forwarder_nodejs_heap_size_used_bytes')}), external ${mb('forwarder_nodejs_external_memory_bytes')} MB, RSS ${mb('forwarder_process_resident_memory_bytes')} MB`,
        );
        return {
          pauses: forwarder.pauses,
          pausedSeconds: forwarder.pausedMs / 1000,
          mainThreadCpuSeconds: threads.main,
          otherThreadsCpuSeconds: threads.others,
        };
      },
    };
  });
}

export function telegrafRun(context: RunContext, run: number, bin: string): Promise<RunResult> {
  return deliveryRun('telegraf', context, run, () => {
    const groupId = uniqueName('bench-telegraf');
    const telegraf = new TelegrafProcess(
      bin,
      {
        brokers: context.brokers,
        topic: context.topic,
        groupId,
        datadogUrl: context.intake.url,
        apiKey: context.intake.apiKey,
        kafkaVersion: brokerKafkaVersion(),
        pointsPerMessage: pointsPerMessage(context.expected),
      },
      path.join(context.workDir, `telegraf-${run}`),
    );
    return {
      pid: telegraf.pid,
      joined: Promise.race([
        waitForStableGroup(context.kafka, groupId, 60_000),
        telegraf.exited.then(({ code }) =>
          Promise.reject(new Error(`telegraf exited (code ${code}) before joining:\n${telegraf.output()}`)),
        ),
      ]),
      exited: telegraf.exited.then(({ code, signal }) => `exit code ${code}, signal ${signal}`),
      stop: () => telegraf.terminate(),
      output: () => telegraf.output(),
    };
  });
}
