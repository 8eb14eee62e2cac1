import { code } from '../markdown';
import { otherChanges, scalarChange, str, type ResourceDescriber } from './describer';

/** `datadog_metric_metadata`: metric, type, unit, description. */

export const metricMetadata: ResourceDescriber = {
  label: 'Metric metadata',
  title: (resource) => str(resource.metric),
  added: (resource) => [
    [
      // The constructs set `type` for gauges only: provider 3.82 cannot set `distribution`.
      resource.type !== undefined ? `type ${code(resource.type)}` : `type ${code('distribution')} (set by Datadog from the first point)`,
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
    ...otherChanges(before, after, (path) => /^(metric|type|unit|description)$/.test(path)),
  ],
};
