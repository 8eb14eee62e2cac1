import { Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { FORWARDER_SETTINGS } from '@algorithmia-datadog/metric-declaration';
import { CountAggregator } from './aggregate/count-aggregator';
import { Batcher } from './batch/batcher';
import type { Batch } from './batch/batch';
import { OffsetCommitter } from './commit/offset-committer';
import type { Ack } from './commit/offset-ledger';
import { RetryPolicy } from './common/retry-policy';
import type { ForwarderConfig } from './config/config';
import { DeadLetterWriter } from './dead-letter/dead-letter';
import { InvalidRecords } from './dead-letter/invalid-records';
import { instanceTag } from './observe/instance';
import { OncePerKind, type Logger } from './observe/logger';
import { healthReadings } from './observe/health-readings';
import { HealthReporter } from './observe/health-reporter';
import type { ForwarderMetrics } from './observe/metrics';
import { meteredSubmitObserver } from './observe/submit-observer';
import { ConsumerLag } from './source/consumer-lag';
import { deadLetterProducer, FETCH_MAX_BYTES, kafkaClientConfig } from './source/kafka-client';
import { KafkaSource } from './source/kafka-source';
import { preflightKafka } from './startup/kafka-preflight';
import { StartupFailure } from './startup/startup-failure';
import { ApiKeyCheck, keyRefusedFailure } from './submit/api-key-check';
import { DatadogClient } from './submit/datadog-client';
import { SubmitQueue } from './submit/submit-queue';
import { Submitter, type SubmitOutcome } from './submit/submitter';
import { defaultRecordTranslator, InThreadRecordTranslator } from './translate/record-translator';
import { translatorSettings, type TranslatedRecords } from './translate/records';
import { TranslationQueue } from './translate/translation-queue';

/** Past this many unacknowledged dead-letter writes, consumption pauses (the topic is unwritable). */
const MAX_PENDING_DEAD_LETTERS = 1000;
/** A batch is sent this soon when nothing else is being sent (Batcher idleFlushMs). */
const IDLE_FLUSH_MS = 200;

export interface ForwarderDependencies {
  readonly logger: Logger;
  readonly metrics: ForwarderMetrics;
}

/**
 * The wiring: Kafka records (source/) → decode → translate → batch → submit → commit.
 * Each stage lives in its own module; this class only connects them to each other, and owns the
 * buffer bounds the source's back-pressure follows and the offset commits.
 */
export class Forwarder {
  private readonly source: KafkaSource;
  private readonly lag: ConsumerLag;
  /** Off with FORWARDER_HEALTH_METRICS=false. */
  private readonly health: HealthReporter | undefined;
  private readonly producer: Producer | undefined;
  /** Records being decoded and translated (in the translator's thread). */
  private readonly translating: TranslationQueue;
  private readonly batcher: Batcher;
  /** Execution counts, summed per series and 10 s before they are sent. */
  private readonly counts: CountAggregator;
  private readonly queue: SubmitQueue;
  /**
   * This process's `forwarder_instance:…` tag, drawn once per start: every series of counts this
   * process sends carries it (see observe/instance.ts), so that processes never overwrite each other.
   */
  readonly instance: string = instanceTag();
  private readonly logOnce: OncePerKind;
  private readonly shutdown = new AbortController();
  /** Aborted as soon as a stop begins, so that a start-up still retrying gives up. */
  private readonly startAbort = new AbortController();
  private readonly retryPolicy: RetryPolicy;
  private readonly apiKeyCheck: ApiKeyCheck;
  private reportFatal: (failure: StartupFailure) => void = () => undefined;
  /**
   * Settles only when Datadog refuses the API key: a setting to fix (exit 2), found at start or
   * later, after Datadog was unreachable at start.
   */
  readonly fatal = new Promise<StartupFailure>((resolve) => (this.reportFatal = resolve));
  /** kafkajs' own log lines are held back (debug) until start-up succeeded. */
  private readonly kafkaLogGate = { loud: false };

  private readonly committer: OffsetCommitter;
  private commitTimer: NodeJS.Timeout | undefined;
  /** Dead-letter writes not yet acknowledged; they hold their partition's commits. */
  private readonly invalid: InvalidRecords;
  /** Decoding fetched records failed: their offsets stay held, so nothing after them is committed. */
  private translationFailed = false;
  private stopping = false;
  private lastDatadogStatus: string | undefined;

  constructor(
    private readonly config: ForwarderConfig,
    private readonly deps: ForwarderDependencies,
  ) {
    const { logger, metrics } = deps;
    this.logOnce = new OncePerKind(logger);
    const kafka = new Kafka(kafkaClientConfig(config, logger, this.kafkaLogGate));
    this.source = new KafkaSource(kafka, {
      config,
      logger,
      metrics,
      noRoom: () => this.noRoom(),
      bufferedPoints: () => this.bufferedPoints,
      onRecords: (topic, partition, messages) => this.read(topic, partition, messages),
      onJoin: (assignment) => {
        this.committer.newGeneration();
        // kafkajs reads every partition again from its last commit, records being decoded included.
        this.translating.newGeneration();
        // The first health report goes out once joined, with the lag measured at the join.
        void this.lag.joined(assignment).then(() => this.health?.begin());
      },
    });
    this.lag = new ConsumerLag({
      admin: kafka.admin(),
      groupId: config.kafka.groupId,
      topics: config.kafka.topics,
      fromBeginning: config.kafka.fromBeginning,
      metrics,
      logOnce: this.logOnce,
    });
    this.committer = new OffsetCommitter({
      commitOffsets: (offsets) => this.source.commitOffsets(offsets),
      onCommitted: () => metrics.commits.labels('ok').inc(),
      onFailed: (err) => {
        metrics.commits.labels('failed').inc();
        this.logOnce.warn('commit-failed', { err }, 'offset commit failed; will retry');
      },
    });
    const translatorSetup = translatorSettings(config.catalog, config.staticTags, config.tagRequestIds, config.maxSeries, [this.instance]);
    this.translating = new TranslationQueue({
      translator: defaultRecordTranslator(translatorSetup),
      inline: new InThreadRecordTranslator(translatorSetup),
      onSettled: () => this.source.roomMade(),
      onFailed: (error) => {
        // Their offsets stay held, so nothing after them can be committed: not live any more.
        this.translationFailed = true;
        logger.error({ err: error }, 'decoding fetched records failed');
      },
    });

    const retryPolicy = (this.retryPolicy = new RetryPolicy(config.retry));
    const submitter = new Submitter({
      client: new DatadogClient({
        baseUrl: config.datadog.baseUrl,
        apiKey: config.datadog.apiKey,
        timeoutMs: config.datadog.requestTimeoutMs,
      }),
      encodings: config.datadog.encodings,
      compressionLevel: config.datadog.compressionLevel,
      retryPolicy,
      observer: meteredSubmitObserver(metrics, this.logOnce, (status) => {
        this.lastDatadogStatus = status;
        this.apiKeyCheck.statusSeen(status, this.startAbort.signal);
      }),
    });
    this.apiKeyCheck = new ApiKeyCheck({
      baseUrl: config.datadog.baseUrl,
      apiKey: config.datadog.apiKey,
      timeoutMs: config.datadog.requestTimeoutMs,
      retryPolicy,
      onRetry: (reason, delayMs) =>
        this.logOnce.warn(
          `api-key-check:${reason}`,
          { reason, delayMs, url: this.apiKeyCheck.url },
          'Datadog did not answer the API key check; not ready, checking again with backoff',
        ),
      onRefused: (afterStatus) => this.reportFatal(keyRefusedFailure(config.datadog.baseUrl, afterStatus)),
    });
    if (config.healthMetrics) {
      // Straight through the submitter, not the queue: a stalled data body must not hold it.
      this.health = new HealthReporter({
        submit: (batch, signal) => submitter.submit(batch, signal),
        readings: () => healthReadings(metrics, { topic: config.kafka.topics }),
        prefix: config.catalog.prefix,
        tags: [...config.staticTags, this.instance],
        logger,
      });
    }
    this.queue = new SubmitQueue({
      submitter,
      maxInFlight: config.batch.maxInFlight,
      onSettled: (batch, outcome) => this.settled(batch, outcome),
      onError: (error) => logger.error({ err: error }, 'unexpected error while submitting a batch'),
    });
    this.batcher = new Batcher({
      maxBatchBytes: config.batch.maxBytes,
      flushIntervalMs: config.batch.flushIntervalMs,
      // Nothing in flight: sending now delays nothing, so the tail of a backlog and a quiet topic
      // do not wait the whole interval.
      idleFlushMs: Math.min(IDLE_FLUSH_MS, config.batch.flushIntervalMs),
      senderIdle: () => this.queue.bufferedPoints === 0,
      onBatch: (batch) => this.queue.enqueue(batch),
    });
    this.counts = new CountAggregator({
      flushIntervalMs: config.batch.flushIntervalMs,
      maxBatchBytes: config.batch.maxBytes,
      maxBuckets: 2 * config.maxSeries,
      send: (batch) => this.queue.enqueue(batch),
      onDropped: (reason, executions) => {
        metrics.pointsDropped.labels(reason).inc(executions);
        this.logOnce.warn(`dropped:count:${reason}`, { reason, executions }, 'executions not counted');
      },
    });

    let deadLetters: DeadLetterWriter | undefined;
    if (config.kafka.deadLetterTopic !== undefined) {
      this.producer = deadLetterProducer(kafka);
      deadLetters = new DeadLetterWriter(this.producer, config.kafka.deadLetterTopic, retryPolicy, (error) =>
        this.logOnce.warn('dead-letter-retry', { err: error }, 'writing to the dead-letter topic failed, retrying'),
      );
    }
    this.invalid = new InvalidRecords({
      metrics,
      logOnce: this.logOnce,
      deadLetters,
      signal: this.shutdown.signal,
      onWritten: () => {
        this.source.roomMade();
        this.resumeIfRoom();
      },
    });
  }

  async start(): Promise<void> {
    const { config, deps } = this;
    this.apiKeyCheck.check(this.startAbort.signal);
    await preflightKafka({ config, logger: deps.logger, retryPolicy: this.retryPolicy, signal: this.startAbort.signal });
    if (this.stopping) return;
    if (this.producer) await this.producer.connect();
    this.lag.start();
    await this.source.start();
    this.kafkaLogGate.loud = true;
    this.commitTimer = setInterval(() => void this.committer.commit(), config.commitIntervalMs);
  }

  /**
   * Stops fetching, sends what was read, commits what was sent, leaves the group. Anything not
   * delivered by `deadlineMs` stays uncommitted and is read again by the next consumer.
   */
  async stop(deadlineMs = this.config.shutdownTimeoutMs): Promise<{ drained: boolean }> {
    if (this.stopping) return { drained: false };
    this.stopping = true;
    this.startAbort.abort();
    const started = Date.now();
    clearInterval(this.commitTimer);
    this.source.stopFetching();
    // Keep a share of the deadline for the final commit and leaving the group.
    const drainBudget = Math.max(0, deadlineMs * 0.8 - (Date.now() - started));
    let timer: NodeJS.Timeout | undefined;
    const sendRead = async (): Promise<void> => {
      await this.translating.idle();
      this.batcher.flush();
      // The counts' last totals go before the offsets of the messages they count are committed.
      await Promise.all([this.counts.drained(), this.queue.idle(), this.invalid.written()]);
    };
    const drained = await Promise.race([
      sendRead().then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), drainBudget))),
    ]);
    clearTimeout(timer);
    this.counts.close();
    if (!drained) {
      this.deps.logger.warn(
        { bufferedPoints: this.queue.bufferedPoints },
        'shutdown deadline reached; unsent points stay uncommitted and will be read again',
      );
    }
    this.queue.abort();
    this.shutdown.abort();
    // The last report, with what the drain sent, alongside the commit, within the deadline.
    const lastReport = this.health?.stop(deadlineMs - (Date.now() - started));
    if (this.source.isConsuming) await this.committer.commitAfterPending();
    await this.source.disconnect();
    await this.producer?.disconnect().catch((err) => this.deps.logger.warn({ err }, 'producer disconnect failed'));
    await Promise.all([lastReport, this.lag.stop()]);
    return { drained };
  }

  live(): boolean {
    return !this.source.hasCrashed && !this.translationFailed;
  }

  ready(): { ready: boolean; detail: Record<string, unknown> } {
    const detail = {
      joined: this.source.isJoined,
      paused: this.source.isPaused,
      stopping: this.stopping,
      bufferedPoints: this.bufferedPoints,
      decodingBytes: this.translating.bytes,
      apiKey: this.apiKeyCheck.state,
      lastDatadogStatus: this.lastDatadogStatus ?? null,
    };
    const authRefused = this.lastDatadogStatus === '403' || this.lastDatadogStatus === '401';
    const keyAccepted = this.apiKeyCheck.state === 'valid';
    return { ready: this.source.isJoined && keyAccepted && !this.stopping && this.live() && !authRefused, detail };
  }

  get bufferedPoints(): number {
    return this.batcher.bufferedPoints + this.queue.bufferedPoints;
  }

  /**
   * A partition's fetched records, handed to the translator (in its own thread). Their offsets are
   * registered now, in order; each is committable once its points are sent.
   */
  private read(topic: string, partition: number, messages: KafkaMessage[]): void {
    const ledger = this.committer.ledgerFor(topic, partition);
    const acks = messages.map((message) => ledger.register(message.offset));
    const last = messages[messages.length - 1];
    if (last) this.lag.read(topic, partition, last.offset, Number(last.timestamp));
    // Kept for the dead-letter topic only: otherwise the records can go as soon as they are packed.
    const kept = this.invalid.keepsRecords ? messages : undefined;
    this.translating.add(messages, {
      point: (record, series, timestamp, value) => this.batcher.addPoint(series, timestamp, value, acks[record]),
      // Only the forwarder's own counts are of kind count (it is not declarable): summed per fetch.
      count: (record, series, timestamp, value) => this.counts.add(series, timestamp, value, acks[record]),
      recordDone: () => this.batcher.messageDone(),
      invalid: (invalid) => this.invalid.handle(topic, partition, kept?.[invalid.index], acks[invalid.index], invalid),
      done: (records) => this.translated(topic, partition, acks, records),
    });
  }

  /** A partition's records were decoded and their points batched: counted, and let go. */
  private translated(topic: string, partition: number, acks: Ack[], records: TranslatedRecords): void {
    const { metrics } = this.deps;
    for (const ack of acks) ack.release();

    metrics.messagesConsumed.labels(topic).inc(acks.length);
    if (records.timeFromRecord > 0) {
      metrics.messagesTimeFromRecord.inc(records.timeFromRecord);
      this.logOnce.warn('time-from-record', { topic }, 'message without a usable time field; using the Kafka record time');
    }
    if (records.seriesForgotten > 0) {
      metrics.seriesForgotten.inc(records.seriesForgotten);
      this.logOnce.warn(
        'series-forgotten',
        { setting: FORWARDER_SETTINGS.maxSeries.env, maxSeries: this.config.maxSeries },
        'more series than the setting allows: tag sets unused for a minute are forgotten and made again when they return',
      );
    }
    for (const [reason, count] of Object.entries(records.dropped)) {
      metrics.pointsDropped.labels(reason).inc(count);
      this.logOnce.warn(`dropped:${reason}`, { reason, topic, partition }, 'value not sent');
    }
    metrics.bufferedPoints.set(this.bufferedPoints);
  }

  /**
   * No more records for now: the send buffer is full, a fetch is being decoded, or what is being
   * decoded will fill the buffer. One partition's records are always let through, so the buffer
   * overshoots its bound by at most one fetch of one partition, as when decoding was in this thread.
   */
  private noRoom(): boolean {
    if (this.bufferFull() || this.translating.bytes >= FETCH_MAX_BYTES) return true;
    const coming = this.translating.expectedPoints;
    return this.translating.messages > 0 && this.bufferedPoints + coming >= this.config.batch.maxBufferedPoints;
  }

  private bufferFull(): boolean {
    return this.bufferedPoints >= this.config.batch.maxBufferedPoints || this.invalid.pendingWrites >= MAX_PENDING_DEAD_LETTERS;
  }

  private settled(batch: Batch, outcome: SubmitOutcome): void {
    const { metrics } = this.deps;
    metrics.pointsSent.labels(batch.endpoint).inc(outcome.accepted);
    if (outcome.rejected > 0) metrics.pointsDropped.labels('rejected_by_datadog').inc(outcome.rejected);
    if (outcome.tooOld > 0) {
      metrics.pointsDropped.labels('too_old').inc(outcome.tooOld);
      this.logOnce.warn(
        'dropped:too_old_in_buffer',
        { points: outcome.tooOld },
        "points aged past Datadog's window while waiting to be sent",
      );
    }
    batch.settle();
    metrics.bufferedPoints.set(this.bufferedPoints);
    this.source.roomMade();
    this.resumeIfRoom();
  }

  /** Resumes at half the limits, so a full buffer does not flap between pause and resume. */
  private resumeIfRoom(): void {
    if (this.bufferedPoints > this.config.batch.maxBufferedPoints / 2) return;
    if (this.invalid.pendingWrites > MAX_PENDING_DEAD_LETTERS / 2) return;
    this.source.resumeAll();
  }
}
