import { readFileSync } from 'node:fs';
import {
  apiBaseUrlForSite,
  DATADOG_ENV,
  DEFAULT_SITE,
  isDatadogSite,
  JsonSyntaxError,
  MetricDeclarationError,
  parseJsonText,
  parseMetricDeclaration,
  siteProblem,
  tagProblem,
  type MetricCatalog,
} from '@algorithmia-datadog/metric-declaration';
import {
  CONTENT_ENCODING_CHOICES,
  endpointFor,
  resolveEncodings,
  type ContentEncoding,
  type ContentEncodingChoice,
  type Endpoint,
} from '../submit/wire-format';

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface ForwarderConfig {
  readonly kafka: {
    readonly brokers: readonly string[];
    readonly topics: readonly string[];
    readonly groupId: string;
    readonly clientId: string;
    readonly ssl: boolean | { readonly ca?: string; readonly rejectUnauthorized: boolean };
    readonly sasl?: { readonly mechanism: SaslMechanism; readonly username: string; readonly password: string };
    readonly deadLetterTopic?: string;
    readonly fromBeginning: boolean;
    readonly sessionTimeoutMs: number;
    readonly heartbeatIntervalMs: number;
  };
  readonly datadog: {
    readonly apiKey: string;
    readonly baseUrl: string;
    readonly requestTimeoutMs: number;
    readonly compressionLevel: number;
    /** Each endpoint's Content-Encoding, from FORWARDER_CONTENT_ENCODING. */
    readonly encodings: Readonly<Record<Endpoint, ContentEncoding>>;
  };
  readonly catalog: MetricCatalog;
  readonly staticTags: readonly string[];
  readonly tagRequestIds: boolean;
  readonly batch: {
    readonly maxBytes: number;
    readonly flushIntervalMs: number;
    readonly maxInFlight: number;
    readonly maxBufferedPoints: number;
  };
  readonly retry: { readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly commitIntervalMs: number;
  readonly shutdownTimeoutMs: number;
  /** How long start-up retries unreachable brokers before giving up (exit 3). */
  readonly startupTimeoutMs: number;
  readonly httpPort: number;
  readonly httpHost: string;
  readonly logLevel: string;
}

/** A setting that is missing or wrong. Its message is the one line printed before exit code 2. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`${setting}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Every variable the forwarder reads, in one place. */
export const FORWARDER_ENV = {
  apiKey: [DATADOG_ENV.apiKey, 'DATADOG_API_KEY'],
  site: DATADOG_ENV.site,
  host: DATADOG_ENV.host,
  brokers: 'KAFKA_BROKER',
  topics: 'KAFKA_TOPIC',
  groupId: 'KAFKA_GROUP_ID',
  clientId: 'KAFKA_CLIENT_ID',
  ssl: 'KAFKA_SSL',
  sslCaFile: 'KAFKA_SSL_CA_FILE',
  sslRejectUnauthorized: 'KAFKA_SSL_REJECT_UNAUTHORIZED',
  saslMechanism: 'KAFKA_SASL_MECHANISM',
  saslUsername: 'KAFKA_SASL_USERNAME',
  saslPassword: 'KAFKA_SASL_PASSWORD',
  deadLetterTopic: 'KAFKA_DLQ_TOPIC',
  fromBeginning: 'KAFKA_FROM_BEGINNING',
  sessionTimeoutMs: 'KAFKA_SESSION_TIMEOUT_MS',
  heartbeatIntervalMs: 'KAFKA_HEARTBEAT_INTERVAL_MS',
  metricsFile: 'FORWARDER_METRICS_FILE',
  prefix: 'FORWARDER_METRIC_PREFIX',
  tags: 'FORWARDER_TAGS',
  tagRequestIds: 'FORWARDER_TAG_REQUEST_IDS',
  batchMaxBytes: 'FORWARDER_BATCH_MAX_BYTES',
  flushIntervalMs: 'FORWARDER_FLUSH_INTERVAL_MS',
  maxInFlight: 'FORWARDER_MAX_IN_FLIGHT',
  maxBufferedPoints: 'FORWARDER_MAX_BUFFERED_POINTS',
  requestTimeoutMs: 'FORWARDER_REQUEST_TIMEOUT_MS',
  compressionLevel: 'FORWARDER_COMPRESSION_LEVEL',
  contentEncoding: 'FORWARDER_CONTENT_ENCODING',
  retryBaseDelayMs: 'FORWARDER_RETRY_BASE_DELAY_MS',
  retryMaxDelayMs: 'FORWARDER_RETRY_MAX_DELAY_MS',
  commitIntervalMs: 'FORWARDER_COMMIT_INTERVAL_MS',
  shutdownTimeoutMs: 'FORWARDER_SHUTDOWN_TIMEOUT_MS',
  startupTimeoutMs: 'FORWARDER_STARTUP_TIMEOUT_MS',
  httpPort: 'FORWARDER_HTTP_PORT',
  httpHost: 'FORWARDER_HTTP_HOST',
  logLevel: 'LOG_LEVEL',
} as const;

const E = FORWARDER_ENV;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const SASL_MECHANISMS: readonly SaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512'];
/** Under Datadog's 5 242 880 decompressed bytes, leaving room for the estimate's slack. */
const MAX_BATCH_BYTES = 5_000_000;

/**
 * Environment → configuration. Names are compatible with the original forwarder
 * (DATADOG_API_KEY, KAFKA_BROKER, KAFKA_TOPIC) and shared with the Terraform provider
 * (DD_API_KEY, DD_SITE, DD_HOST). Throws ConfigError naming the first bad setting.
 */
export function loadConfig(env: Env, readFile: (path: string) => string = defaultReadFile): ForwarderConfig {
  const [apiKeyName, legacyApiKeyName] = E.apiKey;
  const apiKey = value(env, apiKeyName) ?? value(env, legacyApiKeyName);
  if (apiKey === undefined) throw new ConfigError(`${apiKeyName} (or ${legacyApiKeyName})`, 'is required: the Datadog API key');
  if (/\s/.test(apiKey)) throw new ConfigError(apiKeyName, 'contains white space');

  const brokers = list(required(env, E.brokers, 'comma-separated host:port list'));
  for (const broker of brokers) {
    if (!/^[^\s:/]+:\d{1,5}$/.test(broker)) throw new ConfigError(E.brokers, `"${broker}" is not host:port`);
  }
  const topics = list(required(env, E.topics, 'the Insights topic'));
  for (const topic of [...topics, ...(value(env, E.deadLetterTopic) ? [value(env, E.deadLetterTopic) as string] : [])]) {
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic))
      throw new ConfigError(topics.includes(topic) ? E.topics : E.deadLetterTopic, `"${topic}" is not a valid Kafka topic name`);
  }
  const deadLetterTopic = value(env, E.deadLetterTopic);
  if (deadLetterTopic !== undefined && topics.includes(deadLetterTopic)) {
    throw new ConfigError(E.deadLetterTopic, `must differ from ${E.topics}, or bad messages would be read again`);
  }

  const saslMechanism = value(env, E.saslMechanism)?.toLowerCase();
  let sasl: ForwarderConfig['kafka']['sasl'];
  if (saslMechanism !== undefined) {
    if (!(SASL_MECHANISMS as readonly string[]).includes(saslMechanism)) {
      throw new ConfigError(E.saslMechanism, `must be one of ${SASL_MECHANISMS.join(', ')}`);
    }
    sasl = {
      mechanism: saslMechanism as SaslMechanism,
      username: required(env, E.saslUsername, `needed with ${E.saslMechanism}`),
      password: required(env, E.saslPassword, `needed with ${E.saslMechanism}`),
    };
  }
  const sslEnabled = bool(env, E.ssl, false);
  const caFile = value(env, E.sslCaFile);
  let ssl: ForwarderConfig['kafka']['ssl'] = sslEnabled;
  if (sslEnabled && (caFile !== undefined || value(env, E.sslRejectUnauthorized) !== undefined)) {
    let ca: string | undefined;
    if (caFile !== undefined) {
      try {
        ca = readFile(caFile);
      } catch (error) {
        throw new ConfigError(
          E.sslCaFile,
          `cannot read "${caFile}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        );
      }
    }
    ssl = { ca, rejectUnauthorized: bool(env, E.sslRejectUnauthorized, true) };
  } else if (!sslEnabled && caFile !== undefined) {
    throw new ConfigError(E.sslCaFile, `is set but ${E.ssl} is not true`);
  }

  const site = value(env, DATADOG_ENV.site) ?? DEFAULT_SITE;
  const problem = siteProblem(site, DATADOG_ENV.host);
  if (problem !== undefined || !isDatadogSite(site)) throw new ConfigError(DATADOG_ENV.site, problem ?? site);
  const host = value(env, DATADOG_ENV.host);
  let baseUrl = apiBaseUrlForSite(site);
  if (host !== undefined) {
    let url: URL;
    try {
      url = new URL(host);
    } catch {
      throw new ConfigError(DATADOG_ENV.host, `"${host}" is not a URL (e.g. https://api.datadoghq.eu)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new ConfigError(DATADOG_ENV.host, 'must be an http:// or https:// URL');
    baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }

  const catalog = loadCatalog(env, readFile);
  const encodings = contentEncodings(env, catalog);
  const staticTags = list(value(env, E.tags) ?? '');
  for (const staticTag of staticTags) {
    const problem = tagProblem(staticTag);
    if (problem) throw new ConfigError(E.tags, `tag "${staticTag}": ${problem}`);
  }

  const logLevel = (value(env, E.logLevel) ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(E.logLevel, `must be one of ${LOG_LEVELS.join(', ')}`);
  const retryBaseDelayMs = int(env, E.retryBaseDelayMs, 250, 1, 60_000);
  // The broker bounds the session timeout (group.min/max.session.timeout.ms, 6 s to 30 min by default).
  const sessionTimeoutMs = int(env, E.sessionTimeoutMs, 30_000, 1_000, 1_800_000);
  const heartbeatIntervalMs = int(env, E.heartbeatIntervalMs, 3_000, 100, 600_000);
  if (heartbeatIntervalMs * 3 > sessionTimeoutMs) {
    throw new ConfigError(
      E.heartbeatIntervalMs,
      `must be at most a third of ${E.sessionTimeoutMs} (${sessionTimeoutMs}), or a slow heartbeat looks like a dead member`,
    );
  }

  return {
    kafka: {
      brokers,
      topics,
      groupId: value(env, E.groupId) ?? 'algorithmia-datadog-forwarder',
      clientId: value(env, E.clientId) ?? 'algorithmia-datadog-forwarder',
      ssl,
      sasl,
      deadLetterTopic,
      fromBeginning: bool(env, E.fromBeginning, true),
      sessionTimeoutMs,
      heartbeatIntervalMs,
    },
    datadog: {
      apiKey,
      baseUrl,
      requestTimeoutMs: int(env, E.requestTimeoutMs, 10_000, 100, 600_000),
      compressionLevel: int(env, E.compressionLevel, 3, 1, 9),
      encodings,
    },
    catalog,
    staticTags,
    tagRequestIds: bool(env, E.tagRequestIds, false),
    batch: {
      maxBytes: int(env, E.batchMaxBytes, 2_000_000, 10_000, MAX_BATCH_BYTES),
      flushIntervalMs: int(env, E.flushIntervalMs, 500, 1, 60_000),
      maxInFlight: int(env, E.maxInFlight, 4, 1, 64),
      maxBufferedPoints: int(env, E.maxBufferedPoints, 100_000, 1_000, 50_000_000),
    },
    retry: { baseDelayMs: retryBaseDelayMs, maxDelayMs: int(env, E.retryMaxDelayMs, 30_000, retryBaseDelayMs, 3_600_000) },
    commitIntervalMs: int(env, E.commitIntervalMs, 1_000, 10, 60_000),
    shutdownTimeoutMs: int(env, E.shutdownTimeoutMs, 20_000, 100, 3_600_000),
    startupTimeoutMs: int(env, E.startupTimeoutMs, 60_000, 0, 3_600_000),
    httpPort: int(env, E.httpPort, 8080, 0, 65_535),
    httpHost: value(env, E.httpHost) ?? '0.0.0.0',
    logLevel,
  };
}

function loadCatalog(env: Env, readFile: (path: string) => string): MetricCatalog {
  const file = value(env, E.metricsFile);
  let declaration: Record<string, unknown> = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFile(file);
    } catch (error) {
      throw new ConfigError(E.metricsFile, `cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    try {
      declaration = parseJsonText(text) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof JsonSyntaxError)
        throw new ConfigError(E.metricsFile, `"${file}" line ${error.line}, column ${error.column}: ${error.reason}`);
      throw error;
    }
  }
  const prefix = value(env, E.prefix);
  // The prefix override must name the same metrics as the dashboards: it is checked like the file's.
  const source = prefix === undefined ? E.metricsFile : `${E.metricsFile} with ${E.prefix}`;
  try {
    return parseMetricDeclaration(prefix === undefined ? declaration : { ...declaration, prefix }, file ?? source);
  } catch (error) {
    if (error instanceof MetricDeclarationError) throw new ConfigError(source, error.message);
    throw error;
  }
}

/** FORWARDER_CONTENT_ENCODING for the endpoints the declared metrics go to. */
function contentEncodings(env: Env, catalog: MetricCatalog): Record<Endpoint, ContentEncoding> {
  const choice = (value(env, E.contentEncoding) ?? 'auto').toLowerCase();
  if (!(CONTENT_ENCODING_CHOICES as readonly string[]).includes(choice)) {
    throw new ConfigError(E.contentEncoding, `must be one of ${CONTENT_ENCODING_CHOICES.join(', ')} (got "${choice}")`);
  }
  // Undeclared metrics are gauges: the series endpoint is always used.
  const used = new Set<Endpoint>(['series', ...catalog.metrics.map((metric) => endpointFor(metric.kind))]);
  const resolved = resolveEncodings(choice as ContentEncodingChoice, [...used]);
  if ('problem' in resolved) throw new ConfigError(E.contentEncoding, `${choice}: ${resolved.problem}`);
  return resolved.encodings;
}

function defaultReadFile(path: string): string {
  return readFileSync(path, 'utf8');
}

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

function required(env: Env, name: string, what: string): string {
  const raw = value(env, name);
  if (raw === undefined) throw new ConfigError(name, `is required (${what})`);
  return raw;
}

function list(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = value(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number (got "${raw}")`);
  const parsed = Number(raw);
  if (parsed < min || parsed > max) throw new ConfigError(name, `must be between ${min} and ${max} (got ${parsed})`);
  return parsed;
}
