/**
 * `npm run preview` as users run it, then its pages opened in the real browser (the system's
 * Chromium through playwright-core): every widget drawn with its title and its series, threshold
 * lines where the monitor has thresholds, and PNGs of sane size.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatadogDouble } from '@algorithmia-datadog/testbed';
import { readSynthOutput } from '../../scripts/plan-summary/synth-output';
import { dashboardsOf, type WidgetModel } from '../../scripts/preview/model';
import { PointsRecorder } from '../../scripts/preview/points-file';
import { cdktfOutWith, modelMonitoringFixture, synthConfig, synthExampleConfig, tempFolder } from './preview-synth';
import { preview, usePreviewBrowser, type DrawnWidget } from './preview-page';

jest.setTimeout(120_000);

const open = usePreviewBrowser();

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function flatten(widgets: readonly WidgetModel[]): WidgetModel[] {
  return widgets.flatMap((widget) => [widget, ...flatten(widget.children ?? [])]);
}

/** Every declared widget drawn, in order, with its title; every data widget with a series of drawn points. */
function expectEveryWidgetDrawn(drawn: DrawnWidget[], declared: readonly WidgetModel[], panel = 0): void {
  const widgets = flatten(declared);
  expect(drawn.map((widget) => [widget.key, widget.kind, widget.title])).toEqual(
    widgets.map((widget) => [`${panel}:${widget.key}`, widget.kind, widget.title]),
  );
  for (const [index, widget] of widgets.entries()) {
    const seen = drawn[index];
    const series = seen.charts.flatMap((chart) => chart.datasets).filter((dataset) => dataset.role === 'series' && dataset.drawn > 0);
    if (['timeseries', 'alert_graph', 'query_value', 'alert_value', 'toplist'].includes(widget.kind)) {
      expect({ title: widget.title, series: series.length > 0 }).toEqual({ title: widget.title, series: true });
      for (const chart of seen.charts) expect(chart.width * chart.height).toBeGreaterThan(0);
    }
    if (widget.kind === 'query_table') expect(seen.rows).toBeGreaterThan(0);
    if (widget.kind === 'query_value' || widget.kind === 'alert_value') expect(seen.value).toMatch(/^[\d.]+k?$/);
    if (widget.kind === 'note') expect(seen.note).toBe(widget.text);
    // The monitor's thresholds, drawn as lines at their values.
    const thresholds = seen.charts.flatMap((chart) => chart.datasets).filter((dataset) => dataset.role === 'threshold');
    expect(thresholds.map((dataset) => [dataset.first, dataset.drawn > 0])).toEqual(
      (widget.monitor?.thresholds ?? []).map((threshold) => [threshold.value, true]),
    );
  }
}

describe('npm run preview in a real browser', () => {
  it('draws every dashboard of every stack of the example config into HTML and a PNG, labelled sample data', async () => {
    const cdktfOut = synthExampleConfig();
    const out = tempFolder('preview-out-');
    const result = preview([cdktfOut, '--out', out]);
    expect(result.stderr).toMatch(/^preview: 2 pages in [\d.]+ s\n$/);
    expect(result.status).toBe(0);
    for (const [stack, json] of readSynthOutput(cdktfOut)) {
      const [dashboard] = dashboardsOf(stack, json);
      const png = join(out, stack, 'algorithmia_dashboard.png');
      expect(result.stdout).toContain(`${stack} ${dashboard.title}: ${png} (1400×`);
      const size = pngSize(png);
      expect(size.width).toBe(1400);
      expect(size.height).toBeGreaterThan(600);
      expect(size.height).toBeLessThan(4000);
      const { page, widgets, errors } = await open(join(out, stack, 'algorithmia_dashboard.html'));
      expect(errors).toEqual([]);
      expectEveryWidgetDrawn(widgets, dashboard.widgets);
      expect(await page.textContent('.data-source.sample')).toMatch(/^sample data/);
      await page.close();
    }
  });

  it('draws template variables, p50/p95/p99, per-algorithm tables, toplists, notes, groups and anomaly alerts', async () => {
    const cdktfOut = cdktfOutWith('algorithmia-models', modelMonitoringFixture());
    const out = tempFolder('preview-out-');
    const result = preview([cdktfOut, '--stack', 'algorithmia-models', '--out', out]);
    expect(result.status).toBe(0);
    const [dashboard] = dashboardsOf('algorithmia-models', readSynthOutput(cdktfOut).get('algorithmia-models')!);
    const { page, widgets, errors } = await open(join(out, 'algorithmia-models', 'models.html'));
    expect(errors).toEqual([]);
    expectEveryWidgetDrawn(widgets, dashboard.widgets);
    expect(await page.$$eval('.template-variable', (chips) => chips.map((chip) => chip.textContent))).toEqual([
      '$scope env:prod',
      '$algorithm algorithm_name:*',
    ]);
    const percentiles = widgets.find((widget) => widget.title === 'Duration percentiles')!;
    expect(percentiles.charts[0].datasets.map((dataset) => [dataset.label, dataset.drawn])).toEqual([
      ['p50', 60],
      ['p95', 60],
      ['p99', 60],
    ]);
    expect(widgets.find((widget) => widget.title === 'Per algorithm')!.rows).toBe(3);
    expect(pngSize(join(out, 'algorithmia-models', 'models.png')).width).toBe(1400);
    await page.close();
  });

  it('draws percentiles as Datadog has them: from the stack that enables them, and empty where no stack does', async () => {
    const enabled = modelMonitoringFixture() as { resource: Record<string, unknown> };
    const draw = async (stack: object) => {
      const out = tempFolder('preview-out-');
      expect(preview([cdktfOutWith('algorithmia-models', stack), '--out', out]).status).toBe(0);
      const { page, widgets } = await open(join(out, 'algorithmia-models', 'models.html'));
      await page.close();
      return widgets.find((widget) => widget.title === 'Duration percentiles')!;
    };
    const withConfiguration = await draw(enabled);
    expect(withConfiguration.charts[0].datasets.filter((dataset) => dataset.role === 'series').map((dataset) => dataset.drawn)).toEqual([
      60, 60, 60,
    ]);
    expect(withConfiguration.noteLines).toContain('percentiles of algorithmia.duration_milliseconds enabled by algorithmia-models');
    const { datadog_metric_tag_configuration: _configuration, ...withoutResource } = enabled.resource;
    const without = await draw({ ...enabled, resource: withoutResource });
    expect(without.charts.flatMap((chart) => chart.datasets).filter((dataset) => dataset.role === 'series' && dataset.drawn > 0)).toEqual(
      [],
    );
    expect(without.noteLines).toContain(
      'no data: no stack enables the percentiles of algorithmia.duration_milliseconds (datadog_metric_tag_configuration), so Datadog has none',
    );
  });

  it('draws the changed dashboards before and after, side by side, with the changed widgets marked', async () => {
    const riskOnly = JSON.stringify({ prefix: 'algorithmia', inferenceMetrics: [{ key: 'risk_score', unit: 'fraction' }] });
    const base = synthConfig({ environments: { prod: { scope: 'env:prod' }, dev: {} } }, riskOnly);
    const head = synthConfig({
      environments: { prod: { scope: 'env:prod', durationMonitor: { critical: 15000, warning: 7500 } }, dev: {} },
    });
    const out = tempFolder('preview-out-');
    const result = preview(['--base', base, '--head', head, '--out', out]);
    expect(result.status).toBe(0);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    // Both stacks gain the approved widget; only prod's monitor changed.
    expect(summary).toContain(
      '| algorithmia-prod | Algorithmia | 2 changed, 2 added | `algorithmia-prod/algorithmia_dashboard.changes.png` |',
    );
    expect(summary).toContain('| algorithmia-dev | Algorithmia | 2 added | `algorithmia-dev/algorithmia_dashboard.changes.png` |');
    expect(pngSize(join(out, 'algorithmia-prod', 'algorithmia_dashboard.changes.png')).width).toBe(2400);
    const { page, widgets, errors } = await open(join(out, 'algorithmia-prod', 'algorithmia_dashboard.changes.html'));
    expect(errors).toEqual([]);
    const before = widgets.filter((widget) => widget.key.startsWith('0:'));
    const after = widgets.filter((widget) => widget.key.startsWith('1:'));
    expectEveryWidgetDrawn(before, dashboardsOf('algorithmia-prod', readSynthOutput(base).get('algorithmia-prod')!)[0].widgets, 0);
    expectEveryWidgetDrawn(after, dashboardsOf('algorithmia-prod', readSynthOutput(head).get('algorithmia-prod')!)[0].widgets, 1);
    expect(after.filter((widget) => widget.change).map((widget) => [widget.title, widget.change])).toEqual([
      ['Alert: Excessive algorithm runtime', 'changed'],
      ['Excessive algorithm runtime', 'changed'],
      ['Avg of algorithmia.approved over env:prod', 'added'],
      ['Avg of algorithmia.churn_probability over env:prod', 'added'],
    ]);
    expect(before.filter((widget) => widget.change).map((widget) => widget.title)).toEqual([
      'Alert: Excessive algorithm runtime',
      'Excessive algorithm runtime',
    ]);
    // The same sample series on both sides: a changed threshold moves its line, not the data.
    expect(after[1].charts[0].datasets[0]).toEqual(before[1].charts[0].datasets[0]);
    expect(await page.$$eval('.caption', (captions) => captions.map((caption) => caption.textContent))).toEqual([
      'before (base)',
      'after (this change)',
    ]);
    expect(await page.textContent('#page-summary li')).toBe(
      'changed: “Alert: Excessive algorithm runtime” (alert graph), “Excessive algorithm runtime” (alert value)',
    );
    await page.close();
    // Nothing changed: no picture, and the summary says so.
    const same = preview(['--base', base, '--head', base, '--out', join(out, 'same')]);
    expect(same.status).toBe(0);
    expect(same.stdout).toContain('no dashboard changed');
    expect(readFileSync(join(out, 'same', 'summary.md'), 'utf8')).toContain('No dashboard changes');
  });

  it('draws the points the demo’s Datadog double accepted (written with DEMO_RECORD_FILE)', async () => {
    const double = await DatadogDouble.start({ apiKey: 'preview-test-key' });
    const now = Math.floor(Date.now() / 1000);
    try {
      const series = [
        {
          metric: 'algorithmia.duration_milliseconds',
          type: 3,
          points: [
            { timestamp: now - 2, value: 100 },
            { timestamp: now - 1, value: 300 },
          ],
          tags: ['env:staging', 'team:ml-platform', 'algorithm_name:a'],
        },
        {
          metric: 'algorithmia.risk_score',
          type: 3,
          points: [{ timestamp: now - 1, value: 0.25 }],
          tags: ['env:staging', 'team:ml-platform'],
        },
        { metric: 'algorithmia.approved', type: 3, points: [{ timestamp: now - 1, value: 1 }], tags: ['env:staging', 'team:ml-platform'] },
      ];
      const response = await fetch(`${double.url}/api/v2/series`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'dd-api-key': 'preview-test-key' },
        body: JSON.stringify({ series }),
      });
      expect(response.status).toBe(202);
      const file = join(tempFolder('preview-points-'), 'points.jsonl');
      new PointsRecorder(file).record(double.points());
      const out = tempFolder('preview-out-');
      const result = preview([synthExampleConfig(), '--stack', 'algorithmia-prod', '--points', file, '--out', out]);
      expect(result.status).toBe(0);
      const { page, widgets } = await open(join(out, 'algorithmia-prod', 'algorithmia_dashboard.html'));
      expect(await page.textContent('.data-source')).toMatch(new RegExp(`^recorded by the demo's Datadog double \\(${file}, 4 points`));
      expect(await page.$('.data-source.sample')).toBeNull();
      // avg over the recording of 100 and 300; the scope env:prod is not in a demo recording, and the page says so.
      expect(widgets.find((widget) => widget.kind === 'query_value')!.value).toBe('200');
      expect(await page.textContent('section[data-kind="query_value"] .note-line')).toBe(
        'scope {env:prod} not in the recording: drawn over all of its points',
      );
      await page.close();
    } finally {
      await double.close();
    }
  });

  it('ends a user mistake in one line naming what to fix, with exit 2 (inputs) or 3 (browser)', () => {
    const out = tempFolder('preview-out-');
    const missing = preview([join(out, 'nope'), '--out', out]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(
      `preview: ${join(out, 'nope')} is not a directory: give the cdktf.out folder written by \`cdktf synth\` (or its stacks/ folder).\n`,
    );
    const cdktfOut = synthExampleConfig();
    const stack = preview([cdktfOut, '--stack', 'algorithmia-qa', '--out', out]);
    expect(stack.status).toBe(2);
    expect(stack.stderr).toBe(
      `preview: --stack algorithmia-qa: no such stack in ${cdktfOut} (stacks: algorithmia-prod, algorithmia-staging)\n`,
    );
    const browserless = preview([cdktfOut, '--out', out], { PREVIEW_CHROMIUM: join(out, 'no-chromium') });
    expect(browserless.status).toBe(3);
    expect(browserless.stderr).toBe(
      `preview: PREVIEW_CHROMIUM=${join(out, 'no-chromium')} does not exist: give the path of a Chromium or Chrome binary\n`,
    );
    expect(existsSync(join(out, 'algorithmia-prod'))).toBe(false);
    const usage = preview(['--base', cdktfOut]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toBe('preview: --base and --head go together (usage: npm run preview -- --help)\n');
  });
});
