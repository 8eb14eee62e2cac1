import { DashboardTemplateVariable, DashboardWidget } from '@cdktf/provider-datadog/lib/dashboard';
import { groupedSeriesQuery, metricQuery, metricQueryTitle, Percentile } from '../metric-query';

/** The tags the forwarder puts on every point, from the Insights message. */
export const ALGORITHM_TAG_KEYS: readonly string[] = ['algorithm_name', 'algorithm_version', 'algorithm_owner'];

const SCOPE_TAG = /^([a-z][a-z0-9_.\-/]*):(.+)$/;

/**
 * Template variables for a dashboard scope: one per `key:value` term of the scope (defaulting to
 * that value, so the dashboard opens on its environment) and one per algorithm tag (defaulting to
 * all). `filter` is what goes between the braces of every widget query instead of the scope; terms
 * that are not `key:value` (e.g. `!team:legacy`) stay as written.
 */
export function templateScope(scope: string): { variables: DashboardTemplateVariable[]; filter: string } {
  const variables: DashboardTemplateVariable[] = [];
  const literal: string[] = [];
  for (const term of scope.split(',').map((part) => part.trim())) {
    const match = SCOPE_TAG.exec(term);
    if (match && !variables.some((variable) => variable.name === match[1])) {
      variables.push({ name: match[1], prefix: match[1], defaults: [match[2]] });
    } else if (term !== '*' && term !== '') {
      literal.push(term);
    }
  }
  for (const key of ALGORITHM_TAG_KEYS) {
    if (!variables.some((variable) => variable.name === key)) variables.push({ name: key, prefix: key, defaults: ['*'] });
  }
  return { variables, filter: [...literal, ...variables.map((variable) => `$${variable.name}`)].join(',') };
}

/** The integration's duration graph, reused for inference metrics so that they look alike. */
export function timeseriesWidget(metricName: string, scope: string): DashboardWidget {
  return {
    timeseriesDefinition: {
      request: [
        {
          q: metricQuery(metricName, scope),
          displayType: 'line',
          style: { palette: 'dog_classic', lineType: 'solid', lineWidth: 'normal' },
        },
      ],
      yaxis: { scale: 'linear', min: 'auto', max: 'auto', includeZero: true },
      title: metricQueryTitle(metricName, scope),
      showLegend: false,
      legendSize: '0',
    },
  };
}

export const WIDGET_PERCENTILES: readonly Percentile[] = ['p50', 'p95', 'p99'];

/** p50, p95 and p99 of a distribution metric as three lines: the tail an average hides. */
export function percentilesWidget(metricName: string, scope: string): DashboardWidget {
  return {
    timeseriesDefinition: {
      request: WIDGET_PERCENTILES.map((percentile) => ({
        q: groupedSeriesQuery(metricName, scope, percentile),
        displayType: 'line',
        style: { palette: 'dog_classic', lineType: 'solid', lineWidth: 'normal' },
      })),
      yaxis: { scale: 'linear', min: 'auto', max: 'auto', includeZero: true },
      title: `${WIDGET_PERCENTILES.join(' / ')} of ${metricName} over ${scope}`,
      showLegend: true,
      legendSize: 'auto',
    },
  };
}

export const PER_ALGORITHM_GROUPS: readonly string[] = ['algorithm_name', 'algorithm_version'];

/**
 * One row per algorithm and version, one column per metric (average over the dashboard's time
 * frame): which model is slow, which one predicts differently.
 */
export function perAlgorithmTableWidget(metricNames: readonly string[], scope: string): DashboardWidget {
  const queryName = (index: number) => `m${index}`;
  return {
    queryTableDefinition: {
      title: 'Per algorithm and version',
      hasSearchBar: 'auto',
      request: [
        {
          query: metricNames.map((metricName, index) => ({
            metricQuery: {
              dataSource: 'metrics',
              name: queryName(index),
              query: groupedSeriesQuery(metricName, scope, 'avg', PER_ALGORITHM_GROUPS),
              aggregator: 'avg',
            },
          })),
          formula: metricNames.map((metricName, index) => ({ formulaExpression: queryName(index), alias: metricName })),
        },
      ],
    },
  };
}
