/**
 * What each variable of FORWARDER_ENV means, for `--help` (and checked against the README's table
 * by a unit test, so the two cannot drift apart).
 */
import { FORWARDER_ENV as E } from './config';

export interface SettingHelp {
  /** The variable, or variables that go together. */
  readonly names: readonly string[];
  readonly defaultValue: string;
  readonly meaning: string;
}

export const SETTINGS_HELP: readonly SettingHelp[] = [
  {
    names: [`${E.apiKey[0]} (or ${E.apiKey[1]})`],
    defaultValue: 'required',
    meaning: 'Datadog API key (checked at start with GET /api/v1/validate).',
  },
  {
    names: [E.site],
    defaultValue: 'datadoghq.com',
    meaning:
      'datadoghq.com, us3.datadoghq.com, us5.datadoghq.com, datadoghq.eu, ap1.datadoghq.com, ap2.datadoghq.com, uk1.datadoghq.com, ddog-gov.com.',
  },
  { names: [E.host], defaultValue: `from ${E.site}`, meaning: 'API base URL override, e.g. https://api.datadoghq.eu or a proxy.' },
  { names: [E.brokers], defaultValue: 'required', meaning: 'Comma-separated host:port list.' },
  { names: [E.topics], defaultValue: 'required', meaning: 'Insights topic (comma-separated for several).' },
  {
    names: [E.groupId],
    defaultValue: 'algorithmia-datadog-forwarder',
    meaning: 'Consumer group: instances with the same id share the partitions.',
  },
  { names: [E.clientId], defaultValue: 'algorithmia-datadog-forwarder', meaning: 'Client id the brokers see.' },
  { names: [E.fromBeginning], defaultValue: 'true', meaning: 'Where a new group starts: earliest (true) or latest.' },
  {
    names: [E.sessionTimeoutMs],
    defaultValue: '30000',
    meaning: 'How long a dead instance keeps its partitions before the group moves them (the broker allows 6 000 to 1 800 000 by default).',
  },
  { names: [E.heartbeatIntervalMs], defaultValue: '3000', meaning: 'At most a third of the session timeout.' },
  { names: [E.ssl], defaultValue: 'false', meaning: 'TLS to the brokers.' },
  { names: [E.sslCaFile], defaultValue: 'system CAs', meaning: "PEM file of the CA that signed the brokers' certificates." },
  {
    names: [E.sslRejectUnauthorized],
    defaultValue: 'true',
    meaning: 'false turns certificate checks off (warned at start): anyone on the path can read the traffic.',
  },
  { names: [E.saslMechanism], defaultValue: 'none', meaning: 'plain, scram-sha-256, scram-sha-512 (Algorithmia: SCRAM over TLS).' },
  { names: [E.saslUsername, E.saslPassword], defaultValue: '', meaning: 'Required with a mechanism.' },
  {
    names: [E.deadLetterTopic],
    defaultValue: 'none',
    meaning:
      'Dead-letter topic for undecodable records (original bytes; headers dlq-error-reason, dlq-error, dlq-source-topic, dlq-source-partition, dlq-source-offset).',
  },
  { names: [E.metricsFile], defaultValue: 'none (all numeric keys, gauges)', meaning: 'The metric declaration, config/metrics.json.' },
  { names: [E.prefix], defaultValue: "the file's prefix (algorithmia)", meaning: 'Overrides the prefix; keep it equal to the CDKTF side.' },
  { names: [E.tags], defaultValue: 'none', meaning: 'Static tags, comma-separated: env:prod,team:ml.' },
  {
    names: [E.tagRequestIds],
    defaultValue: 'false',
    meaning: 'Also tag request_id/session_id: one custom metric per request (warned at start).',
  },
  {
    names: [E.batchMaxBytes],
    defaultValue: '2000000',
    meaning: "Uncompressed bytes per request (≤ 5 000 000; Datadog's limit is 5 242 880).",
  },
  { names: [E.flushIntervalMs], defaultValue: '500', meaning: 'Longest wait before a non-full batch is sent.' },
  { names: [E.maxInFlight], defaultValue: '4', meaning: 'Concurrent requests to Datadog.' },
  { names: [E.maxBufferedPoints], defaultValue: '100000', meaning: 'Points read and not yet accepted before consumption pauses.' },
  { names: [E.requestTimeoutMs], defaultValue: '10000', meaning: 'A slower request is abandoned and retried.' },
  {
    names: [E.contentEncoding],
    defaultValue: 'auto',
    meaning:
      'Content-Encoding of request bodies. auto: zstd1 on /api/v2/series where Node.js has zstd (22.15 or later: the image), gzip otherwise; deflate on /api/v1/distribution_points, the only one Datadog lists there. zstd1, gzip or deflate: that one on every endpoint (so zstd1 and gzip are refused at start when a distribution metric is declared).',
  },
  {
    names: [E.compressionLevel],
    defaultValue: '3',
    meaning:
      'Compression level 1–9 of that encoding (zlib for gzip and deflate, zstd for zstd1; 3: far less CPU than 6 for a few % more bytes).',
  },
  {
    names: [E.retryBaseDelayMs, E.retryMaxDelayMs],
    defaultValue: '250, 30000',
    meaning: 'Backoff (requests to Datadog, dead-letter writes, start-up retries).',
  },
  { names: [E.commitIntervalMs], defaultValue: '1000', meaning: 'How often finished offsets are committed.' },
  {
    names: [E.startupTimeoutMs],
    defaultValue: '60000',
    meaning: 'How long start-up retries unreachable brokers (not ready meanwhile) before exit 3.',
  },
  {
    names: [E.shutdownTimeoutMs],
    defaultValue: '20000',
    meaning: "Deadline to flush and commit on SIGTERM; keep the supervisor's stop timeout above it.",
  },
  { names: [E.httpPort, E.httpHost], defaultValue: '8080, 0.0.0.0', meaning: '/healthz, /readyz, /metrics.' },
  {
    names: ['FORWARDER_NODE_OPTIONS'],
    defaultValue: '--max-old-space-size=96 --max-semi-space-size=8',
    meaning: 'Node.js flags of the launcher: a heap sized for the bounded buffers. Raise with FORWARDER_MAX_BUFFERED_POINTS.',
  },
  { names: [E.logLevel], defaultValue: 'info', meaning: 'fatal, error, warn, info, debug, trace, silent. JSON logs (pino) on stdout.' },
];
