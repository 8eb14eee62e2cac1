import http from 'node:http';
import { DatadogDouble } from '../src/datadog/datadog-double';
import { API_KEY, doublePerTest, NOW, NOW_MS, post, v2 } from './double-client';

describe('DatadogDouble', () => {
  const doubles = doublePerTest();
  let double: DatadogDouble;
  beforeEach(() => {
    double = doubles.current();
  });

  describe('refusing what Datadog refuses', () => {
    it('answers 403 without DD-API-KEY or with another key, and records nothing', async () => {
      const missing = await post(double, '/api/v2/series', v2('m', [[NOW, 1]]), { apiKey: null });
      const wrong = await post(double, '/api/v2/series', v2('m', [[NOW, 1]]), { apiKey: 'other' });

      expect([missing.status, wrong.status]).toEqual([403, 403]);
      expect(missing.body.errors?.[0]).toMatch(/DD-API-KEY/);
      expect(double.pointCount()).toBe(0);
    });

    it('answers 403 for another key in the api_key query parameter', async () => {
      const body = { series: [{ metric: 'm', points: [[NOW, 1]] }] };
      const wrong = await post(double, '/api/v1/series?api_key=other', body, { apiKey: null });
      const empty = await post(double, '/api/v1/series?api_key=', body, { apiKey: null });

      expect([wrong.status, empty.status]).toEqual([403, 403]);
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
});
