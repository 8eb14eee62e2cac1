/**
 * The "Service level objectives" group: one SLO widget per SLO of the environment, showing its
 * status and remaining error budget over each of its timeframes.
 */
import { DashboardWidget, DashboardWidgetGroupDefinitionWidget } from '@cdktf/provider-datadog/lib/dashboard';

export const SLO_GROUP_TITLE = 'Service level objectives';

/** An SLO to show: the SLO resource's id (never pasted) and its timeframes. */
export interface DashboardSlo {
  readonly title: string;
  readonly sloId: string;
  /** e.g. `['30d', '7d']` */
  readonly timeWindows: readonly string[];
}

/** The group; none when there is no SLO. */
export function sloGroupWidget(slos: readonly DashboardSlo[]): DashboardWidget[] {
  if (slos.length === 0) return [];
  const widgets: DashboardWidgetGroupDefinitionWidget[] = slos.map((slo) => ({
    serviceLevelObjectiveDefinition: {
      title: slo.title,
      sloId: slo.sloId,
      viewType: 'detail',
      viewMode: 'overall',
      timeWindows: [...slo.timeWindows],
      showErrorBudget: true,
    },
  }));
  return [{ groupDefinition: { title: SLO_GROUP_TITLE, layoutType: 'ordered', showTitle: true, widget: widgets } }];
}
