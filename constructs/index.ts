/**
 * The CDKTF constructs of the Algorithmia integration: the dashboard, the monitors of every kind,
 * metric metadata, the forwarder's Kubernetes Deployment and the stack that puts them together.
 * Import them from `./constructs` in a CDKTF app (see docs/provisioning.md).
 *
 * @module constructs
 */
export * from './algorithmia-dashboard';
export * from './algorithmia-integration';
export * from './algorithmia-stack';
export * from './duration-monitor';
export * from './forwarder';
export * from './integration-outputs';
export * from './metric-metadata';
export * from './metric-percentiles';
export * from './metric-monitor';
export * from './metric-query';
export * from './released-metric-metadata';
export * from './state-backend';
export * from './validation';
export * from './monitor-resource';
export * from './percentile-monitor';
export * from './change-monitor';
export * from './anomaly-monitor';
export * from './outlier-monitor';
export * from './dashboard-widgets';
export * from './model-monitors';
