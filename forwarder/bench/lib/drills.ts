/**
 * Fault drills: the forwarder (built bin, own processes) forwarding a steady stream of tracked
 * messages while something goes wrong; at the end every point of every message produced must be
 * in the Datadog double. Used by bench/drills.ts (the full drills, by hand) and by
 * test/integration/drills.test.ts (short versions, in the test command).
 */
import { randomInt } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { BenchForwarder } from './forwarder-process';
import { benchKafka, connectedProducer, createTopic, deleteTopics, PacedProducer, uniqueName } from './kafka';
import { insightJson } from './messages';
import { TrackedDouble, type Delivery } from './tracked-double';

export interface DrillReport extends Delivery {
  drill: string;
  produced: number;
  peakRssMb: number;
  seconds: number;
  forwarderProcesses: number;
  /** Answers of the Datadog double by HTTP status. */
  requestsByStatus: Record<number, number>;
  notes: string[];
}

export interface DrillEnvironment {
  readonly brokers: string;
  /** Stops the broker, keeps it down `downMs`, starts it again with its data. */
  readonly restartBroker?: (downMs: number) => Promise<void>;
  readonly log: (line: string) => void;
  /** Environment added to every forwarder (e.g. shorter retry delays in tests). */
  readonly forwarderEnv?: Record<string, string>;
}

export interface CommonOptions {
  /** Messages per second produced during the drill. */
  rate?: number;
  partitions?: number;
  /** How long to wait for the last points after producing stopped. */
  settleTimeoutMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One drill's topic, double, producer and forwarder processes. */
export class DrillRun {
  readonly forwarders: BenchForwarder[] = [];
  readonly notes: string[] = [];
  private paced: PacedProducer | undefined;
  private readonly started = Date.now();

  private constructor(
    readonly name: string,
    readonly env: DrillEnvironment,
    readonly topic: string,
    readonly groupId: string,
    readonly datadog: TrackedDouble,
    private readonly producer: Producer,
    private readonly options: Required<CommonOptions>,
  ) {}

  static async setup(name: string, env: DrillEnvironment, options: CommonOptions = {}): Promise<DrillRun> {
    const resolved = {
      rate: options.rate ?? 2000,
      partitions: options.partitions ?? 6,
      settleTimeoutMs: options.settleTimeoutMs ?? 180_000,
    };
    const kafka = benchKafka(env.brokers);
    const topic = await createTopic(kafka, `drill-${name}`, resolved.partitions);
    const producer = await connectedProducer(kafka);
    const datadog = await TrackedDouble.start(resolved.rate * 120);
    return new DrillRun(name, env, topic, uniqueName(`drill-${name}`), datadog, producer, resolved);
  }

  /** Starts one more forwarder instance in the drill's group. */
  spawnForwarder(extra: Record<string, string> = {}): BenchForwarder {
    const forwarder = new BenchForwarder(
      {
        DD_API_KEY: this.datadog.double.apiKey,
        DD_HOST: this.datadog.url,
        KAFKA_BROKER: this.env.brokers,
        KAFKA_TOPIC: this.topic,
        KAFKA_GROUP_ID: this.groupId,
        FORWARDER_FLUSH_INTERVAL_MS: '200',
        FORWARDER_COMMIT_INTERVAL_MS: '500',
        ...this.env.forwarderEnv,
        ...extra,
      },
      { name: `${this.name}#${this.forwarders.length + 1}` },
    );
    this.forwarders.push(forwarder);
    return forwarder;
  }

  startProducing(): void {
    this.paced = new PacedProducer(
      this.producer,
      this.topic,
      this.options.rate,
      (id, now) => insightJson(id, now),
      (id) => {
        if (id % 10_000 === 0) this.datadog.ensureCapacity(id + 20_000);
      },
    ).start();
  }

  get produced(): number {
    return this.paced?.produced ?? 0;
  }

  /** Resolves once the double holds at least `points` unique points. */
  waitForPoints(points: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.datadog.unique >= points) {
          clearTimeout(timer);
          this.datadog.changes.off('points', check);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.datadog.changes.off('points', check);
        reject(new Error(`${this.name}: ${this.datadog.unique} of ${points} points within ${timeoutMs} ms`));
      }, timeoutMs);
      this.datadog.changes.on('points', check);
      check();
    });
  }

  /** Waits until points flow again: `more` new unique points beyond what is there now. */
  waitForProgress(more: number, timeoutMs: number): Promise<void> {
    return this.waitForPoints(this.datadog.unique + more, timeoutMs);
  }

  peakRssMb(): number {
    return Math.max(0, ...this.forwarders.map((f) => f.usage().peakRssMb));
  }

  /**
   * Stops producing, waits until every point is delivered (or the settle deadline), stops the
   * forwarders still running, and reports. Never throws for missing points: they are `lost`.
   */
  async finish(): Promise<DrillReport> {
    const produced = (await this.paced?.stop()) ?? 0;
    this.datadog.ensureCapacity(produced);
    try {
      await this.datadog.waitForAll(produced, this.options.settleTimeoutMs);
    } catch (error) {
      this.notes.push(`not all delivered: ${(error as Error).message}`);
      for (const f of this.forwarders.filter((x) => x.running)) this.env.log(`${f.options.name} output:\n${f.output()}`);
    }
    const peakRssMb = this.peakRssMb();
    for (const forwarder of this.forwarders) {
      if (!forwarder.running) continue;
      const { code } = await forwarder.terminate();
      if (code !== 0) this.notes.push(`${forwarder.options.name} exited ${code} on SIGTERM`);
    }
    const delivery = this.datadog.delivery(produced);
    if (this.datadog.foreign > 0) this.notes.push(`${this.datadog.foreign} points with unknown ids`);
    const report: DrillReport = {
      drill: this.name,
      produced,
      ...delivery,
      peakRssMb,
      seconds: (Date.now() - this.started) / 1000,
      forwarderProcesses: this.forwarders.length,
      requestsByStatus: this.datadog.double.stats().requestsByStatus,
      notes: this.notes,
    };
    this.env.log(`${this.name}: ${JSON.stringify(report)}`);
    return report;
  }

  async cleanup(): Promise<void> {
    await this.paced?.stop().catch(() => undefined);
    for (const forwarder of this.forwarders) if (forwarder.running) await forwarder.kill9();
    await this.producer.disconnect().catch(() => undefined);
    await this.datadog.close();
    await deleteTopics(benchKafka(this.env.brokers), [this.topic]);
  }
}

async function drill(
  name: string,
  env: DrillEnvironment,
  options: CommonOptions,
  body: (run: DrillRun) => Promise<void>,
): Promise<DrillReport> {
  const run = await DrillRun.setup(name, env, options);
  try {
    await body(run);
    return await run.finish();
  } finally {
    await run.cleanup();
  }
}

/** kill -9 of the forwarder at random moments while messages flow, each time restarted at once. */
export function killRestartDrill(
  env: DrillEnvironment,
  options: CommonOptions & { kills?: number; minUpMs?: number; maxUpMs?: number } = {},
): Promise<DrillReport> {
  const kills = options.kills ?? 5;
  const minUp = options.minUpMs ?? 1000;
  const maxUp = options.maxUpMs ?? 6000;
  return drill('kill-9', env, options, async (run) => {
    let current = run.spawnForwarder();
    await current.waitForJoin(60_000);
    run.startProducing();
    for (let i = 1; i <= kills; i++) {
      // Points must be flowing through this instance before it is killed.
      await run.waitForProgress(1, 120_000);
      const upMs = randomInt(minUp, maxUp + 1);
      await sleep(upMs);
      await current.kill9();
      env.log(
        `kill-9: killed ${current.options.name} after ${upMs} ms flowing (${i}/${kills}); produced ${run.produced}, delivered ${run.datadog.unique} points`,
      );
      current = run.spawnForwarder();
      await current.waitForJoin(120_000);
    }
    await run.waitForProgress(1, 120_000);
  });
}

/** The double answers `status` to every request for `downMs`, then recovers. */
export function datadogOutageDrill(
  env: DrillEnvironment,
  options: CommonOptions & { status?: number; downMs?: number; leadMs?: number } = {},
): Promise<DrillReport> {
  const status = options.status ?? 500;
  const downMs = options.downMs ?? 60_000;
  return drill(`datadog-${status}-${Math.round(downMs / 1000)}s`, env, options, async (run) => {
    const forwarder = run.spawnForwarder();
    await forwarder.waitForJoin(60_000);
    run.startProducing();
    await run.waitForProgress(1, 60_000);
    await sleep(options.leadMs ?? 2000);
    run.datadog.double.goDown(status);
    const before = forwarder.usage().peakRssMb;
    env.log(`${run.name}: Datadog down (${status}) for ${downMs} ms; peak RSS so far ${before.toFixed(0)} MB`);
    await sleep(downMs);
    run.datadog.double.comeBack();
    const during = forwarder.usage().peakRssMb;
    run.notes.push(`peak RSS before the outage ${before.toFixed(0)} MB, at its end ${during.toFixed(0)} MB`);
    env.log(`${run.name}: Datadog back; peak RSS ${during.toFixed(0)} MB`);
    await run.waitForProgress(1, 120_000);
    await sleep(options.leadMs ?? 2000);
  });
}

/** `count` answers 429 with X-RateLimit-Reset: `resetSeconds`, while messages flow. */
export function rateLimitDrill(
  env: DrillEnvironment,
  options: CommonOptions & { count?: number; resetSeconds?: number } = {},
): Promise<DrillReport> {
  const count = options.count ?? 100;
  const resetSeconds = options.resetSeconds ?? 2;
  return drill('429-storm', env, options, async (run) => {
    const forwarder = run.spawnForwarder();
    await forwarder.waitForJoin(60_000);
    run.startProducing();
    await run.waitForProgress(1, 60_000);
    const requestsBefore = run.datadog.double.stats().requestsByStatus[429] ?? 0;
    run.datadog.double.rateLimitNext(count, { resetSeconds });
    env.log(`429-storm: next ${count} requests answered 429 (X-RateLimit-Reset: ${resetSeconds})`);
    await run.datadog.double.waitFor(
      (dd) => (dd.stats().requestsByStatus[429] ?? 0) >= requestsBefore + count,
      600_000,
      `${count} answers 429`,
    );
    const metrics = await forwarder.metrics();
    const retries = [...metrics]
      .filter(([k]) => k.startsWith('forwarder_retries_total') && k.includes('http_429'))
      .reduce((s, [, v]) => s + v, 0);
    run.notes.push(`${count} answers 429 sent; forwarder counted ${retries} retries for http_429`);
    await run.waitForProgress(1, 60_000);
  });
}

/** The broker is stopped (clean shutdown) and started again with its data while the forwarder runs. */
export function brokerRestartDrill(env: DrillEnvironment, options: CommonOptions & { downMs?: number } = {}): Promise<DrillReport> {
  const restart = env.restartBroker;
  if (!restart) throw new Error('brokerRestartDrill needs restartBroker');
  return drill('broker-restart', env, options, async (run) => {
    const forwarder = run.spawnForwarder();
    await forwarder.waitForJoin(60_000);
    run.startProducing();
    await run.waitForProgress(1, 60_000);
    await sleep(2000);
    await restart(options.downMs ?? 10_000);
    await run.waitForProgress(3 * (options.rate ?? 2000), 180_000);
    if (!forwarder.running) run.notes.push(`the forwarder exited during the broker restart: ${forwarder.output().slice(-2000)}`);
    run.notes.push(`forwarder joined its group ${forwarder.joins} times`);
  });
}

/** Two instances in one group; one is killed (-9); later a third joins. */
export function rebalanceDrill(env: DrillEnvironment, options: CommonOptions & { runMs?: number } = {}): Promise<DrillReport> {
  const runMs = options.runMs ?? 5000;
  return drill('rebalance', env, options, async (run) => {
    const a = run.spawnForwarder();
    const b = run.spawnForwarder();
    await Promise.all([a.waitForJoin(60_000), b.waitForJoin(60_000)]);
    run.startProducing();
    await run.waitForProgress(1, 60_000);
    await sleep(runMs);
    await a.kill9();
    env.log(`rebalance: killed ${a.options.name}; produced ${run.produced}, delivered ${run.datadog.unique} points`);
    // b takes over a's partitions once a's session expires.
    await b.waitForJoin(120_000, b.joins + 1);
    await run.waitForProgress(1, 60_000);
    await sleep(runMs);
    const c = run.spawnForwarder();
    await c.waitForJoin(120_000);
    env.log(`rebalance: ${c.options.name} joined`);
    await run.waitForProgress(1, 60_000);
    await sleep(runMs);
    run.notes.push(`survivor joined ${b.joins} times, newcomer ${c.joins}`);
  });
}
