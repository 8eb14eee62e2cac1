/**
 * The double against Datadog's own API client (`@datadog/datadog-api-client`): everything the
 * client sends, with every Content-Encoding the spec lists, the double must accept, and bodies the
 * spec forbids it must refuse. So the double is neither stricter nor looser than Datadog's client.
 */
import zlib from 'node:zlib';
import { client, v1, v2 } from '@datadog/datadog-api-client';
import { DatadogDouble } from '../src/datadog/datadog-double';

const API_KEY = 'contract-key';
const zstdCompressSync = (zlib as unknown as { zstdCompressSync?: (input: Buffer) => Buffer }).zstdCompressSync;

function configuration(double: DatadogDouble, apiKey = API_KEY): client.Configuration {
  return client.createConfiguration({
    authMethods: { apiKeyAuth: apiKey },
    baseServer: new client.BaseServerConfiguration(double.url, {}),
    // The client leaves zstd to its caller.
    ...(zstdCompressSync && { zstdCompressorCallback: (body: string) => zstdCompressSync(Buffer.from(body)) }),
  });
}

/** The HTTP status of a request the client made and Datadog (here the double) refused. */
async function refusal(request: Promise<unknown>): Promise<number> {
  try {
    await request;
  } catch (error) {
    if (error instanceof client.ApiException) return error.code;
    throw error;
  }
  throw new Error('the request was accepted');
}

describe("the double accepts what Datadog's official client sends", () => {
  let double: DatadogDouble;
  const now = Math.floor(Date.now() / 1000);

  beforeEach(async () => {
    double = await DatadogDouble.start({ apiKey: API_KEY });
  });
  afterEach(() => double.close());

  // Every field of the v2 series model the client fills in.
  const v2Payload = (metric: string): v2.MetricPayload => ({
    series: [
      {
        metric,
        type: 1,
        interval: 10,
        unit: 'request',
        points: [
          { timestamp: now, value: 3 },
          { timestamp: now - 10, value: 4.5 },
        ],
        tags: ['env:contract', 'algorithm_name:a'],
        resources: [{ name: 'host-1', type: 'host' }],
        sourceTypeName: 'algorithmia',
        metadata: { origin: { metricType: 0, product: 0, service: 0 } },
      },
      { metric: `${metric}.gauge`, type: 3, points: [{ timestamp: now, value: -1.25 }] },
    ],
  });

  const encodings: Array<'gzip' | 'deflate' | 'zstd1' | undefined> = [
    'gzip',
    'deflate',
    ...(zstdCompressSync ? (['zstd1'] as const) : []),
    undefined,
  ];
  it.each(encodings.map((encoding) => [encoding ?? 'no Content-Encoding', encoding] as const))(
    'v2 MetricsApi.submitMetrics with %s',
    async (label, contentEncoding) => {
      const metric = `contract.v2.${label.replace(/\W/g, '_')}`;
      await new v2.MetricsApi(configuration(double)).submitMetrics({ body: v2Payload(metric), contentEncoding });

      expect(double.requests.map((request) => [request.path, request.contentEncoding, request.status])).toEqual([
        ['/api/v2/series', contentEncoding ?? 'identity', 202],
      ]);
      expect(double.pointsFor(metric)).toEqual([
        expect.objectContaining({ type: 'count', interval: 10, unit: 'request', value: 3, resources: [{ name: 'host-1', type: 'host' }] }),
        expect.objectContaining({ timestamp: now - 10, value: 4.5 }),
      ]);
      expect(double.pointsFor(`${metric}.gauge`)).toEqual([expect.objectContaining({ type: 'gauge', value: -1.25 })]);
    },
  );

  it.each([['gzip'], ['deflate'], [undefined]] as const)('v1 MetricsApi.submitMetrics with %p', async (contentEncoding) => {
    await new v1.MetricsApi(configuration(double)).submitMetrics({
      body: {
        series: [{ metric: 'contract.v1', type: 'rate', interval: 10, host: 'host-1', points: [[now, 0.5]], tags: ['env:contract'] }],
      },
      contentEncoding,
    });

    expect(double.requests.map((request) => [request.contentEncoding, request.status])).toEqual([[contentEncoding ?? 'identity', 202]]);
    expect(double.pointsFor('contract.v1')).toEqual([expect.objectContaining({ type: 'rate', host: 'host-1', value: 0.5, interval: 10 })]);
  });

  it.each([['deflate'], [undefined]] as const)('v1 MetricsApi.submitDistributionPoints with %p', async (contentEncoding) => {
    await new v1.MetricsApi(configuration(double)).submitDistributionPoints({
      body: {
        series: [
          { metric: 'contract.distribution', type: 'distribution', host: 'host-1', points: [[now, [1, 2.5, 3]]], tags: ['env:contract'] },
        ],
      },
      contentEncoding,
    });

    expect(double.requests.map((request) => [request.contentEncoding, request.status])).toEqual([[contentEncoding ?? 'identity', 202]]);
    expect(double.pointsFor('contract.distribution')).toEqual([expect.objectContaining({ values: [1, 2.5, 3], host: 'host-1' })]);
  });

  it('v1 AuthenticationApi.validate: valid for the key, 403 for another', async () => {
    expect(await new v1.AuthenticationApi(configuration(double)).validate()).toMatchObject({ valid: true });
    expect(await refusal(new v1.AuthenticationApi(configuration(double, 'another-key')).validate())).toBe(403);
  });
});

describe('the double refuses what the spec forbids', () => {
  let double: DatadogDouble;
  const now = Math.floor(Date.now() / 1000);

  beforeEach(async () => {
    double = await DatadogDouble.start({ apiKey: API_KEY });
  });
  afterEach(() => double.close());

  it('a field the model does not have, sent by the client itself (additionalProperties)', async () => {
    const api = new v2.MetricsApi(configuration(double));
    const status = await refusal(
      api.submitMetrics({
        body: { series: [{ metric: 'contract.extra', points: [{ timestamp: now, value: 1 }], additionalProperties: { host: 'h' } }] },
      }),
    );

    expect(status).toBe(400);
    expect(double.requests[0].errors).toEqual([expect.stringContaining('series[0].host: unknown field')]);
    expect(double.pointCount()).toBe(0);
  });

  it('an encoding the endpoint does not list (the client itself refuses to send it)', async () => {
    const api = new v1.MetricsApi(configuration(double));
    const body = { series: [{ metric: 'contract.gzip', points: [[now, [1]]] as [[number, number[]]] }] };
    await expect(
      api.submitDistributionPoints({ body, contentEncoding: 'gzip' as unknown as v1.DistributionPointsContentEncoding }),
    ).rejects.toThrow(/unknown enum value 'gzip'/);
    const sent = await fetch(`${double.url}/api/v1/distribution_points`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/json', 'Content-Encoding': 'gzip', 'DD-API-KEY': API_KEY },
      body: zlib.gzipSync(JSON.stringify(body)),
    });

    expect(sent.status).toBe(415);
    expect(double.pointCount()).toBe(0);
  });

  it('a value of another type than the model says', async () => {
    const sent = await fetch(`${double.url}/api/v2/series`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'DD-API-KEY': API_KEY },
      body: JSON.stringify({ series: [{ metric: 'contract.type', points: [{ timestamp: now, value: '1' }] }] }),
    });

    expect(sent.status).toBe(400);
    expect(double.pointCount()).toBe(0);
  });
});
