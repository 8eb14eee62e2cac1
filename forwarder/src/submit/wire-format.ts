/**
 * Datadog's wire format: where each kind of series goes, the type a v2 series carries, and each
 * endpoint's Content-Type and Content-Encoding values, as Datadog's published API (the OpenAPI
 * description its official clients are generated from) lists them. The test bed checks these
 * tables against the official client's models.
 */
import { COUNT_INTERVAL_SECONDS, type FORWARDER_SETTINGS, type MetricKind } from '@algorithmia-datadog/metric-declaration';
import { runtimeHasZstd } from './compression';

/** Where a batch goes: gauges to the v2 series endpoint, distributions to their own. */
export type Endpoint = 'series' | 'distribution_points';

export const ENDPOINT_PATHS: Readonly<Record<Endpoint, string>> = {
  series: '/api/v2/series',
  distribution_points: '/api/v1/distribution_points',
};

/** The v2 `MetricIntakeType`: the number a series on `/api/v2/series` carries as its `type`. */
export const V2_METRIC_TYPES = { unspecified: 0, count: 1, rate: 2, gauge: 3 } as const;
export type V2MetricType = keyof typeof V2_METRIC_TYPES;

/** How a kind of series is sent: to the v2 series endpoint with its type, or as distribution points. */
export type SeriesWire = { readonly endpoint: 'series'; readonly type: V2MetricType } | { readonly endpoint: 'distribution_points' };

/**
 * Each declared kind's endpoint and type. A kind added to the declaration without an entry here
 * does not compile, so it cannot go out as another kind.
 */
export const SERIES_WIRE: Readonly<Record<MetricKind, SeriesWire>> = {
  gauge: { endpoint: 'series', type: 'gauge' },
  distribution: { endpoint: 'distribution_points' },
  count: { endpoint: 'series', type: 'count' },
};

export function endpointFor(kind: MetricKind): Endpoint {
  return SERIES_WIRE[kind].endpoint;
}

/** The `type` number of a series of this kind on `/api/v2/series`. */
export function v2TypeOf(kind: MetricKind): number {
  const wire = SERIES_WIRE[kind];
  if (wire.endpoint !== 'series') throw new Error(`a ${kind} series does not go to ${ENDPOINT_PATHS.series}`);
  return V2_METRIC_TYPES[wire.type];
}

/**
 * The `interval` a v2 series of this kind carries: counts say how many seconds each point covers
 * (Datadog needs it for `as_rate()`); gauges carry none.
 */
export function v2IntervalOf(kind: MetricKind): number | undefined {
  return kind === 'count' ? COUNT_INTERVAL_SECONDS : undefined;
}

/** FORWARDER_CONTENT_ENCODING (its choices are in the settings table): `auto`, or one encoding for every endpoint. */
export type ContentEncodingChoice = (typeof FORWARDER_SETTINGS.contentEncoding.choices)[number];
/** Content-Encoding values the forwarder can send (compression.ts has a compressor for each). */
export type ContentEncoding = Exclude<ContentEncodingChoice, 'auto'>;

/**
 * What the spec lists for each endpoint, in the order `auto` prefers them: v2 `MetricContentEncoding`
 * (deflate, zstd1, gzip) and v1 `DistributionPointsContentEncoding` (deflate only).
 */
export const ENDPOINT_ENCODINGS: Readonly<Record<Endpoint, readonly ContentEncoding[]>> = {
  series: ['zstd1', 'gzip', 'deflate'],
  distribution_points: ['deflate'],
};

/** The request media type the spec gives each endpoint. */
export const MEDIA_TYPES: Readonly<Record<Endpoint, string>> = {
  series: 'application/json',
  distribution_points: 'text/json',
};

/** The encoding of each endpoint's bodies for a choice, or why it cannot be done (one line). */
export function resolveEncodings(
  choice: ContentEncodingChoice,
  usedEndpoints: readonly Endpoint[],
  hasZstd = runtimeHasZstd(),
): { encodings: Record<Endpoint, ContentEncoding> } | { problem: string } {
  if (choice === 'zstd1' && !hasZstd) {
    return { problem: `needs Node.js 22.15 or later (zlib.zstdCompress), this is Node.js ${process.version}: use auto or gzip` };
  }
  const pick = (endpoint: Endpoint): ContentEncoding | undefined => {
    const listed = ENDPOINT_ENCODINGS[endpoint];
    if (choice !== 'auto') return listed.includes(choice) ? choice : undefined;
    return listed.find((encoding) => encoding !== 'zstd1' || hasZstd);
  };
  for (const endpoint of usedEndpoints) {
    if (pick(endpoint) === undefined) {
      const listed = ENDPOINT_ENCODINGS[endpoint].join(', ');
      return {
        problem: `Datadog takes only ${listed} on ${ENDPOINT_PATHS[endpoint]}, where declared distributions go: use auto or ${listed}`,
      };
    }
  }
  // An endpoint no metric goes to keeps the encoding auto would give it.
  const fallback = (endpoint: Endpoint): ContentEncoding =>
    pick(endpoint) ?? (ENDPOINT_ENCODINGS[endpoint].find((encoding) => encoding !== 'zstd1' || hasZstd) as ContentEncoding);
  return { encodings: { series: fallback('series'), distribution_points: fallback('distribution_points') } };
}
