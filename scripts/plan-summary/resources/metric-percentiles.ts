import { code, list } from '../markdown';
import type { JsonObject } from '../synth-output';
import { otherChanges, scalarChange, str, strings, type ResourceDescriber } from './describer';

/** `datadog_metric_tag_configuration`: what makes Datadog compute a distribution's percentiles. */

function queryableTags(resource: JsonObject): string {
  const tags = strings(resource.tags);
  if (resource.exclude_tags_mode === true) return tags.length > 0 ? `every tag but ${list(tags.map((tag) => code(tag)))}` : 'every tag';
  return tags.length > 0 ? `only ${list(tags.map((tag) => code(tag)))}` : 'no tag';
}

function percentiles(resource: JsonObject): string {
  return resource.include_percentiles === true ? 'percentiles (p50 to p99) computed' : 'no percentiles';
}

export const metricPercentiles: ResourceDescriber = {
  label: 'Percentiles of',
  title: (resource) => str(resource.metric_name),
  added: (resource) => [`${percentiles(resource)} for the organisation; queryable tags: ${queryableTags(resource)}`],
  removed: (_resource, deleted) =>
    deleted
      ? [
          "the deploy deletes this tag configuration: Datadog stops computing the metric's percentiles for the whole organisation, " +
            'so every environment\'s percentile monitors and widgets on it get no data (keep it with `"metricMetadata": "release"` when another stack takes it over)',
        ]
      : [],
  changed: (before, after) => [
    ...scalarChange('metric', before.metric_name, after.metric_name),
    ...(before.include_percentiles === after.include_percentiles ? [] : [`${percentiles(before)} → ${percentiles(after)}`]),
    ...(queryableTags(before) === queryableTags(after) ? [] : [`queryable tags: ${queryableTags(before)} → ${queryableTags(after)}`]),
    ...otherChanges(before, after, (path) => /^(metric_name|include_percentiles|exclude_tags_mode|tags(\[\d+\])?)$/.test(path)),
  ],
};
