/**
 * The whole flow on one machine, without any account:
 *
 *   generator ──► Kafka (scripts/kafka.sh) ──► forwarder (forwarder/dist) ──► Datadog double
 *
 *   npm run demo                     # until Ctrl-C
 *   DEMO_SECONDS=20 npm run demo     # a bounded run
 *
 * Prints a live summary of what reaches the double every DEMO_INTERVAL_MS (2000): per algorithm
 * and version runs, average and maximum duration, slow runs, last inference values; per metric
 * point counts; what the integration's duration monitor would say; which of the monitors configured
 * for DEMO_ENVIRONMENT (staging) the traffic trips; and the forwarder's own counters from its
 * /metrics (invalid, dead-lettered, dropped). Monitor state changes are logged as they happen.
 * DEMO_OUTAGES=1 adds a silent model and a killed forwarder (scripts/demo/outage-scenario.ts).
 * Stops everything it started on exit. Settings: docs/demo.md.
 */
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { builtForwarder, DatadogDouble, ForwarderProcess } from '@algorithmia-datadog/testbed';
import { InsightsGenerator } from './demo/insights';
import { ArrivalSummary, parsePrometheus, type PrometheusSamples } from './demo/live-summary';
import { DemoBroker, freePort, REPO_ROOT, stopChild } from './demo/processes';
import { environmentMonitors, EnvironmentMonitors } from './demo/environment-monitors';
import { MonitorConditions } from './demo/monitor-conditions';
import { clock, MonitorTransitions } from './demo/monitor-transitions';
import { OutageScenario } from './demo/outage-scenario';
import { numberSetting, silenceWindowSeconds } from './demo/settings';
import { PointsRecorder } from './preview/points-file';

const API_KEY = 'demo-api-key';
const TOPIC = 'algorithmia-insights';
const DLQ_TOPIC = 'algorithmia-insights-dlq';
const METRICS_FILE = join(REPO_ROOT, 'config', 'metrics.json');

function log(message: string): void {
  process.stderr.write(`demo: ${message}\n`);
}

class Demo {
  private readonly broker = new DemoBroker();
  private double?: DatadogDouble;
  private forwarder?: ForwarderProcess;
  private forwarderExit?: string;
  private producer?: Producer;
  private generatorTimer?: NodeJS.Timeout;
  private summaryTimer?: NodeJS.Timeout;
  private readonly summary = new ArrivalSummary();
  private readonly requestsByStatus = new Map<number, number>();
  private readonly warnings: string[] = [];
  private generated = 0;
  private malformedSent = 0;
  private slowSent = 0;
  private startedAt = Date.now();
  private stopping?: Promise<number>;
  private running = false;
  private resolveFinished: (code: number) => void = () => undefined;
  /** Resolves with the exit code once everything is stopped. */
  private readonly finished = new Promise<number>((resolve) => (this.resolveFinished = resolve));
  private readonly seconds = numberSetting('DEMO_SECONDS', 0, 0);
  private readonly rate = numberSetting('DEMO_RATE', 10, 0.1);
  private readonly intervalMs = numberSetting('DEMO_INTERVAL_MS', 2000, 200);
  /** DEMO_DATADOG_PORT: where the Datadog double listens; 0 (default) lets the system pick. */
  private readonly doublePort = numberSetting('DEMO_DATADOG_PORT', 0, 0, 65_535);
  private readonly interactive = process.stdout.isTTY === true && process.env.DEMO_PLAIN === undefined;
  private readonly environment = process.env.DEMO_ENVIRONMENT || 'staging';
  private configured?: EnvironmentMonitors;
  private conditions?: MonitorConditions;
  private readonly silenceWindowSeconds = silenceWindowSeconds();
  private readonly transitions = new MonitorTransitions();
  /** State changes and outage events, for the screen that redraws (printed at once otherwise). */
  private readonly events: string[] = [];
  private readonly scenario = OutageScenario.fromSettings();
  /** Set while the scenario has the forwarder down: its exit is no failure. */
  private forwarderKilled = false;
  private forwarderRestarts = 0;
  private brokers = '';
  private forwarderPort = 0;
  private forwarderUrl = '';
  private logFile = '';
  /** DEMO_RECORD_FILE: every accepted point, for `npm run preview -- --points FILE` (docs/preview.md). */
  private readonly recorder = process.env.DEMO_RECORD_FILE ? new PointsRecorder(process.env.DEMO_RECORD_FILE) : undefined;

  async run(): Promise<number> {
    if (!existsSync(builtForwarder())) throw new Error(`${builtForwarder()} is missing: run \`npm run build\` first (npm run demo does).`);
    // Ctrl-C may arrive twice (from the terminal and relayed by npm/tsx): stopping is idempotent,
    // and the handlers stay so that a repeated signal cannot kill the demo before it has stopped
    // the broker and the forwarder (both run in their own process groups).
    const stop = (signal: string) => {
      if (!this.stopping) log(`${signal}: stopping (the forwarder flushes and commits, then the broker stops)`);
      void this.stop(signal === 'SIGINT' ? 130 : 143);
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGHUP', () => stop('SIGHUP'));

    try {
      // First, so that a config mistake is reported before anything starts.
      this.configured = environmentMonitors(this.environment);
      this.conditions = new MonitorConditions(this.configured.monitors, { silenceWindowSeconds: this.silenceWindowSeconds });
      log('starting the Datadog double, the Kafka broker (a few seconds) and the forwarder');
      this.double = await DatadogDouble.start({
        apiKey: API_KEY,
        port: this.doublePort,
        trackDuplicates: false,
        onRequest: (request) => this.requestsByStatus.set(request.status, (this.requestsByStatus.get(request.status) ?? 0) + 1),
      }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EADDRINUSE') throw error;
        throw new Error(`DEMO_DATADOG_PORT: port ${this.doublePort} is already in use: choose another, or unset it for a free one`);
      });
      const brokers = await this.broker.start();
      if (this.stopping) return await this.stopping;
      await this.createTopics(brokers);
      this.brokers = brokers;
      this.forwarderPort = process.env.DEMO_FORWARDER_PORT ? Number(process.env.DEMO_FORWARDER_PORT) : await freePort();
      this.forwarderUrl = `http://127.0.0.1:${this.forwarderPort}`;
      this.startForwarder();
      await this.waitUntilReady();
      // A signal may have set `stopping` during the awaits; TypeScript keeps its narrowing from above.
      // eslint-disable-next-line @typescript-eslint/await-thenable, @typescript-eslint/return-await
      if (this.stopping) return await this.stopping;
      await this.startGenerator(brokers);
    } catch (error) {
      log(`failed: ${(error as Error).message}`);
      return this.stop(1);
    }
    this.startedAt = Date.now();
    this.running = true;
    log(`running${this.seconds > 0 ? ` for ${this.seconds} s` : ': Ctrl-C to stop'}; forwarder log: ${this.logFile}`);
    if (this.scenario) {
      log(this.scenario.describe());
      this.scenario.start({
        killForwarder: () => this.killForwarder(),
        restartForwarder: async () => this.restartForwarder(),
        event: (line) => this.event(line),
        elapsedSeconds: () => (Date.now() - this.startedAt) / 1000,
      });
    }
    this.summaryTimer = setInterval(() => void this.print(), this.intervalMs);
    if (this.seconds > 0) setTimeout(() => void this.stop(0), this.seconds * 1000).unref();
    return this.finished;
  }

  private async createTopics(brokers: string): Promise<void> {
    const admin = new Kafka({ clientId: 'algorithmia-demo-admin', brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          { topic: TOPIC, numPartitions: 3, replicationFactor: 1 },
          { topic: DLQ_TOPIC, numPartitions: 1, replicationFactor: 1 },
        ],
      });
    } finally {
      await admin.disconnect();
    }
  }

  /** Starts the forwarder; a restart (the outage scenario) appends to the same log file. */
  private startForwarder(restart = false): void {
    mkdirSync(this.broker.stateDir, { recursive: true });
    this.logFile = join(this.broker.stateDir, 'forwarder.log');
    const logStream = createWriteStream(this.logFile, { flags: restart ? 'a' : 'w' });
    const env = {
      DD_API_KEY: API_KEY,
      DD_HOST: this.double!.url,
      KAFKA_BROKER: this.brokers,
      KAFKA_TOPIC: TOPIC,
      KAFKA_DLQ_TOPIC: DLQ_TOPIC,
      KAFKA_GROUP_ID: 'algorithmia-demo',
      FORWARDER_METRICS_FILE: METRICS_FILE,
      FORWARDER_HTTP_PORT: String(this.forwarderPort),
      FORWARDER_HTTP_HOST: '127.0.0.1',
      // The environment's tags, so that its monitors' scope (e.g. env:staging) selects the demo's points.
      FORWARDER_TAGS: this.configured!.forwarderTags.join(','),
      FORWARDER_SHUTDOWN_TIMEOUT_MS: '5000',
      LOG_LEVEL: 'info',
    };
    // As users start it (its launcher, with the heap flags); detached: its own process group, so
    // that Ctrl-C reaches the demo only and the demo stops it first. Its log goes to the file.
    const forwarder = new ForwarderProcess(env, { detached: true, keepLines: 0 });
    this.forwarder = forwarder;
    forwarder.onLine((line) => {
      if (!logStream.writableEnded) logStream.write(`${line}\n`);
      this.onForwarderLine(line);
    });
    void forwarder.exited.then(({ code, signal }) => {
      this.forwarderExit = signal ? `signal ${signal}` : `exit ${code}`;
      logStream.end();
      if (!this.stopping && !this.forwarderKilled) {
        log(`the forwarder stopped unexpectedly (${this.forwarderExit}); see ${this.logFile}`);
        void this.stop(1);
      }
    });
  }

  /** The outage scenario's kill: SIGKILL, so the forwarder neither flushes nor commits. */
  private async killForwarder(): Promise<void> {
    if (this.stopping || !this.forwarder) return;
    this.forwarderKilled = true;
    await this.forwarder.kill9();
    this.forwarderExit = `killed by the outage scenario; restart at ${clock(this.scenario!.restartAtSeconds)}`;
  }

  private restartForwarder(): void {
    if (this.stopping) return;
    this.forwarderExit = undefined;
    this.forwarderRestarts += 1;
    this.forwarderKilled = false;
    this.startForwarder(true);
  }

  /** A line of the event log: printed at once on plain output, kept for the screen that redraws. */
  private event(line: string): void {
    this.events.push(line);
    if (this.events.length > 8) this.events.shift();
    if (!this.interactive) process.stdout.write(`${line}\n`);
  }

  /** Keeps the forwarder's last warnings and errors for the summary (pino JSON lines). */
  private onForwarderLine(line: string): void {
    let entry: { level?: number; msg?: string; reason?: string; detail?: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      if (line.trim()) this.remember(line.trim());
      return;
    }
    if ((entry.level ?? 0) < 40) return;
    const detail = [entry.reason, entry.detail].filter(Boolean).join(': ');
    this.remember(`${entry.level! >= 50 ? 'error' : 'warn'}: ${entry.msg ?? ''}${detail ? ` (${detail.slice(0, 100)})` : ''}`);
  }

  private remember(warning: string): void {
    this.warnings.push(warning);
    if (this.warnings.length > 4) this.warnings.shift();
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !this.stopping) {
      try {
        const response = await fetch(`${this.forwarderUrl}/readyz`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (!this.stopping) throw new Error(`the forwarder did not become ready within 60 s; see ${this.logFile}`);
  }

  private async startGenerator(brokers: string): Promise<void> {
    const producer = new Kafka({ clientId: 'algorithmia-demo-generator', brokers: [brokers], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    this.producer = producer;
    const generator = new InsightsGenerator(Math.random, undefined, numberSetting('DEMO_MALFORMED_SHARE', 0.03, 0));
    const elapsedSeconds = () => (Date.now() - this.startedAt) / 1000;
    // Messages go in small batches every 200 ms: DEMO_RATE per second on average.
    const perTick = this.rate / 5;
    let carry = 0;
    this.generatorTimer = setInterval(() => {
      carry += perTick;
      const count = Math.floor(carry);
      carry -= count;
      if (count === 0) return;
      // The outage scenario's quiet model gets no more messages (its executions stop).
      const messages = Array.from({ length: count }, () => generator.next()).filter(
        (message) => !this.scenario || !this.running || this.scenario.sends(message.algorithm, elapsedSeconds()),
      );
      if (messages.length === 0) return;
      for (const message of messages) {
        this.generated += 1;
        if (message.malformed) this.malformedSent += 1;
        if (message.slow) this.slowSent += 1;
      }
      producer.send({ topic: TOPIC, messages: messages.map(({ key, value }) => ({ key, value })) }).catch((error) => {
        if (!this.stopping) this.remember(`generator: ${(error as Error).message}`);
      });
    }, 200);
  }

  private async forwarderMetrics(): Promise<PrometheusSamples | undefined> {
    try {
      const response = await fetch(`${this.forwarderUrl}/metrics`, { signal: AbortSignal.timeout(1000) });
      return response.ok ? parsePrometheus(await response.text()) : undefined;
    } catch {
      return undefined;
    }
  }

  private async print(final = false): Promise<void> {
    // /metrics first: the double then holds at least what the forwarder counts as sent.
    const forwarderMetrics = final ? this.lastMetrics : (this.lastMetrics = (await this.forwarderMetrics()) ?? this.lastMetrics);
    if (this.double) {
      const points = this.double.points();
      this.summary.add(points);
      this.conditions?.add(points);
      this.recorder?.record(points);
      this.double.clear(); // the summary keeps the aggregates; the double need not keep every point
    }
    const evaluated = this.conditions?.evaluate();
    if (evaluated && this.running) {
      for (const line of this.transitions.observe(evaluated, (Date.now() - this.startedAt) / 1000)) this.event(line);
    }
    const text = this.summary.render({
      elapsedMs: Date.now() - this.startedAt,
      generated: this.generated,
      malformedSent: this.malformedSent,
      slowSent: this.slowSent,
      brokers: this.broker.address ?? '-',
      topic: TOPIC,
      doubleUrl: this.double?.url ?? '-',
      forwarderUrl: this.forwarderUrl,
      requestsByStatus: this.requestsByStatus,
      forwarderMetrics,
      forwarderState: this.forwarderExit ?? 'running',
      warnings: this.warnings,
      monitors: this.conditions && { environment: this.environment, lines: this.conditions.render(undefined, evaluated) },
      transitions: this.interactive ? this.events : [],
      forwarderRestarts: this.forwarderRestarts,
    });
    if (this.stopping && !final) return;
    process.stdout.write(this.interactive && !final ? `\x1b[2J\x1b[H${text}\n` : `${text}\n\n`);
  }

  private lastMetrics?: PrometheusSamples;

  /** Stops everything that was started, in order; idempotent. Resolves with the exit code. */
  stop(code: number): Promise<number> {
    this.stopping ??= this.shutdown(code).then((exitCode) => {
      this.resolveFinished(exitCode);
      return exitCode;
    });
    return this.stopping;
  }

  private async shutdown(code: number): Promise<number> {
    clearInterval(this.summaryTimer);
    clearInterval(this.generatorTimer);
    this.scenario?.stop();
    let exitCode = code;
    const step = async (what: string, action: () => Promise<unknown>) => {
      try {
        await action();
      } catch (error) {
        log(`stopping ${what} failed: ${(error as Error).message}`);
        exitCode = exitCode || 1;
      }
    };
    await step('the generator', async () => this.producer?.disconnect());
    if (this.forwarder) {
      // Let the forwarder drain what it read before the last summary.
      await new Promise((resolve) => setTimeout(resolve, Math.min(1500, this.intervalMs)));
      this.lastMetrics = (await this.forwarderMetrics()) ?? this.lastMetrics;
      await step('the forwarder', async () => {
        const result = await stopChild(this.forwarder!.child, 15_000);
        this.forwarderExit ??= result.signal ? `signal ${result.signal}` : `exit ${result.code}`;
        if (result.killed) log('the forwarder did not stop within 15 s: killed');
      });
    }
    if (this.double && this.running) {
      process.stdout.write('final summary:\n');
      await this.print(true);
    }
    await step('the Datadog double', async () => this.double?.close());
    await step('the Kafka broker', () => this.broker.stop());
    log(`stopped: forwarder (${this.forwarderExit ?? 'not started'}), Datadog double, Kafka broker`);
    return exitCode;
  }
}

/** The demo, or the one line naming the DEMO_* setting it cannot use, and exit 1. */
function demoFromSettings(): Demo {
  try {
    return new Demo();
  } catch (error) {
    log(`failed: ${(error as Error).message}`);
    process.exit(1);
  }
}

if (require.main === module) {
  demoFromSettings()
    .run()
    .then(
      (code) => process.exit(code),
      (error) => {
        log(`failed: ${(error as Error).stack ?? error}`);
        process.exit(1);
      },
    );
}
