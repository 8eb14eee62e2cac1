import {
  EXECUTIONS_METRIC,
  FORWARDER_HEALTH_METRICS,
  isReservedMetricKey,
  pipelineMetricName,
} from '../../metric-declaration/src/pipeline-metrics';

describe('pipeline metric names', () => {
  it('puts the prefix before the name, or gives the name alone for an empty prefix', () => {
    expect(pipelineMetricName('algorithmia', EXECUTIONS_METRIC)).toBe('algorithmia.executions');
    expect(pipelineMetricName('acme.ml', FORWARDER_HEALTH_METRICS.consumerLagSeconds)).toBe('acme.ml.forwarder.consumer_lag_seconds');
    expect(pipelineMetricName('', EXECUTIONS_METRIC)).toBe('executions');
    expect(pipelineMetricName('', FORWARDER_HEALTH_METRICS.messagesDeadLettered)).toBe('forwarder.messages.dead_lettered');
  });

  it('names every forwarder health metric under forwarder., with a unit only where it has one', () => {
    for (const metric of Object.values(FORWARDER_HEALTH_METRICS)) expect(metric.suffix).toMatch(/^forwarder\.[a-z_.]+$/);
    expect(FORWARDER_HEALTH_METRICS.heartbeat).not.toHaveProperty('unit');
    expect(FORWARDER_HEALTH_METRICS.pointsRejected).toMatchObject({ kind: 'count', unit: 'point', tagKeys: ['endpoint', 'status'] });
  });

  it('reserves the execution count and everything under forwarder, not names that only start alike', () => {
    expect(isReservedMetricKey('executions')).toBe(true);
    expect(isReservedMetricKey('forwarder')).toBe(true);
    expect(isReservedMetricKey('forwarder.heartbeat')).toBe(true);
    expect(isReservedMetricKey('executions_total')).toBe(false);
    expect(isReservedMetricKey('forwarder_lag')).toBe(false);
    expect(isReservedMetricKey('risk_score')).toBe(false);
  });
});
