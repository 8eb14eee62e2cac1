/**
 * bench:scaling's plan and rows: each axis varied from the base alone, the base measured once,
 * and a row that failed to deliver never shown as a met target.
 */
import type { RunResult } from './runs';
import { axisValue, scalingPlan, shapeAt, shapeKey, SCALING_AXES, AXIS_VALUES } from './scaling-points';
import { scalingRow, scalingTable } from './scaling-report';
import type { BenchShape } from './throughput-bench';

const BASE: BenchShape = { messages: 300_000, partitions: 6, algorithms: 24, versions: 3, inferenceMetrics: 2 };

describe('scalingPlan', () => {
  const plan = scalingPlan(BASE, SCALING_AXES, (axis) => AXIS_VALUES[axis].values);

  it('varies one axis at a time from the base, and reads each point back on its axis', () => {
    expect(plan.map((p) => `${p.axis} ${p.value}`)).toEqual([
      'tagsets 72',
      'tagsets 720',
      'tagsets 7200',
      'tagsets 72000',
      'metrics 2',
      'metrics 10',
      'metrics 25',
      'partitions 6',
      'partitions 24',
      'partitions 48',
    ]);
    for (const point of plan) {
      expect(axisValue(point.axis, point.shape)).toBe(point.value);
      const others = SCALING_AXES.filter((axis) => axis !== point.axis);
      for (const axis of others) expect(axisValue(axis, point.shape)).toBe(axisValue(axis, BASE));
    }
    expect(shapeAt(BASE, 'tagsets', 72_000)).toMatchObject({ algorithms: 24_000, versions: 3 });
  });

  it('measures the base once for the three axes it is on', () => {
    expect(new Set(plan.map((p) => shapeKey(p.shape))).size).toBe(8);
    expect(plan.filter((p) => shapeKey(p.shape) === shapeKey(BASE))).toHaveLength(3);
  });

  it('refuses tag sets that are not whole algorithms', () => {
    expect(() => shapeAt(BASE, 'tagsets', 100)).toThrow(/multiple of 3 versions/);
  });
});

describe('scalingRow', () => {
  const result = (
    kind: 'forwarder' | 'telegraf',
    messagesPerSecond: number,
    cpuSeconds: number,
    peakRssMb: number,
    lost = 0,
  ): RunResult => ({
    kind,
    run: 1,
    seconds: 1,
    messagesPerSecond,
    pointsPerSecond: messagesPerSecond * 3,
    cpuSeconds,
    messagesPerCpuSecond: messagesPerSecond / cpuSeconds,
    peakRssMb,
    bytesPerPoint: 4,
    lost,
    duplicates: 0,
    wrong: 0,
    refusedRequests: 0,
    loadAverage: '0',
    problems: [],
  });
  const point = { axis: 'tagsets' as const, value: 72_000, shape: shapeAt(BASE, 'tagsets', 72_000) };

  it('gives the ratios, the RSS against the base and the verdicts', () => {
    const row = scalingRow(point, [result('forwarder', 160_000, 2, 300), result('telegraf', 100_000, 2, 100)], 200);
    expect(row).toMatchObject({ ratios: { messagesPerSecond: 1.6, messagesPerCpuSecond: 1.6 }, forwarderRssGrowth: 1.5, failures: [] });
    const table = scalingTable([row]);
    expect(table).toContain('1.60× met');
    expect(table).toContain('1.50× met');
  });

  it('names the runs that did not deliver, and shows no verdict for their point', () => {
    const row = scalingRow(point, [result('forwarder', 160_000, 2, 300), result('telegraf', 100, 2, 100, 7)], 200);
    expect(row.failures).toEqual(['telegraf run 1: 7 lost']);
    expect(scalingTable([row])).toContain('1600.00× (run failed)');
    expect(scalingTable([row])).not.toMatch(/× met/);
  });
});
