import { Batch } from '../../../src/batch/batch';
import { RetryPolicy } from '../../../src/common/retry-policy';
import { DatadogClient } from '../../../src/submit/datadog-client';
import { SubmitAborted, Submitter, type SubmitObserver } from '../../../src/submit/submitter';
import type { Series } from '../../../src/translate/point';
import { DatadogDouble } from '@algorithmia-datadog/testbed';

let datadog: DatadogDouble;
beforeEach(async () => {
  datadog = await DatadogDouble.start();
});
afterEach(() => datadog.close());

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A batch of `seriesCount` series with `pointsPerSeries` points each, values 0..n-1. */
function batch(seriesCount: number, pointsPerSeries: number, at = nowSeconds() - 10): Batch {
  const b = new Batch('series');
  let value = 0;
  for (let s = 0; s < seriesCount; s++) {
    const series: Series = { metric: 'algorithmia.m', kind: 'gauge', tags: [`algorithm_name:a${s}`] };
    for (let p = 0; p < pointsPerSeries; p++) b.addValue(series, at - p, value++);
  }
  return b;
}

function submitter(options: { apiKey?: string; now?: () => number; retryDelayMs?: number } = {}) {
  const events: string[] = [];
  const observer: SubmitObserver = {
    request: (_endpoint, status) => events.push(`request ${status}`),
    retry: (_endpoint, reason) => events.push(`retry ${reason}`),
    rejected: (_endpoint, status, _detail, points) => events.push(`rejected ${status} ${points}`),
  };
  const client = new DatadogClient({ baseUrl: datadog.url, apiKey: options.apiKey ?? datadog.apiKey, timeoutMs: 2_000 });
  const delay = options.retryDelayMs ?? 5;
  const retryPolicy = new RetryPolicy({ baseDelayMs: delay, maxDelayMs: delay * 4 });
  return {
    events,
    submitter: new Submitter({
      client,
      retryPolicy,
      observer,
      nowSeconds: options.now,
      encodings: { series: 'gzip', distribution_points: 'deflate' },
      compressionLevel: 3,
    }),
  };
}

const values = () =>
  datadog
    .pointsFor('algorithmia.m')
    .map((p) => p.value)
    .sort((a, b) => (a as number) - (b as number));

describe('Submitter against the Datadog double', () => {
  it('delivers a batch in one gzip request', async () => {
    const { submitter: s, events } = submitter();
    await expect(s.submit(batch(3, 4), new AbortController().signal)).resolves.toEqual({ accepted: 12, rejected: 0, tooOld: 0 });
    expect(events).toEqual(['request 202']);
    expect(values()).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(datadog.requests[0].contentEncoding).toBe('gzip');
  });

  it('retries 500s, timeouts of dropped connections and 429s until accepted', async () => {
    datadog.failNext(2, 500).dropNext(1).rateLimitNext(1, { resetSeconds: 0 });
    const { submitter: s, events } = submitter();
    await expect(s.submit(batch(2, 2), new AbortController().signal)).resolves.toEqual({ accepted: 4, rejected: 0, tooOld: 0 });
    expect(events.filter((e) => e.startsWith('retry'))).toEqual([
      'retry http_500',
      'retry http_500',
      expect.stringMatching(/^retry network_/),
      'retry http_429',
    ]);
    expect(values()).toEqual([0, 1, 2, 3]);
  });

  it('retries a refused API key (403) rather than dropping the points', async () => {
    const { submitter: s, events } = submitter({ apiKey: 'wrong' });
    const controller = new AbortController();
    const outcome = s.submit(batch(1, 1), controller.signal);
    await datadog.waitForRequests(3, 5_000);
    controller.abort();
    await expect(outcome).rejects.toBeInstanceOf(SubmitAborted);
    expect(events.slice(0, 2)).toEqual(['request 403', 'retry http_403']);
    expect(datadog.pointCount()).toBe(0);
  });

  it('splits a batch Datadog finds too large (413) and sends every point once', async () => {
    datadog.failNext(1, 413);
    const { submitter: s } = submitter();
    await expect(s.submit(batch(4, 3), new AbortController().signal)).resolves.toEqual({ accepted: 12, rejected: 0, tooOld: 0 });
    expect(values()).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(datadog.stats().requestsByStatus).toEqual({ 413: 1, 202: 2 });
  });

  it('keeps the good points of a refused (400) batch by halving it, never retrying the same body', async () => {
    datadog.failNext(1, 400);
    const { submitter: s } = submitter();
    await expect(s.submit(batch(4, 1), new AbortController().signal)).resolves.toEqual({ accepted: 4, rejected: 0, tooOld: 0 });
    expect(datadog.stats().requestsByStatus).toEqual({ 400: 1, 202: 2 });
  });

  it('gives up on a body refused at every split after 4 halvings (31 requests), counting the points as rejected', async () => {
    datadog.failNext(1000, 400);
    const { submitter: s, events } = submitter();
    await expect(s.submit(batch(64, 1), new AbortController().signal)).resolves.toEqual({ accepted: 0, rejected: 64, tooOld: 0 });
    expect(datadog.stats().requests).toBe(31);
    expect(events.filter((e) => e.startsWith('rejected'))).toHaveLength(16);
  });

  it.each([415, 405])(
    'drops a body refused with %i at once, without halving or retrying it, counting its points as rejected',
    async (status) => {
      datadog.failNext(1, status);
      const { submitter: s, events } = submitter();
      await expect(s.submit(batch(8, 2), new AbortController().signal)).resolves.toEqual({ accepted: 0, rejected: 16, tooOld: 0 });
      expect(events).toEqual([`request ${status}`, `rejected ${status} 16`]);
      expect(datadog.stats().requests).toBe(1);
    },
  );

  it("leaves out points that aged past Datadog's window while a retry waited", async () => {
    let now = nowSeconds();
    datadog.failNext(1, 503);
    // The retry waits at least 500 ms: time enough to move the clock before it.
    const { submitter: s } = submitter({ now: () => now, retryDelayMs: 1000 });
    const b = batch(1, 2, now - 10);
    const outcome = s.submit(b, new AbortController().signal);
    await datadog.waitForRequests(1, 5_000);
    now += 7200;
    await expect(outcome).resolves.toEqual({ accepted: 0, rejected: 0, tooOld: 2 });
    expect(datadog.stats().requests).toBe(1);
  });
});
