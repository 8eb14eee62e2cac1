import type { DatadogDouble } from '../src/datadog/datadog-double';
import { API_KEY, doublePerTest, NOW, post, v2, zstdCompressSync } from './double-client';

describe('DatadogDouble', () => {
  const doubles = doublePerTest();
  let double: DatadogDouble;
  beforeEach(() => {
    double = doubles.current();
  });

  describe('accepting what Datadog accepts', () => {
    it.each(['identity', 'gzip', 'deflate'] as const)(
      'accepts a v2 series sent with %s encoding and records its points',
      async (encoding) => {
        const reply = await post(
          double,
          '/api/v2/series',
          v2(
            'algo.duration_ms',
            [
              [NOW, 1.5],
              [NOW - 10, 2],
            ],
            { tags: ['env:test', 'algo:a'], unit: 'millisecond' },
          ),
          { encoding },
        );

        expect(reply.status).toBe(202);
        expect(reply.body).toEqual({ errors: [] });
        expect(double.pointsFor('algo.duration_ms')).toEqual([
          {
            endpoint: 'v2/series',
            metric: 'algo.duration_ms',
            type: 'gauge',
            timestamp: NOW,
            value: 1.5,
            tags: ['env:test', 'algo:a'],
            unit: 'millisecond',
          },
          {
            endpoint: 'v2/series',
            metric: 'algo.duration_ms',
            type: 'gauge',
            timestamp: NOW - 10,
            value: 2,
            tags: ['env:test', 'algo:a'],
            unit: 'millisecond',
          },
        ]);
        expect(double.requests[0]).toMatchObject({ status: 202, contentEncoding: encoding, series: 1, points: 2 });
      },
    );

    it('maps v2 type numbers to names and keeps interval and resources', async () => {
      await post(double, '/api/v2/series', {
        series: [
          { metric: 'a.count', type: 1, interval: 10, points: [{ timestamp: NOW, value: 3 }], resources: [{ name: 'h', type: 'host' }] },
          { metric: 'a.rate', type: 2, points: [{ timestamp: NOW, value: 0.5 }] },
          { metric: 'a.unspecified', points: [{ timestamp: NOW, value: 1 }] },
        ],
      });

      expect(double.pointsFor('a.count')[0]).toMatchObject({ type: 'count', interval: 10, resources: [{ name: 'h', type: 'host' }] });
      expect(double.pointsFor('a.rate')[0]).toMatchObject({ type: 'rate' });
      expect(double.pointsFor('a.unspecified')[0]).toMatchObject({ type: 'unspecified' });
    });

    it("accepts Telegraf's form: v1 series with the API key in the api_key query parameter, no Content-Encoding", async () => {
      // What Telegraf 1.37's Datadog output sends with omit_hostname and its default compression.
      const body = { series: [{ metric: 'algorithmia.confidence', points: [[NOW, 7.25]], host: '', tags: ['a:b'], interval: 1 }] };
      const reply = await post(double, `/api/v1/series?api_key=${API_KEY}`, body, { apiKey: null });

      expect(reply.status).toBe(202);
      expect(double.pointsFor('algorithmia.confidence')).toEqual([
        {
          endpoint: 'v1/series',
          metric: 'algorithmia.confidence',
          type: 'gauge',
          timestamp: NOW,
          value: 7.25,
          tags: ['a:b'],
          interval: 1,
          host: '',
        },
      ]);
      expect(double.requests[0]).toMatchObject({ path: '/api/v1/series', contentEncoding: 'identity' });
    });

    it('accepts v1 series and distribution points', async () => {
      const series = await post(double, '/api/v1/series', {
        series: [{ metric: 'v1.gauge', points: [[NOW, 4]], host: 'h1', tags: ['a:b'] }],
      });
      const distribution = await post(
        double,
        '/api/v1/distribution_points',
        {
          series: [{ metric: 'v1.dist', points: [[NOW, [1, 2, 3]]], tags: ['a:b'] }],
        },
        { encoding: 'deflate' },
      );

      expect([series.status, distribution.status]).toEqual([202, 202]);
      expect(double.pointsFor('v1.gauge')).toEqual([
        { endpoint: 'v1/series', metric: 'v1.gauge', type: 'gauge', timestamp: NOW, value: 4, tags: ['a:b'], host: 'h1' },
      ]);
      expect(double.pointsFor('v1.dist')).toEqual([
        { endpoint: 'v1/distribution_points', metric: 'v1.dist', type: 'distribution', timestamp: NOW, values: [1, 2, 3], tags: ['a:b'] },
      ]);
    });
  });

  describe("Datadog's published contract (the official API client's models)", () => {
    const bodies = {
      '/api/v2/series': v2('m', [[NOW, 1]]),
      '/api/v1/series': { series: [{ metric: 'm', points: [[NOW, 1]] }] },
      '/api/v1/distribution_points': { series: [{ metric: 'm', points: [[NOW, [1]]] }] },
    };
    // What the spec lists: v2 MetricContentEncoding, v1 MetricContentEncoding, DistributionPointsContentEncoding.
    const encodingCases = [
      ['/api/v2/series', 'gzip', 202],
      ['/api/v2/series', 'deflate', 202],
      ['/api/v2/series', 'zstd1', 202],
      ['/api/v2/series', 'br', 415],
      ['/api/v1/series', 'gzip', 202],
      ['/api/v1/series', 'deflate', 202],
      ['/api/v1/series', 'zstd1', 415],
      ['/api/v1/distribution_points', 'deflate', 202],
      ['/api/v1/distribution_points', 'gzip', 415],
      ['/api/v1/distribution_points', 'zstd1', 415],
      ['/api/v1/distribution_points', 'identity', 202],
    ] as const;
    it.each(
      // A Node.js without zstd cannot make a zstd1 body to send.
      encodingCases.filter(([, encoding]) => encoding !== 'zstd1' || zstdCompressSync !== undefined),
    )('%s with Content-Encoding %s: %d', async (path, encoding, status) => {
      const reply = await post(double, path, bodies[path], { encoding });

      expect(reply.status).toBe(status);
      if (status === 415) expect(reply.body.errors?.[0]).toMatch(new RegExp(`Content-Encoding ${encoding} is not accepted on ${path}`));
      expect(double.pointCount()).toBe(status === 202 ? 1 : 0);
    });

    it('accepts text/json on the v1 endpoints, as the spec (and the official client) sends it, but not on v2', async () => {
      const v1 = await post(double, '/api/v1/distribution_points', bodies['/api/v1/distribution_points'], { contentType: 'text/json' });
      const onV2 = await post(double, '/api/v2/series', bodies['/api/v2/series'], { contentType: 'text/json' });
      expect([v1.status, onV2.status]).toEqual([202, 400]);
    });

    it.each([
      [
        'a field the v2 series model lacks',
        '/api/v2/series',
        { series: [{ metric: 'm', points: [{ timestamp: NOW, value: 1 }], colour: 'red' }] },
      ],
      [
        'host on a v2 series (v2 has resources)',
        '/api/v2/series',
        { series: [{ metric: 'm', points: [{ timestamp: NOW, value: 1 }], host: 'h' }] },
      ],
      [
        'a field the v2 point model lacks',
        '/api/v2/series',
        { series: [{ metric: 'm', points: [{ timestamp: NOW, value: 1, unit: 'ms' }] }] },
      ],
      ['a top-level field', '/api/v2/series', { series: [{ metric: 'm', points: [{ timestamp: NOW, value: 1 }] }], extra: true }],
      [
        'interval on a distribution series',
        '/api/v1/distribution_points',
        { series: [{ metric: 'm', points: [[NOW, [1]]], interval: 10 }] },
      ],
      ['unit on a v1 series', '/api/v1/series', { series: [{ metric: 'm', points: [[NOW, 1]], unit: 'ms' }] }],
    ] as const)('answers 400 for %s (an unknown field)', async (_, path, body) => {
      const reply = await post(double, path, body);

      expect(reply.status).toBe(400);
      expect(reply.body.errors?.[0]).toMatch(/unknown field \(Datadog's \w+ model\)/);
      expect(double.pointCount()).toBe(0);
    });

    it('finds the one point of many that the model refuses, and names it', async () => {
      const points = [0, 1, 2, 3].map((i) => ({ timestamp: NOW - i, value: i }));
      const reply = await post(double, '/api/v2/series', {
        series: [
          { metric: 'm', points },
          { metric: 'n', points: [...points.slice(0, 3), { ...points[3], unit: 'ms' }] },
        ],
      });

      expect(reply.status).toBe(400);
      expect(reply.body.errors).toEqual([expect.stringMatching(/^series\[1\]\.points\[3\]\.unit: unknown field/)]);
    });

    it('finds the one series of many that the model refuses, and names it', async () => {
      const series = (i: number) => ({ metric: `m${i}`, points: [[NOW, i]], tags: [`t:${i}`], host: `h${i}` });
      const v1 = await post(double, '/api/v1/series', {
        series: [0, 1, 2, 3, 4, 5].map((i) => (i === 4 ? { ...series(i), unit: 'ms' } : series(i))),
      });
      const v2Series = (i: number) => ({ metric: `m${i}`, type: i === 3 ? 9 : 3, points: [{ timestamp: NOW, value: i }] });
      const v2Body = await post(double, '/api/v2/series', { series: [0, 1, 2, 3, 4].map(v2Series) });

      expect([v1.status, v2Body.status]).toEqual([400, 400]);
      expect(v1.body.errors).toEqual([expect.stringMatching(/^series\[4\]\.unit: unknown field/)]);
      expect(v2Body.body.errors).toEqual([expect.stringMatching(/^series\[3\]\.type: 9 is not a value the model allows/)]);
    });

    it('answers 400 for a value of the wrong type and for a value no enum of the model has', async () => {
      const wrongType = await post(double, '/api/v2/series', { series: [{ metric: 'm', points: [{ timestamp: String(NOW), value: 1 }] }] });
      const missing = await post(double, '/api/v1/distribution_points', { series: [{ metric: 'm' }] });
      const badEnum = await post(double, '/api/v2/series', { series: [{ metric: 'm', type: 9, points: [{ timestamp: NOW, value: 1 }] }] });

      expect([wrongType.status, missing.status, badEnum.status]).toEqual([400, 400, 400]);
      expect(wrongType.body.errors?.[0]).toMatch(/does not fit Datadog's MetricPayload model/);
      expect(missing.body.errors?.[0]).toMatch(/missing required property 'points'/);
      expect(badEnum.body.errors?.[0]).toMatch(/series\[0\]\.type: 9 is not a value the model allows/);
    });
  });
});
