import { FORWARDER_HEALTH_METRICS } from '@algorithmia-datadog/metric-declaration';
import { healthReadings } from '../../../src/observe/health-readings';
import { ForwarderMetrics } from '../../../src/observe/metrics';

describe('healthReadings', () => {
  it('has a reading of every health metric but the heartbeat before anything happened: zeros, one per topic where by topic', async () => {
    const readings = await healthReadings(new ForwarderMetrics(), { topic: ['a', 'b'] });
    const names = new Set(readings.map((r) => r.metric));
    expect([...names].sort()).toEqual(
      Object.keys(FORWARDER_HEALTH_METRICS)
        .filter((m) => m !== 'heartbeat')
        .sort(),
    );
    expect(readings.every((r) => r.value === 0)).toBe(true);
    expect(readings.filter((r) => r.metric === 'messagesConsumed').map((r) => r.tags)).toEqual([{ topic: 'a' }, { topic: 'b' }]);
    expect(readings.filter((r) => r.metric === 'consumerLagSeconds').map((r) => r.tags)).toEqual([{ topic: 'a' }, { topic: 'b' }]);
    // A metric by another tag that never had a value: one series without the tag.
    expect(readings.filter((r) => r.metric === 'pointsDropped')).toEqual([{ metric: 'pointsDropped', tags: {}, value: 0 }]);
  });

  it('reads the running totals and gauges of /metrics by the tag keys of each metric, the lag summed over partitions', async () => {
    const metrics = new ForwarderMetrics();
    metrics.messagesConsumed.labels('a').inc(7);
    metrics.pointsDropped.labels('string_value').inc(2);
    metrics.pointsDropped.labels('too_old').inc(3);
    metrics.retries.labels('series', 'http_503').inc();
    metrics.consumerLag.labels('a', '0').set(10);
    metrics.consumerLag.labels('a', '1').set(5);
    metrics.consumerLagSeconds.labels('a').set(4.5);
    metrics.bufferedPoints.set(42);
    const readings = await healthReadings(metrics, { topic: ['a'] });
    const of = (metric: string) => readings.filter((r) => r.metric === metric).map(({ tags, value }) => ({ tags, value }));
    expect(of('messagesConsumed')).toEqual([{ tags: { topic: 'a' }, value: 7 }]);
    expect(of('pointsDropped')).toEqual([
      { tags: { reason: 'string_value' }, value: 2 },
      { tags: { reason: 'too_old' }, value: 3 },
    ]);
    expect(of('retries')).toEqual([{ tags: { endpoint: 'series', reason: 'http_503' }, value: 1 }]);
    expect(of('consumerLag')).toEqual([{ tags: { topic: 'a' }, value: 15 }]);
    expect(of('consumerLagSeconds')).toEqual([{ tags: { topic: 'a' }, value: 4.5 }]);
    expect(of('pointsBuffered')).toEqual([{ tags: {}, value: 42 }]);
  });
});
