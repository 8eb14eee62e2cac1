import { readFileSync } from 'node:fs';
import {
  apiBaseUrlForSite,
  FORWARDER_SETTINGS,
  isDatadogSite,
  JsonSyntaxError,
  MetricDeclarationError,
  parseJsonText,
  parseMetricDeclaration,
  siteProblem,
  tagProblem,
  type ForwarderSetting,
  type MetricCatalog,
} from '@algorithmia-datadog/metric-declaration';
import { endpointFor, resolveEncodings, type ContentEncoding, type ContentEncodingChoice, type Endpoint } from '../submit/wire-format';

export type SaslMechanism = (typeof FORWARDER_SETTINGS.saslMechanism.choices)[number];

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
    /** FORWARDER_COMPRESSION_LEVEL; undefined: each encoding's own (DEFAULT_COMPRESSION_LEVELS). */
    readonly compressionLevel: number | undefined;
    /** Each endpoint's Content-Encoding, from FORWARDER_CONTENT_ENCODING. */
    readonly encodings: Readonly<Record<Endpoint, ContentEncoding>>;
  };
  readonly catalog: MetricCatalog;
  readonly staticTags: readonly string[];
  readonly tagRequestIds: boolean;
  /** Series known at once (translate/series-registry.ts). */
  readonly maxSeries: number;
  /** Send the forwarder's own metrics to Datadog (observe/health-reporter.ts). */
  readonly healthMetrics: boolean;
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

const S = FORWARDER_SETTINGS;

/**
 * Environment → configuration. Names are compatible with the original forwarder
 * (DATADOG_API_KEY, KAFKA_BROKER, KAFKA_TOPIC) and shared with the Terraform provider
 * (DD_API_KEY, DD_SITE, DD_HOST). Names, defaults and bounds come from FORWARDER_SETTINGS (the
 * shared package). Throws ConfigError naming the first bad setting.
 */
export function loadConfig(env: Env, readFile: (path: string) => string = defaultReadFile): ForwarderConfig {
  const apiKeyName = S.apiKey.env;
  const [legacyApiKeyName] = S.apiKey.aliases;
  const apiKey = value(env, apiKeyName) ?? value(env, legacyApiKeyName);
  if (apiKey === undefined) throw new ConfigError(`${apiKeyName} (or ${legacyApiKeyName})`, 'is required: the Datadog API key');
  if (/\s/.test(apiKey)) throw new ConfigError(apiKeyName, 'contains white space');

  const brokers = list(required(env, S.brokers.env, 'comma-separated host:port list'));
  for (const broker of brokers) {
    if (!S.brokers.itemPattern.test(broker)) throw new ConfigError(S.brokers.env, `"${broker}" is not host:port`);
  }
  const topics = list(required(env, S.topics.env, 'the Insights topic'));
  for (const topic of topics) {
    if (!S.topics.itemPattern.test(topic)) throw new ConfigError(S.topics.env, `"${topic}" is not a valid Kafka topic name`);
  }
  const deadLetterTopic = value(env, S.deadLetterTopic.env);
  if (deadLetterTopic !== undefined && !S.deadLetterTopic.pattern.test(deadLetterTopic)) {
    throw new ConfigError(S.deadLetterTopic.env, `"${deadLetterTopic}" is not a valid Kafka topic name`);
  }
  if (deadLetterTopic !== undefined && topics.includes(deadLetterTopic)) {
    throw new ConfigError(S.deadLetterTopic.env, `must differ from ${S.topics.env}, or bad messages would be read again`);
  }

  const saslMechanism = choice(env, S.saslMechanism);
  let sasl: ForwarderConfig['kafka']['sasl'];
  if (saslMechanism !== undefined) {
    sasl = {
      mechanism: saslMechanism,
      username: required(env, S.saslUsername.env, `needed with ${S.saslMechanism.env}`),
      password: required(env, S.saslPassword.env, `needed with ${S.saslMechanism.env}`),
    };
  }
  const sslEnabled = boolean(env, S.ssl);
  const caFile = value(env, S.sslCaFile.env);
  let ssl: ForwarderConfig['kafka']['ssl'] = sslEnabled;
  if (sslEnabled && (caFile !== undefined || value(env, S.sslRejectUnauthorized.env) !== undefined)) {
    let ca: string | undefined;
    if (caFile !== undefined) {
      try {
        ca = readFile(caFile);
      } catch (error) {
        throw new ConfigError(
          S.sslCaFile.env,
          `cannot read "${caFile}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        );
      }
    }
    ssl = { ca, rejectUnauthorized: boolean(env, S.sslRejectUnauthorized) };
  } else if (!sslEnabled && caFile !== undefined) {
    throw new ConfigError(S.sslCaFile.env, `is set but ${S.ssl.env} is not true`);
  }

  const site = value(env, S.site.env) ?? S.site.default;
  const problem = siteProblem(site, S.host.env);
  if (problem !== undefined || !isDatadogSite(site)) throw new ConfigError(S.site.env, problem ?? site);
  const host = value(env, S.host.env);
  let baseUrl = apiBaseUrlForSite(site);
  if (host !== undefined) {
    let url: URL;
    try {
      url = new URL(host);
    } catch {
      throw new ConfigError(S.host.env, `"${host}" is not a URL (e.g. https://api.datadoghq.eu)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(S.host.env, 'must be an http:// or https:// URL');
    baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }

  const catalog = loadCatalog(env, readFile);
  const encodings = contentEncodings(env, catalog);
  const staticTags = list(value(env, S.tags.env) ?? '');
  for (const staticTag of staticTags) {
    const problem = tagProblem(staticTag);
    if (problem) throw new ConfigError(S.tags.env, `tag "${staticTag}": ${problem}`);
  }

  const logLevel = choice(env, S.logLevel) ?? S.logLevel.default;
  const retryBaseDelayMs = integer(env, S.retryBaseDelayMs);
  const sessionTimeoutMs = integer(env, S.sessionTimeoutMs);
  const heartbeatIntervalMs = integer(env, S.heartbeatIntervalMs);
  if (heartbeatIntervalMs * 3 > sessionTimeoutMs) {
    throw new ConfigError(
      S.heartbeatIntervalMs.env,
      `must be at most a third of ${S.sessionTimeoutMs.env} (${sessionTimeoutMs}), or a slow heartbeat looks like a dead member`,
    );
  }

  return {
    kafka: {
      brokers,
      topics,
      groupId: value(env, S.groupId.env) ?? S.groupId.default,
      clientId: value(env, S.clientId.env) ?? S.clientId.default,
      ssl,
      sasl,
      deadLetterTopic,
      fromBeginning: boolean(env, S.fromBeginning),
      sessionTimeoutMs,
      heartbeatIntervalMs,
    },
    datadog: {
      apiKey,
      baseUrl,
      requestTimeoutMs: integer(env, S.requestTimeoutMs),
      compressionLevel: optionalInteger(env, S.compressionLevel),
      encodings,
    },
    catalog,
    staticTags,
    tagRequestIds: boolean(env, S.tagRequestIds),
    maxSeries: integer(env, S.maxSeries),
    healthMetrics: boolean(env, S.healthMetrics),
    batch: {
      maxBytes: integer(env, S.batchMaxBytes),
      flushIntervalMs: integer(env, S.flushIntervalMs),
      maxInFlight: integer(env, S.maxInFlight),
      maxBufferedPoints: integer(env, S.maxBufferedPoints),
    },
    retry: { baseDelayMs: retryBaseDelayMs, maxDelayMs: integer(env, S.retryMaxDelayMs, retryBaseDelayMs) },
    commitIntervalMs: integer(env, S.commitIntervalMs),
    shutdownTimeoutMs: integer(env, S.shutdownTimeoutMs),
    startupTimeoutMs: integer(env, S.startupTimeoutMs),
    httpPort: integer(env, S.httpPort),
    httpHost: value(env, S.httpHost.env) ?? S.httpHost.default,
    logLevel,
  };
}

function loadCatalog(env: Env, readFile: (path: string) => string): MetricCatalog {
  const file = value(env, S.metricsFile.env);
  let declaration: Record<string, unknown> = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFile(file);
    } catch (error) {
      throw new ConfigError(
        S.metricsFile.env,
        `cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
    try {
      declaration = parseJsonText(text) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof JsonSyntaxError)
        throw new ConfigError(S.metricsFile.env, `"${file}" line ${error.line}, column ${error.column}: ${error.reason}`);
      throw error;
    }
  }
  const prefix = value(env, S.prefix.env);
  // The prefix override must name the same metrics as the dashboards: it is checked like the file's.
  const source = prefix === undefined ? S.metricsFile.env : `${S.metricsFile.env} with ${S.prefix.env}`;
  try {
    return parseMetricDeclaration(prefix === undefined ? declaration : { ...declaration, prefix }, file ?? source);
  } catch (error) {
    if (error instanceof MetricDeclarationError) throw new ConfigError(source, error.message);
    throw error;
  }
}

/** FORWARDER_CONTENT_ENCODING for the endpoints the declared metrics go to. */
function contentEncodings(env: Env, catalog: MetricCatalog): Record<Endpoint, ContentEncoding> {
  const { env: name, choices, default: auto } = S.contentEncoding;
  const chosen = (value(env, name) ?? auto).toLowerCase();
  // Unlike the other choices, this error quotes the value (as it always has).
  if (!(choices as readonly string[]).includes(chosen))
    throw new ConfigError(name, `must be one of ${choices.join(', ')} (got "${chosen}")`);
  // Undeclared metrics are gauges: the series endpoint is always used.
  const used = new Set<Endpoint>(['series', ...catalog.metrics.map((metric) => endpointFor(metric.kind))]);
  const resolved = resolveEncodings(chosen as ContentEncodingChoice, [...used]);
  if ('problem' in resolved) throw new ConfigError(name, `${chosen}: ${resolved.problem}`);
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

type Setting<T extends ForwarderSetting['type']> = Extract<ForwarderSetting, { type: T }>;

function boolean(env: Env, setting: Setting<'boolean'>): boolean {
  const raw = value(env, setting.env)?.toLowerCase();
  if (raw === undefined) return setting.default;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(setting.env, `must be true or false (got "${raw}")`);
}

/** @param min a bound that depends on another setting, instead of the table's */
function integer(env: Env, setting: Setting<'integer'> & { readonly default: number }, min = setting.min): number {
  return optionalInteger(env, setting, min) ?? setting.default;
}

/** The value, or undefined when unset (the forwarder then picks its own). */
function optionalInteger(env: Env, setting: Setting<'integer'>, min = setting.min): number | undefined {
  const raw = value(env, setting.env);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new ConfigError(setting.env, `must be a whole number (got "${raw}")`);
  const parsed = Number(raw);
  if (parsed < min || parsed > setting.max) throw new ConfigError(setting.env, `must be between ${min} and ${setting.max} (got ${parsed})`);
  return parsed;
}

/** The value lower-cased, or the default; undefined when neither. */
function choice<C extends string>(
  env: Env,
  setting: { readonly env: string; readonly choices: readonly C[]; readonly default?: C },
): C | undefined {
  const raw = value(env, setting.env)?.toLowerCase() ?? setting.default;
  if (raw === undefined) return undefined;
  if (!(setting.choices as readonly string[]).includes(raw))
    throw new ConfigError(setting.env, `must be one of ${setting.choices.join(', ')}`);
  return raw as C;
}
