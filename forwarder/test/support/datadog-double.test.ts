import http from 'node:http';
import zlib from 'node:zlib';

import { DatadogDouble, formatRequestSummary } from './datadog-double';
import { DeadlineExceeded } from './wait';

const API_KEY = 'test-key';
const NOW_MS = 1_700_000_000_000;
const NOW = NOW_MS / 1000;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { errors?: string[] } & Record<string, unknown>;
}

interface PostOptions {
  apiKey?: string | null;
  encoding?: 'gzip' | 'deflate' | 'zstd1' | 'identity' | 'br';
  contentType?: string;
  timeoutMs?: number;
  raw?: Buffer;
}

/** A plain node:http client, so that each test controls headers and bytes exactly. */
function post(double: DatadogDouble, path: string, payload: unknown, options: PostOptions = {}): Promise<Reply> {
  const json = Buffer.from(JSON.stringify(payload));
  const encoding = options.encoding ?? 'identity';
  const body = options.raw ?? encode(encoding, json);
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': options.contentType ?? 'application/json',
    'Content-Length': body.length,
  };
  if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
  const apiKey = options.apiKey === undefined ? API_KEY : options.apiKey;
  if (apiKey !== null) headers['DD-API-KEY'] = apiKey;
  return new Promise((resolve, reject) => {
    const request = http.request(`${double.url}${path}`, { method: 'POST', headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text ? JSON.parse(text) : {} });
      });
    });
    request.on('error', reject);
    if (options.timeoutMs) {
      request.setTimeout(options.timeoutMs, () => request.destroy(new Error('client timeout')));
    }
    request.end(body);
  });
}

const zstdCompressSync = (zlib as unknown as { zstdCompressSync?: (input: Buffer) => Buffer }).zstdCompressSync;

function encode(encoding: NonNullable<PostOptions['encoding']>, json: Buffer): Buffer {
  if (encoding === 'gzip') return zlib.gzipSync(json);
  if (encoding === 'deflate') return zlib.deflateSync(json);
  if (encoding === 'br') return zlib.brotliCompressSync(json);
  if (encoding === 'zstd1') {
    if (!zstdCompressSync) throw new Error('this Node.js has no zstd');
    return zstdCompressSync(json);
  }
  return json;
}

function v2(metric: string, points: Array<[number, number]>, extra: Record<string, unknown> = {}): unknown {
  return {
    series: [{ metric, type: 3, points: points.map(([timestamp, value]) => ({ timestamp, value })), ...extra }],
  };
}

describe('DatadogDouble', () => {
  let double: DatadogDouble;

  beforeEach(async () => {
    double = await DatadogDouble.start({ apiKey: API_KEY, nowMs: () => NOW_MS });
  });

  afterEach(async () => {
    await double.close();
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

  describe('refusing what Datadog refuses', () => {
    it('answers 403 without DD-API-KEY or with another key, and records nothing', async () => {
      const missing = await post(double, '/api/v2/series', v2('m', [[NOW, 1]]), { apiKey: null });
      const wrong = await post(double, '/api/v2/series', v2('m', [[NOW, 1]]), { apiKey: 'other' });

      expect([missing.status, wrong.status]).toEqual([403, 403]);
      expect(missing.body.errors?.[0]).toMatch(/DD-API-KEY/);
      expect(double.pointCount()).toBe(0);
    });

    it('answers 413 above 512 000 bytes on the wire for v2, but accepts that size on v1', async () => {
      const filler = 'x'.repeat(600_000);
      const payload = v2('m', [[NOW, 1]], { tags: [`big:${filler}`] });

      const onV2 = await post(double, '/api/v2/series', payload);
      const onV1 = await post(double, '/api/v1/series', { series: [{ metric: 'm', points: [[NOW, 1]], tags: [`big:${filler}`] }] });

      expect(onV2.status).toBe(413);
      expect(onV1.status).toBe(202);
    });

    it('answers 413 when a small compressed body decodes to more than 5 242 880 bytes (v2)', async () => {
      const payload = v2('m', [[NOW, 1]], { tags: [`big:${'x'.repeat(5_300_000)}`] });
      const reply = await post(double, '/api/v2/series', payload, { encoding: 'gzip' });

      expect(double.requests[0].wireBytes).toBeLessThan(512_000);
      expect(reply.status).toBe(413);
      expect(reply.body.errors?.[0]).toMatch(/decoded/);
    });

    it('answers 400 for a body that is not what its Content-Encoding says', async () => {
      const reply = await post(double, '/api/v2/series', null, { encoding: 'gzip', raw: Buffer.from('{"series":[]}') });
      expect(reply.status).toBe(400);
    });

    it('answers 400 for a Content-Type other than JSON and for a body that is not JSON', async () => {
      const form = await post(double, '/api/v2/series', v2('m', [[NOW, 1]]), { contentType: 'text/plain' });
      const garbage = await post(double, '/api/v2/series', null, { raw: Buffer.from('{not json') });
      expect([form.status, garbage.status]).toEqual([400, 400]);
    });

    it.each([
      ['a metric name starting with a digit', v2('1abc', [[NOW, 1]])],
      ['a metric name with a dash', v2('algo-duration', [[NOW, 1]])],
      ['a metric name over 200 characters', v2(`a${'b'.repeat(200)}`, [[NOW, 1]])],
      ['a v2 type out of 0..3', { series: [{ metric: 'm', type: 4, points: [{ timestamp: NOW, value: 1 }] }] }],
      ['a fractional timestamp', { series: [{ metric: 'm', points: [{ timestamp: NOW + 0.5, value: 1 }] }] }],
      ['a string value', { series: [{ metric: 'm', points: [{ timestamp: NOW, value: '1' }] }] }],
      ['v1-style points on v2', { series: [{ metric: 'm', points: [[NOW, 1]] }] }],
      ['no points', { series: [{ metric: 'm', points: [] }] }],
      ['tags that are not strings', v2('m', [[NOW, 1]], { tags: [1] })],
      ['an empty series list', { series: [] }],
      ['no series list', { metric: 'm' }],
    ])('answers 400 with an explanation for %s', async (_, payload) => {
      const reply = await post(double, '/api/v2/series', payload);

      expect(reply.status).toBe(400);
      expect(reply.body.errors?.length).toBeGreaterThan(0);
      expect(double.pointCount()).toBe(0);
    });

    it('rejects malformed v1 and distribution points', async () => {
      const v1 = await post(double, '/api/v1/series', { series: [{ metric: 'm', points: [{ timestamp: NOW, value: 1 }] }] });
      const dist = await post(double, '/api/v1/distribution_points', { series: [{ metric: 'm', points: [[NOW, 1]] }] });
      const emptyValues = await post(double, '/api/v1/distribution_points', { series: [{ metric: 'm', points: [[NOW, []]] }] });
      expect([v1.status, dist.status, emptyValues.status]).toEqual([400, 400, 400]);
    });

    it('rejects the whole request when one series is invalid', async () => {
      const reply = await post(double, '/api/v2/series', {
        series: [
          { metric: 'good', points: [{ timestamp: NOW, value: 1 }] },
          { metric: 'bad name', points: [{ timestamp: NOW, value: 1 }] },
        ],
      });

      expect(reply.status).toBe(400);
      expect(reply.body.errors).toEqual([expect.stringContaining('series[1].metric')]);
      expect(double.pointCount('good')).toBe(0);
    });

    it('rejects timestamps older than one hour or more than ten minutes ahead, and accepts the edges', async () => {
      const old = await post(double, '/api/v2/series', v2('m', [[NOW - 3601, 1]]));
      const ahead = await post(double, '/api/v2/series', v2('m', [[NOW + 601, 1]]));
      const edges = await post(
        double,
        '/api/v2/series',
        v2('m', [
          [NOW - 3600, 1],
          [NOW + 600, 2],
        ]),
      );

      expect(old.status).toBe(400);
      expect(old.body.errors?.[0]).toMatch(/in the past/);
      expect(ahead.status).toBe(400);
      expect(ahead.body.errors?.[0]).toMatch(/in the future/);
      expect(edges.status).toBe(202);
      expect(double.pointCount('m')).toBe(2);
    });

    it('answers 404 for other paths and 405 for other methods', async () => {
      const unknown = await post(double, '/api/v1/check_run', {});
      const get = await new Promise<number>((resolve, reject) => {
        http
          .get(`${double.url}/api/v2/series`, (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          })
          .on('error', reject);
      });
      expect([unknown.status, get]).toEqual([404, 405]);
    });
  });

  describe('out-of-window timestamps as Datadog treats them', () => {
    it("with outOfWindowTimestamps 'drop', answers 202 but does not record the stale point", async () => {
      const dropping = await DatadogDouble.start({ apiKey: API_KEY, nowMs: () => NOW_MS, outOfWindowTimestamps: 'drop' });
      try {
        const reply = await post(
          dropping,
          '/api/v2/series',
          v2('m', [
            [NOW - 7200, 1],
            [NOW, 2],
          ]),
        );

        expect(reply.status).toBe(202);
        expect(dropping.pointsFor('m').map((point) => point.value)).toEqual([2]);
        expect(dropping.stats().droppedPoints).toBe(1);
      } finally {
        await dropping.close();
      }
    });
  });

  describe('misbehaving on request', () => {
    it('answers N requests with 500, records none of them, then recovers', async () => {
      double.failNext(2);

      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await post(double, '/api/v2/series', v2('m', [[NOW, i]]))).status);

      expect(statuses).toEqual([500, 500, 202]);
      expect(double.pointsFor('m').map((point) => point.value)).toEqual([2]);
      expect(double.requests.map((request) => request.fault)).toEqual(['status', 'status', undefined]);
    });

    it('answers 429 with X-RateLimit headers', async () => {
      double.rateLimitNext(1, { resetSeconds: 7, limit: 50, periodSeconds: 60 });

      const limited = await post(double, '/api/v2/series', v2('m', [[NOW, 1]]));
      const next = await post(double, '/api/v2/series', v2('m', [[NOW, 1]]));

      expect(limited.status).toBe(429);
      expect(limited.headers).toMatchObject({
        'x-ratelimit-reset': '7',
        'x-ratelimit-limit': '50',
        'x-ratelimit-period': '60',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-name': 'metrics_submission',
      });
      expect(next.status).toBe(202);
    });

    it('answers slowly past a client timeout, having recorded the points, so a retry shows as a duplicate', async () => {
      double.delayNext(1, 2_000);
      const payload = v2('m', [[NOW, 42]], { tags: ['b:2', 'a:1'] });

      await expect(post(double, '/api/v2/series', payload, { timeoutMs: 200 })).rejects.toThrow('client timeout');
      const retry = await post(double, '/api/v2/series', v2('m', [[NOW, 42]], { tags: ['a:1', 'b:2'] }));

      expect(retry.status).toBe(202);
      expect(double.pointCount('m')).toBe(2);
      expect(double.duplicates()).toEqual([{ key: 'm|a:1,b:2|1700000000|42', count: 2 }]);
      expect(double.stats().duplicatePoints).toBe(1);
    });

    it('drops connections without recording, or after recording with afterAccept', async () => {
      double.dropNext(1).dropNext(1, { afterAccept: true });

      await expect(post(double, '/api/v2/series', v2('m', [[NOW, 1]]))).rejects.toThrow(/socket hang up|ECONNRESET/);
      await expect(post(double, '/api/v2/series', v2('m', [[NOW, 2]]))).rejects.toThrow(/socket hang up|ECONNRESET/);

      expect(double.pointsFor('m').map((point) => point.value)).toEqual([2]);
      expect(double.requests.map((request) => request.status)).toEqual([0, 0]);
    });

    it('is down (503, or the given status) for every request until told to come back', async () => {
      double.goDown();
      const whileDown = [
        await post(double, '/api/v2/series', v2('m', [[NOW, 1]])),
        await post(double, '/api/v1/series', { series: [{ metric: 'm', points: [[NOW, 1]] }] }),
      ].map((reply) => reply.status);
      double.goDown(500);
      const down500 = (await post(double, '/api/v2/series', v2('m', [[NOW, 1]]))).status;
      double.comeBack();
      const after = (await post(double, '/api/v2/series', v2('m', [[NOW, 1]]))).status;

      expect(whileDown).toEqual([503, 503]);
      expect(down500).toBe(500);
      expect(after).toBe(202);
      expect(double.requests.map((request) => request.fault)).toEqual(['down', 'down', 'down', undefined]);
    });

    it('forgets queued faults with behave()', async () => {
      double.failNext(5).behave();
      expect((await post(double, '/api/v2/series', v2('m', [[NOW, 1]]))).status).toBe(202);
    });
  });

  describe('waiting', () => {
    it('waitFor resolves as soon as a request makes the predicate true', async () => {
      const waiting = double.waitForPoints('m', 2, 5_000);
      await post(double, '/api/v2/series', v2('m', [[NOW, 1]]));
      await post(double, '/api/v2/series', v2('m', [[NOW, 2]]));

      await expect(waiting).resolves.toHaveLength(2);
    });

    it('waitFor rejects at its deadline, saying what was received', async () => {
      await post(double, '/api/v2/series', v2('other', [[NOW, 1]]));

      const waiting = double.waitFor((dd) => dd.pointCount('m') > 0, 100, 'a point of m');

      await expect(waiting).rejects.toThrow(DeadlineExceeded);
      await expect(waiting).rejects.toThrow(/a point of m; received 1 requests \(1×202\), 1 points \(other=1\)/);
    });
  });

  describe('for benchmarks', () => {
    it('counts per metric without keeping points when recordPoints is false', async () => {
      const counting = await DatadogDouble.start({ apiKey: API_KEY, nowMs: () => NOW_MS, recordPoints: false });
      try {
        await post(
          counting,
          '/api/v2/series',
          v2('m', [
            [NOW, 1],
            [NOW, 1],
            [NOW - 1, 1],
          ]),
        );

        expect(counting.points()).toEqual([]);
        expect(counting.pointCount('m')).toBe(3);
        expect(counting.stats()).toMatchObject({ acceptedPoints: 3, duplicatePoints: 1, pointsByMetric: { m: 3 } });
      } finally {
        await counting.close();
      }
    });

    it('accepts 100 000 points in well under the time a 50 000 points/s benchmark allows', async () => {
      const pointsPerRequest = 5_000;
      const requests = 20;
      const started = Date.now();
      for (let r = 0; r < requests; r += 1) {
        const points = Array.from({ length: pointsPerRequest }, (_, i) => ({
          timestamp: NOW - (i % 3000),
          value: r * pointsPerRequest + i,
        }));
        const reply = await post(
          double,
          '/api/v2/series',
          { series: [{ metric: 'bench.m', type: 3, points, tags: ['k:v'] }] },
          { encoding: 'gzip' },
        );
        expect(reply.status).toBe(202);
      }
      const elapsedMs = Date.now() - started;

      expect(double.pointCount('bench.m')).toBe(pointsPerRequest * requests);
      expect(double.stats().duplicatePoints).toBe(0);
      // 100k points at 50k/s is 2 s; leave room for a busy, shared 2-core machine.
      expect(elapsedMs).toBeLessThan(8_000);
    });
  });

  describe('control routes', () => {
    it('serves /_double/* when enabled, for a double in another process', async () => {
      const controlled = await DatadogDouble.start({ apiKey: API_KEY, nowMs: () => NOW_MS, controlRoutes: true });
      try {
        await post(controlled, '/_double/down?status=500', {});
        const down = await post(controlled, '/api/v2/series', v2('m', [[NOW, 1]]));
        await post(controlled, '/_double/up', {});
        const up = await post(controlled, '/api/v2/series', v2('m', [[NOW, 1]]));
        const stats = await post(controlled, '/_double/stats', {});

        expect([down.status, up.status]).toEqual([500, 202]);
        expect(stats.body).toMatchObject({ requests: 2, acceptedPoints: 1, requestsByStatus: { 202: 1, 500: 1 } });
      } finally {
        await controlled.close();
      }
    });

    it('treats /_double/* as an unknown path when not enabled', async () => {
      expect((await post(double, '/_double/down', {})).status).toBe(404);
    });
  });

  describe('GET /api/v1/validate (the API key check)', () => {
    async function validate(apiKey: string | undefined): Promise<{ status: number; body: unknown }> {
      const response = await fetch(`${double.url}/api/v1/validate`, { headers: apiKey === undefined ? {} : { 'DD-API-KEY': apiKey } });
      return { status: response.status, body: await response.json() };
    }

    it('answers as Datadog does: 200 {"valid":true} for the key, 403 {"errors":["Forbidden"]} otherwise', async () => {
      expect(await validate(API_KEY)).toEqual({ status: 200, body: { valid: true } });
      expect(await validate('another-key')).toEqual({ status: 403, body: { errors: ['Forbidden'] } });
      expect(await validate(undefined)).toEqual({ status: 403, body: { errors: ['Forbidden'] } });
      expect(double.keyValidations).toEqual([200, 403, 403]);
      expect(double.requests).toHaveLength(0);
    });

    it('answers the down status while down', async () => {
      double.goDown(503);
      expect((await validate(API_KEY)).status).toBe(503);
      double.comeBack();
      expect((await validate(API_KEY)).status).toBe(200);
    });
  });

  it('summarises a request in one line', async () => {
    await post(double, '/api/v2/series', v2('m', [[NOW, 1]]), { encoding: 'gzip' });
    expect(formatRequestSummary(double.requests[0])).toMatch(
      /^#1 POST \/api\/v2\/series 202 gzip wire=\S+KB decoded=\S+KB series=1 points=1 \d+ms$/,
    );
  });
});
