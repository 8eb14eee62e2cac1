/**
 * Contract test on the API side for the SLOs: every `datadog_service_level_objective` of every stack
 * of the shipped config, turned into the body provider 3.82 sends (slo-to-api.ts), must fit Datadog's
 * ServiceLevelObjectiveRequest model (no unknown field, no unparsed value: SLOType, SLOTimeframe,
 * SLOTimeSliceComparator, SLOTimeSliceInterval) and the rules on targets; every SLO widget of every
 * dashboard must fit the SLOWidgetDefinition model and show an SLO of its stack. The burn-rate
 * alerts (`slo alert` monitors) are checked with the other monitors (monitors-api-models.test.ts).
 */
import { Testing } from 'cdktf';
import { addEnvironmentStacks } from '../../main';
import { sloBody, sloIdFor, sloProblems, sloWidgetBody, sloWidgetProblems, sloWidgets, withSloIds } from './slo-to-api';
import type { TerraformResource } from './terraform-to-api';

type Resources = Record<string, TerraformResource>;

// Synthesized once for the file.
const stacks = addEnvironmentStacks(Testing.app()).map((stack) => {
  const synthesized = JSON.parse(Testing.synth(stack, true));
  const slos = (synthesized.resource?.datadog_service_level_objective ?? {}) as Resources;
  return { name: stack.node.id, slos, dashboards: (synthesized.resource?.datadog_dashboard ?? {}) as Resources };
});

const slos = stacks.flatMap(({ name, slos: resources }) =>
  Object.entries(resources).map(([id, resource]) => ({ label: `${name} ${id}`, resource })),
);
// As Terraform passes them to the provider: each SLO's `${...id}` resolved (to a realistic id).
const widgets = stacks.flatMap(({ name, slos: stackSlos, dashboards }) =>
  Object.entries(dashboards).flatMap(([id, dashboard]) =>
    sloWidgets(withSloIds(dashboard, new Set(Object.keys(stackSlos)))).map(({ path, definition }) => ({
      label: `${name} ${id} ${path}`,
      stack: name,
      definition,
    })),
  ),
);

describe('contract: the SLOs and SLO widgets the provider sends for the shipped config fit Datadog API models', () => {
  it('has SLOs and SLO widgets to check (no vacuous pass), one widget per SLO in its stack', () => {
    expect(slos.length).toBeGreaterThan(0);
    for (const { name, slos: stackSlos } of stacks) {
      const shown = widgets.filter((widget) => widget.stack === name).map(({ definition }) => definition.slo_id);
      expect(shown.sort()).toEqual(Object.keys(stackSlos).map(sloIdFor).sort());
    }
  });

  it.each(slos)('SLO $label fits the v1 ServiceLevelObjectiveRequest model and the rules on targets', ({ resource }) => {
    expect(sloProblems(resource)).toEqual([]);
  });

  it.each(widgets)('SLO widget $label fits the v1 SLOWidgetDefinition model', ({ definition }) => {
    expect(sloWidgetProblems(definition)).toEqual([]);
  });

  it('sends a time slice as the provider does: formulas and queries, the interval, thresholds without displays', () => {
    for (const { resource } of slos) {
      const { body } = sloBody(resource);
      expect(body.type).toBe('time_slice');
      const timeSlice = body.sli_specification.time_slice;
      expect(Object.keys(timeSlice)).toEqual(['query', 'comparator', 'threshold', 'query_interval_seconds']);
      expect([60, 300]).toContain(timeSlice.query_interval_seconds);
      expect(timeSlice.query.formulas).toEqual([{ formula: 'query1' }]);
      expect(timeSlice.query.queries).toEqual([expect.objectContaining({ data_source: 'metrics', name: 'query1' })]);
      for (const threshold of body.thresholds) expect(Object.keys(threshold).every((key) => !key.endsWith('_display'))).toBe(true);
    }
    for (const { definition } of widgets) {
      expect(sloWidgetBody(definition).body).toMatchObject({ type: 'slo', view_type: 'detail', show_error_budget: true });
    }
  });
});

describe('contract: the SLO checks refuse what Datadog refuses', () => {
  const slo = slos[0].resource;
  const timeSlice = slo.sli_specification.time_slice;
  const widget = widgets[0].definition;
  const withTimeSlice = (change: Record<string, unknown>): TerraformResource => ({
    ...slo,
    sli_specification: { time_slice: { ...timeSlice, ...change } },
  });

  it('a slice length, comparator or data source outside the enums', () => {
    expect(sloProblems(withTimeSlice({ query_interval_seconds: 120 }))).toEqual([
      'sliSpecification.timeSlice.queryIntervalSeconds: 120 is not a value the model allows here',
    ]);
    expect(sloProblems(withTimeSlice({ comparator: '==' }))).toEqual([
      'sliSpecification.timeSlice.comparator: "==" is not a value the model allows here',
    ]);
    const query = { ...timeSlice.query, query: [{ metric_query: { ...timeSlice.query.query[0].metric_query, data_source: 'logs' } }] };
    expect(sloProblems(withTimeSlice({ query }))).toEqual([
      'sliSpecification.timeSlice.query.queries[0].dataSource: "logs" is not a value the model allows here',
    ]);
  });

  it('a timeframe outside the enum, in a threshold or as the primary', () => {
    const thresholds = [{ ...slo.thresholds[0], timeframe: '14d' }];
    expect(sloProblems({ ...slo, thresholds, timeframe: '14d' })).toEqual([
      'thresholds[0].timeframe: "14d" is not a value the model allows here',
      'timeframe: "14d" is not a value the model allows here',
    ]);
  });

  it('an SLO type outside the enum, a target of 0, a computed display, an attribute the mapping does not know', () => {
    expect(sloProblems({ ...slo, type: 'time-slice' })).toContain('type: "time-slice" is not a value the model allows here');
    expect(sloProblems({ ...slo, thresholds: [{ timeframe: '30d', target: 0 }] }).join('\n')).toMatch(
      /does not fit Datadog's ServiceLevelObjectiveRequest model: missing required property 'target'/,
    );
    expect(sloProblems({ ...slo, thresholds: [{ ...slo.thresholds[0], target_display: '99.50' }] })).toEqual([
      'thresholds[0].target_display: computed by Datadog; Terraform refuses it in a configuration',
    ]);
    expect(sloProblems({ ...slo, monitor_ids: [1] })).toEqual([
      'monitor_ids: not mapped to the API body (add it to __tests__/contract/slo-to-api.ts)',
    ]);
    expect(sloProblems(withTimeSlice({ query_offset: 60 }))).toEqual([
      'sli_specification.time_slice.query_offset: not mapped to the API body (add it to __tests__/contract/slo-to-api.ts)',
    ]);
  });

  it('targets out of range, a warning below its target, a primary target that differs from its threshold', () => {
    expect(
      sloProblems({
        ...slo,
        thresholds: [{ timeframe: '30d', target: 100, warning: 100.5 }],
        target_threshold: 100,
        warning_threshold: 100.5,
      }),
    ).toEqual(['thresholds[0].target: 100 is not in (0, 100)', 'thresholds[0].warning: 100.5 is not in (0, 100)']);
    expect(sloProblems({ ...slo, thresholds: [{ timeframe: '30d', target: 99.5, warning: 99 }], warning_threshold: 99 })).toEqual([
      'thresholds[0].warning: 99 is not above the target 99.5',
    ]);
    expect(sloProblems({ ...slo, target_threshold: 99 })).toEqual([
      `target_threshold: 99 differs from the ${slo.timeframe} threshold's target ${slo.target_threshold}`,
    ]);
  });

  it('a formula naming a query that does not exist', () => {
    const query = { ...timeSlice.query, formula: { formula_expression: 'query1 / query2' } };
    expect(sloProblems(withTimeSlice({ query }))).toEqual([
      'sli_specification.time_slice.query.formulas: "query1 / query2" names "query2", which is no query',
    ]);
  });

  it('an SLO widget with a time window, view mode or title alignment outside the enums, an unresolved SLO id, an unknown attribute', () => {
    expect(sloWidgetProblems({ ...widget, time_windows: ['14d'] })).toEqual(['timeWindows[0]: "14d" is not a value the model allows here']);
    expect(sloWidgetProblems({ ...widget, view_mode: 'components', title_align: 'middle' })).toEqual([
      'titleAlign: "middle" is not a value the model allows here',
      'viewMode: "components" is not a value the model allows here',
    ]);
    expect(sloWidgetProblems({ ...widget, slo_id: '${datadog_service_level_objective.gone.id}' })).toEqual([
      'slo_id: "${datadog_service_level_objective.gone.id}" is not an SLO id (32 hexadecimal characters)',
    ]);
    expect(sloWidgetProblems({ ...widget, show_burn_rate: true })).toEqual([
      'show_burn_rate: not mapped to the API body (add it to __tests__/contract/slo-to-api.ts)',
    ]);
  });
});
