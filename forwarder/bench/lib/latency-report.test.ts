import {
  LATENCY_TARGETS,
  type LatencyResult,
  latencyQuantiles,
  perMinute,
  rateRatios,
  ratioTable,
  targetsLine,
  verdicts,
} from './latency-report';

function result(overrides: Partial<LatencyResult>): LatencyResult {
  return {
    tool: 'forwarder',
    rate: 5000,
    order: 1,
    windowSeconds: 60,
    drainSeconds: 1,
    produced: 300_000,
    points: 900_000,
    p50Ms: 300,
    p90Ms: 500,
    p99Ms: 700,
    maxMs: 900,
    cpuSeconds: 6,
    cpuSecondsPerMinute: 6,
    peakRssMb: 120,
    steadyRssMb: 100,
    lost: 0,
    duplicates: 0,
    driverCpuShare: 0.3,
    loadAverage: '1.00 1.00 1.00',
    ...overrides,
  };
}

describe('latency report', () => {
  it('reads the quantiles of sorted latencies by nearest rank', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(latencyQuantiles(sorted)).toEqual({ p50Ms: 50, p90Ms: 90, p99Ms: 99, maxMs: 100 });
    expect(latencyQuantiles(new Float64Array(0)).maxMs).toBeNaN();
  });

  it('scales CPU seconds of a window to a minute', () => {
    expect(perMinute(3, 15)).toBe(12);
    expect(perMinute(6, 60)).toBe(6);
  });

  it('divides the forwarder by Telegraf at each rate that ran both', () => {
    const results = [
      result({ rate: 1000, cpuSecondsPerMinute: 2, steadyRssMb: 90, peakRssMb: 100, p99Ms: 600 }),
      result({ tool: 'telegraf', rate: 1000, order: 2, cpuSecondsPerMinute: 8, steadyRssMb: 60, peakRssMb: 80, p99Ms: 1100 }),
      result({ rate: 5000, cpuSecondsPerMinute: 3 }),
    ];

    expect(rateRatios(results)).toEqual([
      { rate: 1000, cpu: 0.25, steadyRss: 1.5, peakRss: 1.25, forwarderP99Ms: 600, telegrafP99Ms: 1100 },
    ]);
  });

  it('judges each ratio against its target, the bounds included', () => {
    const atBounds = {
      rate: LATENCY_TARGETS.rate,
      cpu: LATENCY_TARGETS.cpuRatio,
      steadyRss: LATENCY_TARGETS.rssRatio,
      peakRss: LATENCY_TARGETS.rssRatio,
      forwarderP99Ms: LATENCY_TARGETS.p99Ms,
      telegrafP99Ms: 2000,
    };
    expect(verdicts(atBounds)).toEqual({ cpu: true, steadyRss: true, peakRss: true, p99: true });
    expect(verdicts({ ...atBounds, cpu: 0.51, steadyRss: 1.3, forwarderP99Ms: 1001 })).toEqual({
      cpu: false,
      steadyRss: false,
      peakRss: true,
      p99: false,
    });
  });

  it('says the targets are judged at their rate only, and marks what missed', () => {
    const ratios = rateRatios([
      result({ cpuSecondsPerMinute: 3, steadyRssMb: 100, peakRssMb: 200 }),
      result({ tool: 'telegraf', order: 2, cpuSecondsPerMinute: 10, steadyRssMb: 100, peakRssMb: 100 }),
    ]);

    expect(targetsLine(ratios)).toBe('targets at 5000 msg/s: CPU met, steady RSS met, peak RSS MISSED, forwarder p99 met');
    expect(targetsLine(ratios.map((r) => ({ ...r, rate: 1000 })))).toMatch(/not judged/);
    expect(ratioTable(ratios)).toContain('2.00× (missed)');
  });
});
