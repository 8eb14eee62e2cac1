import { list } from '../markdown';
import { widgetChanges, widgetName, widgetsOf } from './dashboard-widgets';
import { otherChanges, scalarChange, str, type ResourceDescriber } from './describer';

/** `datadog_dashboard`: title, description and its widgets by kind and title. */

export const dashboard: ResourceDescriber = {
  label: 'Dashboard',
  title: (resource) => str(resource.title),
  added(resource) {
    const all = widgetsOf(resource);
    return all.length > 0 ? [`widgets (${all.length}): ${list(all.map(widgetName))}`] : [];
  },
  removed: (resource) => [`${widgetsOf(resource).length} widgets`],
  changed(before, after) {
    return [
      ...scalarChange('title', before.title, after.title),
      ...scalarChange('description', before.description, after.description),
      ...widgetChanges(before, after),
      ...otherChanges(before, after, (path) => /^(title|description|widget)(\.|\[|$)/.test(path)),
    ];
  },
};
