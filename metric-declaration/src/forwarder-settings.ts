/**
 * The forwarder's settings, one entry each: its environment variable (and an older name it also
 * reads), default, bounds or allowed values, whether it is a secret, and what it means. The one
 * place they are written: the forwarder parses its environment with them and prints them for
 * `--help` (a unit test holds the README's table to the same rows), and the Kubernetes construct
 * takes the names, defaults and bounds it sets and checks from them.
 *
 * The order is the order of `--help` and of the README's table.
 */
import { DATADOG_ENV, DATADOG_SITES, DEFAULT_SITE } from './site';

interface SettingFacts {
  /** The environment variable. */
  readonly env: string;
  /** Other names read when `env` is unset (the original forwarder's). */
  readonly aliases?: readonly string[];
  /** Never logged; on Kubernetes it comes from a Secret, never from the configuration. */
  readonly secret?: true;
  /** The default as `--help` words it, where the value alone would not say it (`from DD_SITE`). */
  readonly defaultText?: string;
}

/** A setting with its own row in `--help` and the README, or one listed in the row before it. */
type HelpFacts = { readonly meaning: string } | { readonly sameRowAsPrevious: true };

export type ForwarderSetting = SettingFacts &
  HelpFacts &
  (
    | { readonly type: 'text'; readonly default?: string; readonly required?: true; readonly pattern?: RegExp }
    /** Comma-separated; each item must match `itemPattern`. */
    | { readonly type: 'list'; readonly required?: true; readonly itemPattern?: RegExp }
    /** Without a default, the forwarder picks one (defaultText says how). */
    | { readonly type: 'integer'; readonly default?: number; readonly min: number; readonly max: number }
    | { readonly type: 'boolean'; readonly default: boolean }
    /** One of `choices`, any case. */
    | { readonly type: 'choice'; readonly choices: readonly string[]; readonly default?: string }
  );

/**
 * Compression level of each Content-Encoding when FORWARDER_COMPRESSION_LEVEL is unset. zstd 5 (its
 * lazy matcher) against 3: 3.9 against 4.6 bytes a point for ~0.2 CPU s more per million messages
 * on the bench's bodies; zlib's levels past 3 switch to its slow matcher (docs/benchmarks.md).
 */
export const DEFAULT_COMPRESSION_LEVELS = { zstd1: 5, gzip: 3, deflate: 3 } as const;

/** The launcher's V8 heap flags (FORWARDER_NODE_OPTIONS unset), which the Kubernetes memory sizing starts from. */
export const LAUNCHER_HEAP = { maxOldSpaceSizeMiB: 96, maxSemiSpaceSizeMiB: 8 } as const;

/**
 * The launcher's Node.js flags for an old space of `heapMiB`. `--single-threaded-gc`: the forwarder
 * already runs three JavaScript threads (consumer, decode, encode) on heaps of tens of MB, and V8's
 * parallel and concurrent GC helpers, one set per thread, competed with them for the cores: on 2
 * cores (Kubernetes' default limit here is 1) they cost ~20 % of the CPU per message and some of
 * the rate (docs/benchmarks.md, issue 22).
 */
export function launcherNodeOptions(heapMiB: number = LAUNCHER_HEAP.maxOldSpaceSizeMiB): string {
  return `--max-old-space-size=${heapMiB} --max-semi-space-size=${LAUNCHER_HEAP.maxSemiSpaceSizeMiB} --single-threaded-gc`;
}

/**
 * Heap per series known (FORWARDER_MAX_SERIES), with room for V8 to collect. Measured under a tag
 * explosion (72 000 tag sets, every message a new series): the decode thread ~250 bytes a series;
 * the main thread ~1 KB (its table ~200, an execution-count bucket ~650 with its key, the series
 * held by buffered batches). The decode thread's heap limit grows by the first; sizings above the
 * default setting by both.
 */
export const SERIES_HEAP_BYTES = { decodeThread: 640, mainThread: 1536 } as const;

const KAFKA_TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const FORWARDER_NAME = 'algorithmia-datadog-forwarder';

export const FORWARDER_SETTINGS = {
  apiKey: {
    env: DATADOG_ENV.apiKey,
    aliases: ['DATADOG_API_KEY'],
    type: 'text',
    required: true,
    secret: true,
    meaning: 'Datadog API key (checked at start with GET /api/v1/validate).',
  },
  site: {
    env: DATADOG_ENV.site,
    type: 'choice',
    choices: DATADOG_SITES,
    default: DEFAULT_SITE,
    meaning: `${DATADOG_SITES.join(', ')}.`,
  },
  host: {
    env: DATADOG_ENV.host,
    type: 'text',
    defaultText: `from ${DATADOG_ENV.site}`,
    meaning: 'API base URL override, e.g. https://api.datadoghq.eu or a proxy.',
  },
  brokers: {
    env: 'KAFKA_BROKER',
    type: 'list',
    required: true,
    itemPattern: /^[^\s:/,]+:\d{1,5}$/,
    meaning: 'Comma-separated host:port list.',
  },
  topics: {
    env: 'KAFKA_TOPIC',
    type: 'list',
    required: true,
    itemPattern: KAFKA_TOPIC_NAME,
    meaning: 'Insights topic (comma-separated for several).',
  },
  groupId: {
    env: 'KAFKA_GROUP_ID',
    type: 'text',
    default: FORWARDER_NAME,
    meaning: 'Consumer group: instances with the same id share the partitions.',
  },
  clientId: { env: 'KAFKA_CLIENT_ID', type: 'text', default: FORWARDER_NAME, meaning: 'Client id the brokers see.' },
  fromBeginning: {
    env: 'KAFKA_FROM_BEGINNING',
    type: 'boolean',
    default: true,
    meaning: 'Where a new group starts: earliest (true) or latest.',
  },
  sessionTimeoutMs: {
    env: 'KAFKA_SESSION_TIMEOUT_MS',
    type: 'integer',
    default: 30_000,
    // The broker bounds it too (group.min/max.session.timeout.ms, 6 s to 30 min by default).
    min: 1_000,
    max: 1_800_000,
    meaning: 'How long a dead instance keeps its partitions before the group moves them (the broker allows 6 000 to 1 800 000 by default).',
  },
  heartbeatIntervalMs: {
    env: 'KAFKA_HEARTBEAT_INTERVAL_MS',
    type: 'integer',
    default: 3_000,
    min: 100,
    max: 600_000,
    meaning: 'At most a third of the session timeout.',
  },
  ssl: { env: 'KAFKA_SSL', type: 'boolean', default: false, meaning: 'TLS to the brokers.' },
  sslCaFile: {
    env: 'KAFKA_SSL_CA_FILE',
    type: 'text',
    defaultText: 'system CAs',
    meaning: "PEM file of the CA that signed the brokers' certificates.",
  },
  sslRejectUnauthorized: {
    env: 'KAFKA_SSL_REJECT_UNAUTHORIZED',
    type: 'boolean',
    default: true,
    meaning: 'false turns certificate checks off (warned at start): anyone on the path can read the traffic.',
  },
  saslMechanism: {
    env: 'KAFKA_SASL_MECHANISM',
    type: 'choice',
    choices: ['plain', 'scram-sha-256', 'scram-sha-512'],
    defaultText: 'none',
    meaning: 'plain, scram-sha-256, scram-sha-512 (Algorithmia: SCRAM over TLS).',
  },
  saslUsername: { env: 'KAFKA_SASL_USERNAME', type: 'text', meaning: 'Required with a mechanism.' },
  saslPassword: { env: 'KAFKA_SASL_PASSWORD', type: 'text', secret: true, sameRowAsPrevious: true },
  deadLetterTopic: {
    env: 'KAFKA_DLQ_TOPIC',
    type: 'text',
    pattern: KAFKA_TOPIC_NAME,
    defaultText: 'none',
    meaning:
      'Dead-letter topic for undecodable records (original bytes; headers dlq-error-reason, dlq-error, dlq-source-topic, dlq-source-partition, dlq-source-offset).',
  },
  metricsFile: {
    env: 'FORWARDER_METRICS_FILE',
    type: 'text',
    defaultText: 'none (all numeric keys, gauges)',
    meaning: 'The metric declaration, config/metrics.json.',
  },
  prefix: {
    env: 'FORWARDER_METRIC_PREFIX',
    type: 'text',
    defaultText: "the file's prefix (algorithmia)",
    meaning: 'Overrides the prefix; keep it equal to the CDKTF side.',
  },
  tags: { env: 'FORWARDER_TAGS', type: 'list', defaultText: 'none', meaning: 'Static tags, comma-separated: env:prod,team:ml.' },
  tagRequestIds: {
    env: 'FORWARDER_TAG_REQUEST_IDS',
    type: 'boolean',
    default: false,
    meaning: 'Also tag request_id/session_id: one custom metric per request (warned at start).',
  },
  healthMetrics: {
    env: 'FORWARDER_HEALTH_METRICS',
    type: 'boolean',
    default: true,
    meaning:
      "Send the forwarder's own metrics (<prefix>.forwarder.*: heartbeat, consumer lag, counts) to Datadog every 10 s, tagged with its tags and forwarder_instance; false: /metrics only.",
  },
  batchMaxBytes: {
    env: 'FORWARDER_BATCH_MAX_BYTES',
    type: 'integer',
    default: 2_000_000,
    min: 10_000,
    // Under Datadog's 5 242 880 decompressed bytes, leaving room for the estimate's slack.
    max: 5_000_000,
    meaning: "Uncompressed bytes per request (≤ 5 000 000; Datadog's limit is 5 242 880).",
  },
  flushIntervalMs: {
    env: 'FORWARDER_FLUSH_INTERVAL_MS',
    type: 'integer',
    default: 500,
    min: 1,
    max: 60_000,
    meaning: 'Longest wait before a non-full batch is sent.',
  },
  maxInFlight: {
    env: 'FORWARDER_MAX_IN_FLIGHT',
    type: 'integer',
    default: 4,
    min: 1,
    max: 64,
    meaning: 'Concurrent requests to Datadog.',
  },
  maxBufferedPoints: {
    env: 'FORWARDER_MAX_BUFFERED_POINTS',
    type: 'integer',
    default: 100_000,
    min: 1_000,
    max: 50_000_000,
    meaning: 'Points read and not yet accepted before consumption pauses.',
  },
  maxSeries: {
    env: 'FORWARDER_MAX_SERIES',
    type: 'integer',
    default: 20_000,
    min: 1_000,
    max: 2_000_000,
    meaning:
      'Series (metric and tag set) known at once, and live execution-count buckets (twice as many). Past it, tag sets unused for a minute are forgotten; when none is, new series are refused and their values dropped (series_limit): a tag explosion loses the exploding values, not the process. About 2 KB each over both threads.',
  },
  requestTimeoutMs: {
    env: 'FORWARDER_REQUEST_TIMEOUT_MS',
    type: 'integer',
    default: 10_000,
    min: 100,
    max: 600_000,
    meaning: 'A slower request is abandoned and retried.',
  },
  contentEncoding: {
    env: 'FORWARDER_CONTENT_ENCODING',
    type: 'choice',
    choices: ['auto', 'zstd1', 'gzip', 'deflate'],
    default: 'auto',
    meaning:
      'Content-Encoding of request bodies. auto: zstd1 on /api/v2/series where Node.js has zstd (22.15 or later: the image), gzip otherwise; deflate on /api/v1/distribution_points, the only one Datadog lists there. zstd1, gzip or deflate: that one on every endpoint (so zstd1 and gzip are refused at start when a distribution metric is declared).',
  },
  compressionLevel: {
    env: 'FORWARDER_COMPRESSION_LEVEL',
    type: 'integer',
    min: 1,
    max: 9,
    defaultText: `${DEFAULT_COMPRESSION_LEVELS.zstd1} for zstd1, ${DEFAULT_COMPRESSION_LEVELS.gzip} for gzip and deflate`,
    meaning:
      "Compression level 1–9 of that encoding (zstd's for zstd1, zlib's for gzip and deflate). Unset, each encoding's own: zstd level 5 puts a point in under 4 bytes for a few % more CPU than 3; zlib's 3 costs far less CPU than 6 for a few % more bytes.",
  },
  retryBaseDelayMs: {
    env: 'FORWARDER_RETRY_BASE_DELAY_MS',
    type: 'integer',
    default: 250,
    min: 1,
    max: 60_000,
    meaning: 'Backoff (requests to Datadog, dead-letter writes, start-up retries).',
  },
  /** At least FORWARDER_RETRY_BASE_DELAY_MS: `min` is that setting's own. */
  retryMaxDelayMs: {
    env: 'FORWARDER_RETRY_MAX_DELAY_MS',
    type: 'integer',
    default: 30_000,
    min: 1,
    max: 3_600_000,
    sameRowAsPrevious: true,
  },
  commitIntervalMs: {
    env: 'FORWARDER_COMMIT_INTERVAL_MS',
    type: 'integer',
    default: 1_000,
    min: 10,
    max: 60_000,
    meaning: 'How often finished offsets are committed.',
  },
  startupTimeoutMs: {
    env: 'FORWARDER_STARTUP_TIMEOUT_MS',
    type: 'integer',
    default: 60_000,
    min: 0,
    max: 3_600_000,
    meaning: 'How long start-up retries unreachable brokers (not ready meanwhile) before exit 3.',
  },
  shutdownTimeoutMs: {
    env: 'FORWARDER_SHUTDOWN_TIMEOUT_MS',
    type: 'integer',
    default: 20_000,
    min: 100,
    max: 3_600_000,
    meaning: "Deadline to flush and commit on SIGTERM; keep the supervisor's stop timeout above it.",
  },
  httpPort: {
    env: 'FORWARDER_HTTP_PORT',
    type: 'integer',
    default: 8080,
    min: 0,
    max: 65_535,
    meaning: '/healthz, /readyz, /metrics.',
  },
  httpHost: { env: 'FORWARDER_HTTP_HOST', type: 'text', default: '0.0.0.0', sameRowAsPrevious: true },
  /** Read by the launcher (forwarder/bin), not by the forwarder itself. */
  nodeOptions: {
    env: 'FORWARDER_NODE_OPTIONS',
    type: 'text',
    default: launcherNodeOptions(),
    meaning:
      'Node.js flags of the launcher: a heap sized for the bounded buffers, and one garbage-collector thread per JavaScript thread. Raise with FORWARDER_MAX_BUFFERED_POINTS.',
  },
  logLevel: {
    env: 'LOG_LEVEL',
    type: 'choice',
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    meaning: 'fatal, error, warn, info, debug, trace, silent. JSON logs (pino) on stdout.',
  },
} as const satisfies Record<string, ForwarderSetting>;

export type ForwarderSettingId = keyof typeof FORWARDER_SETTINGS;

/** Every variable name the forwarder (or its launcher) reads, aliases included. */
export function forwarderSettingNames(): string[] {
  return Object.values(FORWARDER_SETTINGS).flatMap((setting: ForwarderSetting) => [setting.env, ...(setting.aliases ?? [])]);
}

/** One row of `--help` and of the README's table. */
export interface SettingsHelpRow {
  /** The variable, or variables that go together; an alias as `DD_API_KEY (or DATADOG_API_KEY)`. */
  readonly names: readonly string[];
  /** Empty when there is none to give. */
  readonly defaultValue: string;
  readonly meaning: string;
}

/** The settings as `--help` lists them. */
export function forwarderSettingsHelp(): SettingsHelpRow[] {
  const rows: { names: string[]; defaults: string[]; meaning: string }[] = [];
  for (const setting of Object.values(FORWARDER_SETTINGS) as ForwarderSetting[]) {
    const name = setting.aliases ? `${setting.env} (or ${setting.aliases.join(', ')})` : setting.env;
    const defaultValue = defaultText(setting);
    if ('sameRowAsPrevious' in setting) {
      const row = rows[rows.length - 1];
      row.names.push(name);
      if (defaultValue) row.defaults.push(defaultValue);
    } else {
      rows.push({ names: [name], defaults: defaultValue ? [defaultValue] : [], meaning: setting.meaning });
    }
  }
  return rows.map(({ names, defaults, meaning }) => ({ names, defaultValue: defaults.join(', '), meaning }));
}

function defaultText(setting: ForwarderSetting): string {
  if (setting.defaultText !== undefined) return setting.defaultText;
  if ('required' in setting && setting.required) return 'required';
  return 'default' in setting && setting.default !== undefined ? String(setting.default) : '';
}
