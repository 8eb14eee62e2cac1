/**
 * The preview's SLO widgets: the widget's slo_id resolved to the SLO of the same stack, its
 * targets per timeframe, its condition, and the share of good slices computed from the preview's
 * own series (or "no data" when it has none).
 */
import { readSynthOutput } from '../../scripts/plan-summary/synth-output';
import { compareDashboards } from '../../scripts/preview/changes';
import { dashboardsOf, type WidgetModel } from '../../scripts/preview/model';
import type { RecordedPoint } from '../../scripts/preview/points-file';
import { levelHint } from '../../scripts/preview/render';
import { recordedSource, sampleSource } from '../../scripts/preview/series';
import { dashboardView, type WidgetView } from '../../scripts/preview/widget-view';
import { removeTempFolders, synthExampleConfig } from './preview-synth';

afterAll(removeTempFolders);

const LATENCY = '[Algorithmia] duration_milliseconds <= 15000 (staging)';
const QUALITY = '[Algorithmia] risk_score <= 0.9 for credit_card_approval (staging)';

/** A stack written by hand: one time-slice SLO (and others given) shown by one SLO widget each. */
function handStack(
  slos: Record<string, object>,
  sloIds: string[] = Object.keys(slos).map((name) => `\${datadog_service_level_objective.${name}.id}`),
) {
  return {
    resource: {
      datadog_service_level_objective: slos,
      datadog_dashboard: {
        board: {
          title: 'Hand-made',
          layout_type: 'ordered',
          widget: sloIds.map((sloId) => ({ service_level_objective_definition: { title: 'SLO', slo_id: sloId, time_windows: ['7d'] } })),
        },
      },
    },
  };
}

function timeSlice(threshold: number, target: number, warning?: number, sliceSeconds = 60) {
  return {
    name: 'Fast enough',
    type: 'time_slice',
    sli_specification: {
      time_slice: {
        comparator: '<=',
        threshold,
        query_interval_seconds: sliceSeconds,
        query: { formula: { formula_expression: 'query1' }, query: [{ metric_query: { name: 'query1', query: 'avg:latency{env:prod}' } }] },
      },
    },
    thresholds: [{ timeframe: '7d', target, ...(warning !== undefined ? { warning } : {}) }],
  };
}

/** One point every 10 s from t=0 for `minutes`, `slow(minute)` deciding which minutes are slow. */
function latencyPoints(minutes: number, slow: (minute: number) => boolean, metric = 'latency', tags = ['env:prod']): RecordedPoint[] {
  return Array.from({ length: minutes * 6 }, (_, index) => ({
    metric,
    timestamp: 1_800_000_000 + index * 10,
    value: slow(Math.floor(index / 6)) ? 20_000 : 500,
    tags,
  }));
}

describe('preview: SLO widgets of the example staging dashboard', () => {
  const staging = readSynthOutput(synthExampleConfig()).get('algorithmia-staging')!;
  const [dashboard] = dashboardsOf('algorithmia-staging', staging);
  const group = dashboard.widgets.find((widget) => widget.kind === 'group' && widget.title === 'Service level objectives')!;
  const views = (source = sampleSource(levelHint(staging))) =>
    dashboardView(dashboard, source).widgets.find((widget) => widget.key === group.key)!.children!;

  it('resolves each widget’s slo_id to the time-slice SLO of the same stack', () => {
    expect(group.children!.map((child: WidgetModel) => [child.kind, child.title, child.slo?.slo.resource])).toEqual([
      ['service_level_objective', LATENCY, 'algorithmia_slo_duration_milliseconds'],
      ['service_level_objective', QUALITY, 'algorithmia_slo_risk_score_credit_card_approval'],
    ]);
    expect(group.children![0].slo).toMatchObject({
      timeWindows: ['30d', '7d'],
      showErrorBudget: true,
      slo: {
        name: LATENCY,
        type: 'time_slice',
        objectives: [
          { timeframe: '30d', target: 99.5, warning: 99.8 },
          { timeframe: '7d', target: 99.5 },
        ],
        timeSlice: {
          query: 'avg:algorithmia.duration_milliseconds{env:staging}',
          comparator: '<=',
          threshold: 15000,
          sliceSeconds: 300,
          metricQuery: { metric: 'algorithmia.duration_milliseconds', scope: ['env:staging'] },
        },
      },
    });
    expect(group.children![1].slo!.slo.timeSlice).toMatchObject({ sliceSeconds: 60, threshold: 0.9 });
  });

  it('gives each tile its targets, condition and the good slices of the sample hour', () => {
    const [latency, quality] = views();
    expect(latency.display).toBe('slo');
    expect(latency.slo).toMatchObject({
      name: LATENCY,
      condition: 'avg:algorithmia.duration_milliseconds{env:staging} <= 15000',
      slicing: 'good 5-minute slices; a slice without data counts as good',
      windows: [
        { timeframe: '30d', label: '30d target 99.5% (warn 99.8%)' },
        { timeframe: '7d', label: '7d target 99.5%' },
      ],
    });
    // The sample hour lies where the duration monitor looks (under its 10000 warning): every slice good.
    expect(latency.slo!.slices).toEqual(new Array(12).fill('good'));
    expect(latency.slo!.windows.map((window) => [window.status, window.budgetLeft, window.verdict])).toEqual([
      [100, 100, 'OK'],
      [100, 100, 'OK'],
    ]);
    expect(latency.slo!.summary).toBe(
      "12 of 12 5-minute slices good (100%) in the preview's 1 h of sample data; status and budget as if each timeframe were like it",
    );
    expect(quality.slo).toMatchObject({ condition: 'avg:algorithmia.risk_score{env:staging,algorithm_name:credit_card_approval} <= 0.9' });
    expect(quality.slo!.slices).toHaveLength(60);
    expect(quality.slo!.windows.map((window) => window.label)).toEqual(['7d target 99%']);
  });

  it('with recorded points: a slow slice spends the budget; an SLO whose metric was not recorded says "no data"', () => {
    const points = latencyPoints(15, (minute) => minute >= 5 && minute < 10, 'algorithmia.duration_milliseconds', ['env:staging']);
    const [latency, quality] = views(recordedSource(points, 'points.jsonl'));
    expect(latency.slo!.slices).toEqual(['good', 'bad', 'good']);
    const [thirty] = latency.slo!.windows;
    expect(thirty.verdict).toBe('BREACHED');
    expect(thirty.status).toBeCloseTo(66.667, 2);
    // 0.5 % of the slices may be bad; a third are: the budget is spent 66 times over.
    expect(thirty.budgetLeft).toBeCloseTo((100 * (66.667 - 99.5)) / 0.5, 0);
    expect(latency.slo!.summary).toMatch(/^2 of 3 5-minute slices good \(66\.67%\) in the preview's 15 min of recorded points/);
    expect(quality.slo).toMatchObject({ slices: [], windows: [{ status: null, budgetLeft: null, verdict: 'NO DATA' }] });
    expect(quality.slo!.summary).toBe(
      "no data: no points of algorithmia.risk_score for avg:algorithmia.risk_score{env:staging,algorithm_name:credit_card_approval} in the preview's data",
    );
  });
});

describe('preview: SLO widgets written by hand', () => {
  const only = (stack: object, source = sampleSource()): WidgetView =>
    dashboardView(dashboardsOf('s', stack as never)[0], source).widgets[0];

  it('warns between the target and the warning, and counts slices without data as good, as Datadog does', () => {
    // 20 one-minute slices, 2 slow: 90 %, at the 90 target and under the 95 warning.
    const points = latencyPoints(20, (minute) => minute === 3 || minute === 4);
    const widget = only(handStack({ fast: timeSlice(1000, 90, 95) }), recordedSource(points, 'p.jsonl'));
    expect(widget.slo!.windows).toEqual([
      { timeframe: '7d', label: '7d target 90% (warn 95%)', status: 90, budgetLeft: 0, verdict: 'WARN' },
    ]);
    const gap = points.filter((point) => point.timestamp < 1_800_000_000 + 300 || point.timestamp >= 1_800_000_000 + 600);
    const withGap = only(handStack({ fast: timeSlice(1000, 90) }), recordedSource(gap, 'p.jsonl'));
    expect(withGap.slo!.slices.slice(3, 10)).toEqual(['bad', 'bad', 'none', 'none', 'none', 'none', 'none']);
    expect(withGap.slo!.summary).toMatch(/^18 of 20 1-minute slices good \(90%\).*, 5 without data counted good;/);
  });

  it('judges each bucket as one slice when the data’s buckets are longer than a slice, and says so', () => {
    const points = latencyPoints(240, (minute) => minute < 4);
    const widget = only(handStack({ fast: timeSlice(1000, 99) }), recordedSource(points, 'p.jsonl'));
    expect(widget.slo!.slices).toHaveLength(60);
    expect(widget.slo!.summary).toMatch(/^59 of 60 4 min buckets good/);
    expect(widget.notes).toEqual(["the data's 4 min buckets are longer than a slice: each bucket judged as one slice"]);
  });

  it('shows the targets of an SLO it does not compute, and names an slo_id that is not in the stack', () => {
    const metricSlo = {
      name: 'Good requests',
      type: 'metric',
      query: { numerator: 'sum:good{*}.as_count()', denominator: 'sum:all{*}.as_count()' },
      thresholds: [{ timeframe: '7d', target: 99.9 }],
    };
    const ratio = only(handStack({ ratio: metricSlo }));
    expect(ratio.slo).toMatchObject({
      condition: 'a metric SLO',
      windows: [{ label: '7d target 99.9%', verdict: 'NO DATA' }],
      summary: 'no data: the preview computes time-slice SLOs only, and this is a metric SLO',
    });
    const pasted = only(handStack({}, ['abc123']));
    expect(pasted).toMatchObject({ display: 'unsupported', notes: ['SLO abc123 is not declared in this stack: no targets or status'] });
  });

  it('marks an SLO widget changed when its SLO’s target changes', () => {
    const base = dashboardsOf('s', handStack({ fast: timeSlice(1000, 99) }) as never)[0];
    const head = dashboardsOf('s', handStack({ fast: timeSlice(1000, 99.5) }) as never)[0];
    expect(compareDashboards(base, head).counts).toEqual({ added: 0, changed: 1, removed: 0 });
    expect(compareDashboards(base, base).counts).toEqual({ added: 0, changed: 0, removed: 0 });
  });
});
