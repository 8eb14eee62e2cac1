import { ArrivalSummary } from '../../../scripts/demo/live-summary';

describe('demo live summary: points received', () => {
  it('counts each value of a distribution point, the forwarder health and execution counts too, and skips points without a value', () => {
    const summary = new ArrivalSummary();
    expect(summary.points).toBe(0);
    const now = Math.floor(Date.now() / 1000);
    const tags = ['algorithm_name:fraud_detection', 'algorithm_version:2.1.0'];
    summary.add([
      { metric: 'algorithmia.risk_score', timestamp: now, value: 0.4, tags },
      { metric: 'algorithmia.duration_milliseconds', timestamp: now, values: [12, 30, 18], tags, type: 'distribution' },
      { metric: 'algorithmia.forwarder.heartbeat', timestamp: now, value: 1, tags: ['forwarder_instance:a'], type: 'count' },
      { metric: 'algorithmia.executions', timestamp: now, value: 4, tags: [...tags, 'forwarder_instance:a'], type: 'count' },
      { metric: 'algorithmia.approved', timestamp: now, tags },
    ]);
    expect(summary.points).toBe(6);
  });
});
