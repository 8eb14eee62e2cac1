/**
 * The CDKTF constructs of the Algorithmia integration: the dashboard, the monitors of every kind,
 * metric metadata, the forwarder's Kubernetes Deployment and the stack that puts them together.
 * Import them from `./constructs` in a CDKTF app (see docs/provisioning.md).
 *
 * This is the public API, listed by concern; the modules' other exports (widget and query
 * builders, the integration's wiring) are internal and may change.
 *
 * @module constructs
 */

// The stack and the integration that make one environment.
export {
  AlgorithmiaStack,
  type AlgorithmiaStackProps,
  type ForwarderStackProps,
  type KubernetesClusterProps,
} from './stack/algorithmia-stack';
export {
  AlgorithmiaIntegration,
  type AdoptionProps,
  type AlgorithmiaIntegrationProps,
  type DashboardOptions,
  type InferenceMonitorProps,
} from './stack/algorithmia-integration';
export { addIntegrationOutputs, type IntegrationOutputsProps } from './stack/integration-outputs';
export {
  addStateBackend,
  type CloudStateBackendConfig,
  type LocalStateBackendConfig,
  type S3StateBackendConfig,
  type StateBackendConfig,
} from './stack/state-backend';

// The dashboard.
export {
  AlgorithmiaDashboard,
  DASHBOARD_DESCRIPTION,
  DASHBOARD_TITLE,
  type AlgorithmiaDashboardProps,
  type DashboardMetric,
} from './dashboard/algorithmia-dashboard';

// Organisation-wide objects: metric metadata and percentiles.
export {
  DURATION_METRIC_METADATA,
  MetricMetadataSet,
  pipelineMetricMetadata,
  type MetricMetadataEntry,
  type MetricMetadataSetProps,
} from './metadata/metric-metadata';
export {
  MetricPercentiles,
  percentileMetricNames,
  type MetricPercentilesProps,
  type PercentileMetric,
} from './metadata/metric-percentiles';
export {
  ReleasedMetricMetadata,
  ReleasedMetricPercentiles,
  type ReleasedMetricMetadataProps,
  type ReleasedMetricPercentilesProps,
} from './metadata/released-metric-metadata';

// Monitors: the integration's threshold monitors, then the model-monitoring kinds and their registry.
export {
  INTEGRATION_TAG,
  NOTIFICATION_DEFAULTS,
  type MonitorCommonProps,
  type MonitorNotificationOptions,
} from './monitors/monitor-resource';
export { METRIC_MONITOR_DEFAULTS, MetricMonitor, type MetricMonitorProps, type MetricThresholdProps } from './monitors/metric-monitor';
export {
  DURATION_METRIC_NAME,
  DURATION_MONITOR_NAME,
  DurationMonitor,
  durationMonitorMessage,
  type DurationMonitorProps,
} from './monitors/duration-monitor';
export * from './monitors/kinds';

// Traffic and forwarder monitors: on the metrics the forwarder makes itself.
export { type MissingDataMonitorProps, type OnMissingData } from './monitors/monitor-resource';
export { MIN_COUNT_WINDOW_MINUTES } from './monitors/count-window';
export { SILENT_MODEL_MONITOR_DEFAULTS, SilentModelMonitor, type SilentModelMonitorProps } from './monitors/silent-model-monitor';
export {
  TRAFFIC_BASELINES,
  TRAFFIC_DROP_MONITOR_DEFAULTS,
  TrafficDropMonitor,
  type TrafficBaseline,
  type TrafficDropMonitorProps,
} from './monitors/traffic-drop-monitor';
export {
  FORWARDER_SILENT_MONITOR_DEFAULTS,
  ForwarderSilentMonitor,
  type ForwarderSilentMonitorProps,
} from './monitors/forwarder-silent-monitor';
export { CONSUMER_LAG_MONITOR_DEFAULTS, ConsumerLagMonitor, type ConsumerLagMonitorProps } from './monitors/consumer-lag-monitor';
export { NONZERO_COUNT_MONITOR_DEFAULTS, NonzeroCountMonitor, type NonzeroCountMonitorProps } from './monitors/nonzero-count-monitor';
export {
  PIPELINE_MONITORS,
  type NonzeroCountSettings,
  type PipelineMonitor,
  type PipelineMonitorEntry,
  type PipelineMonitorsProps,
  type TrafficMonitorsProps,
} from './monitors/pipeline-monitors';

// Service level objectives: time-slice SLOs and their burn-rate alerts.
export { BurnRateAlert, type BurnRateAlertProps } from './slos/burn-rate-alert';
export { TimeSliceSlo, TIME_SLICE_SLO_DEFAULTS, type TimeSliceSloProps } from './slos/time-slice-slo';
export { type ModelSloSettings, type ModelSlosProps, type SloHandlesProps } from './slos/model-slos';
export {
  DEFAULT_BURN_RATE_ALERTS,
  maxBurnRate,
  SLICE_SECONDS,
  SLO_TIMEFRAMES,
  type BurnRateAlertSettings,
  type BurnRateSeverity,
  type SliceSeconds,
  type SloObjective,
  type SloTimeframe,
} from './slos/slo-rules';
export { SLO_GROUP_TITLE, type DashboardSlo } from './dashboard/slo-widgets';

// The forwarder on Kubernetes.
export * from './forwarder';

// Queries, and the rules and problems every construct shares.
export {
  countSeriesQuery,
  DEFAULT_SCOPE,
  formatThreshold,
  metricQuery,
  metricQueryTitle,
  monitorQuery,
  PERCENTILES,
  type Percentile,
  type SpaceAggregation,
  type TimeAggregation,
} from './metric-query';
export * from './validation';
export { describePropProblem, propPath, type PropPath, type PropProblem } from './problems';
