import { code } from '../markdown';
import { otherChanges, scalarChange, str, type ResourceDescriber } from './describer';

/** `datadog_metric_metadata`: metric, type, unit, description, and a count's interval. */

export const metricMetadata: ResourceDescriber = {
  label: 'Metric metadata',
  title: (resource) => str(resource.metric),
  added: (resource) => [
    [
      // The constructs set `type` for gauges and counts only: provider 3.82 cannot set `distribution`.
      resource.type !== undefined ? `type ${code(resource.type)}` : `type ${code('distribution')} (set by Datadog from the first point)`,
      ...(resource.statsd_interval !== undefined ? [`interval ${code(resource.statsd_interval)} s`] : []),
      resource.unit !== undefined ? `unit ${code(resource.unit)}` : 'no unit',
      ...(resource.description !== undefined ? [`description ${code(resource.description)}`] : []),
    ].join(', '),
  ],
  removed: () => [],
  changed: (before, after) => [
    ...scalarChange('metric', before.metric, after.metric),
    ...scalarChange('type', before.type, after.type),
    ...scalarChange('unit', before.unit, after.unit),
    ...scalarChange('description', before.description, after.description),
    ...scalarChange('interval', before.statsd_interval, after.statsd_interval),
    ...otherChanges(before, after, (path) => /^(metric|type|unit|description|statsd_interval)$/.test(path)),
  ],
};
