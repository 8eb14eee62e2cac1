/**
 * The peer in the bench: Telegraf (kafka_consumer → datadog), built from the Go module proxy
 * with only the plugins it needs, cached in <repo>/.cache/telegraf/, and configured as a
 * competent user would (shared/reference/peers.md): large batches and buffer, 1 s flushes,
 * 20 000 undelivered messages, the broker's Kafka version, the Insights JSON with its three tag
 * keys and its time format in UTC.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './broker';

export const TELEGRAF_VERSION = 'v1.37.2';
const TELEGRAF_MODULE = `github.com/influxdata/telegraf/cmd/telegraf@${TELEGRAF_VERSION}`;
const BUILD_TAGS = 'custom,inputs.kafka_consumer,outputs.datadog,parsers.json';
export const TELEGRAF_DIR = path.join(REPO_ROOT, '.cache', 'telegraf');
const TELEGRAF_BIN = path.join(TELEGRAF_DIR, 'telegraf');

/** `go install` stamps no version into the binary (it says "Telegraf unknown"): a file beside it does. */
const STAMP_FILE = path.join(TELEGRAF_DIR, 'telegraf.build');
const STAMP = `${TELEGRAF_MODULE} -tags ${BUILD_TAGS}`;

function installed(): boolean {
  return existsSync(TELEGRAF_BIN) && existsSync(STAMP_FILE) && readFileSync(STAMP_FILE, 'utf8').trim() === STAMP;
}

/**
 * The Telegraf binary, built when missing (a few minutes the first time; Go's module and build
 * caches make later builds quick). Undefined, with the reason logged, where Go is missing or the
 * build fails: the bench then runs without the peer.
 */
export async function ensureTelegraf(log: (line: string) => void): Promise<string | undefined> {
  if (installed()) return TELEGRAF_BIN;
  if (spawnSync('go', ['version'], { encoding: 'utf8' }).status !== 0) {
    log(
      `Telegraf skipped: Go is not installed (needed to build Telegraf ${TELEGRAF_VERSION} into ${path.relative(REPO_ROOT, TELEGRAF_DIR)}/); install Go 1.24+ and run the bench again`,
    );
    return undefined;
  }
  mkdirSync(TELEGRAF_DIR, { recursive: true });
  log(
    `building Telegraf ${TELEGRAF_VERSION} (go install -tags ${BUILD_TAGS} ${TELEGRAF_MODULE}) into ${path.relative(REPO_ROOT, TELEGRAF_DIR)}/ in the background`,
  );
  const started = Date.now();
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('go', ['install', '-tags', BUILD_TAGS, TELEGRAF_MODULE], {
      env: { ...process.env, GOBIN: TELEGRAF_DIR },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => {
      output.push(chunk.toString('utf8'));
      if (output.length > 50) output.shift();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', () => resolve(-1));
    child.once('exit', resolve);
  });
  if (code !== 0 || !existsSync(TELEGRAF_BIN)) {
    log(`Telegraf skipped: go install failed (exit ${code}):\n${output.join('').split('\n').slice(-15).join('\n')}`);
    return undefined;
  }
  writeFileSync(STAMP_FILE, `${STAMP}\n`);
  log(`built Telegraf ${TELEGRAF_VERSION} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return TELEGRAF_BIN;
}

/** The Kafka version of the test bed's broker: KAFKA_VERSION, else scripts/kafka/pom.xml's. */
export function brokerKafkaVersion(): string {
  if (process.env.BENCH_TELEGRAF_KAFKA_VERSION) return process.env.BENCH_TELEGRAF_KAFKA_VERSION;
  if (process.env.KAFKA_VERSION) return process.env.KAFKA_VERSION;
  const pom = readFileSync(path.join(REPO_ROOT, 'scripts', 'kafka', 'pom.xml'), 'utf8');
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];
  if (!version) throw new Error('no <kafka.version> in scripts/kafka/pom.xml: set BENCH_TELEGRAF_KAFKA_VERSION');
  return version;
}

export interface TelegrafSettings {
  brokers: string;
  topic: string;
  groupId: string;
  /** The intake's base URL; the datadog output posts to <url>/api/v1/series. */
  datadogUrl: string;
  apiKey: string;
  kafkaVersion: string;
  /** Points each message makes (duration_milliseconds and its inference metrics): sizes the batches. */
  pointsPerMessage: number;
}

/**
 * Messages per write. The datadog output sends a batch as one uncompressed request, a series of
 * ~180 bytes per field, and Datadog refuses a request over 3.2 MB (413, which Telegraf retries
 * forever, delivering nothing). 5000 messages of 3 points (2.7 MB) is what a user tunes; with more
 * fields per message they lower it to keep a request's size.
 */
export function telegrafBatchSize(pointsPerMessage: number): number {
  return Math.floor(15_000 / pointsPerMessage);
}

const toml = (value: string): string => JSON.stringify(value);

/** How often Telegraf writes its buffer out (agent flush_interval): the most a point waits in it, when no batch fills first. */
export const TELEGRAF_FLUSH_INTERVAL = '1s';

export function telegrafConfig(settings: TelegrafSettings): string {
  return `# Written by forwarder/bench/lib/telegraf.ts for one bench round.
[agent]
  interval = "10s"
  metric_batch_size = ${telegrafBatchSize(settings.pointsPerMessage)}
  metric_buffer_limit = 100000
  flush_interval = ${toml(TELEGRAF_FLUSH_INTERVAL)}
  flush_jitter = "0s"
  omit_hostname = true

[[inputs.kafka_consumer]]
  brokers = [${settings.brokers.split(',').map(toml).join(', ')}]
  topics = [${toml(settings.topic)}]
  consumer_group = ${toml(settings.groupId)}
  # Telegraf's default protocol version is too old for Kafka 4.
  kafka_version = ${toml(settings.kafkaVersion)}
  offset = "oldest"
  max_undelivered_messages = 20000
  name_override = "algorithmia"
  data_format = "json"
  tag_keys = ["algorithm_name", "algorithm_version", "algorithm_owner"]
  json_time_key = "time"
  json_time_format = "2006-01-02T15:04:05.999999"
  json_timezone = "UTC"

[[outputs.datadog]]
  apikey = ${toml(settings.apiKey)}
  url = ${toml(`${settings.datadogUrl}/api/v1/series`)}
`;
}

/** One Telegraf process with its own config file; keeps the last lines it logged. */
export class TelegrafProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly tail: string[] = [];

  constructor(bin: string, settings: TelegrafSettings, workDir: string) {
    mkdirSync(workDir, { recursive: true });
    const configFile = path.join(workDir, 'telegraf.conf');
    writeFileSync(configFile, telegrafConfig(settings));
    this.child = spawn(bin, ['--config', configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? workDir },
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.trim()) this.tail.push(line);
        while (this.tail.length > 100) this.tail.shift();
      });
    }
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid as number;
  }

  output(): string {
    return this.tail.join('\n');
  }

  /** SIGTERM (Telegraf flushes and exits), SIGKILL after `graceMs`. */
  async terminate(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
