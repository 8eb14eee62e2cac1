/**
 * The CDKTF constructs of the Algorithmia integration: the dashboard, the monitors of every kind,
 * metric metadata, the forwarder's Kubernetes Deployment and the stack that puts them together.
 * Import them from `./constructs` in a CDKTF app (see docs/provisioning.md).
 *
 * @module constructs
 */
export * from './dashboard/algorithmia-dashboard';
export * from './stack/algorithmia-integration';
export * from './stack/algorithmia-stack';
export * from './monitors/duration-monitor';
export * from './forwarder';
export * from './stack/integration-outputs';
export * from './metadata/metric-metadata';
export * from './metadata/metric-percentiles';
export * from './monitors/metric-monitor';
export * from './metric-query';
export * from './metadata/released-metric-metadata';
export * from './stack/state-backend';
export * from './validation';
export * from './problems';
export * from './monitors/monitor-resource';
export * from './monitors/percentile-monitor';
export * from './monitors/change-monitor';
export * from './monitors/anomaly-monitor';
export * from './monitors/outlier-monitor';
export * from './dashboard/dashboard-widgets';
export * from './monitors/model-monitors';
