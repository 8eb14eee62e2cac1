import { DatadogDouble, formatRequestSummary } from '../src/datadog/datadog-double';
import { API_KEY, doublePerTest, NOW, NOW_MS, post, v2 } from './double-client';
import { DeadlineExceeded } from '../src/wait';

describe('DatadogDouble', () => {
  const doubles = doublePerTest();
  let double: DatadogDouble;
  beforeEach(() => {
    double = doubles.current();
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

    it('hands the points of each accepted request to onAccepted, and none of a refused one', async () => {
      const seen: number[][] = [];
      const observed = await DatadogDouble.start({
        apiKey: API_KEY,
        nowMs: () => NOW_MS,
        recordPoints: false,
        onAccepted: (points) => seen.push(points.map((point) => point.value as number)),
      });
      try {
        await post(observed, '/api/v2/series', v2('m', [[NOW, 7]]));
        await post(observed, '/api/v2/series', v2('m', [[NOW, 8]]), { apiKey: 'wrong' });
        await post(
          observed,
          '/api/v2/series',
          v2('m', [
            [NOW, 9],
            [NOW - 1, 10],
          ]),
        );
        expect(seen).toEqual([[7], [9, 10]]);
      } finally {
        await observed.close();
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
