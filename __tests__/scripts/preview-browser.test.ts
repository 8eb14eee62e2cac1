/**
 * `npm run preview` as users run it, then its pages opened in the real browser (the system's
 * Chromium through playwright-core): every widget drawn with its title and its series, threshold
 * lines where the monitor has thresholds, and PNGs of sane size.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DatadogDouble } from '@algorithmia-datadog/testbed';
import { readSynthOutput } from '../../scripts/plan-summary/synth-output';
import { findChromium } from '../../scripts/preview/browser';
import { dashboardsOf, type WidgetModel } from '../../scripts/preview/model';
import { environmentMonitors } from '../../scripts/demo/environment-monitors';
import { PointsRecorder, type RecordedPoint } from '../../scripts/preview/points-file';
import { cdktfOutWith, modelMonitoringFixture, removeTempFolders, synthConfig, synthExampleConfig, tempFolder } from './preview-synth';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');

/** The command as the docs give it: `npm run preview -- …` from the repository root. */
function preview(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('npm', ['run', '--silent', 'preview', '--', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

interface DrawnDataset {
  role: string;
  label: string;
  drawn: number;
  first: number | null;
}
interface DrawnWidget {
  key: string;
  kind: string;
  title: string;
  change: string | null;
  charts: { width: number; height: number; datasets: DrawnDataset[]; data: (number | null)[][] }[];
  /** Legend entries a reader can see: inside the legend box of the canvas, or listed within the card. */
  legend: string[];
  rows: number;
  /** The table's header and rows, cell by cell. */
  table: string[][];
  /** How far the table reaches past the right edge of its card, in CSS pixels (0 or less: inside). */
  tableOverflow: number | null;
  value: string | null;
  status: string | null;
  /** The group an alert value shows, for a multi-alert monitor. */
  group: string | null;
  note: string | null;
  /** The widget's notes under its queries. */
  noteLines: string[];
}

/** Reads what was drawn, from the DOM and from Chart.js's own state (points it laid out on the canvas). */
const INSPECT = `Array.from(document.querySelectorAll('section.widget')).map((section) => {
  const card = section.getBoundingClientRect();
  const inside = (element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.left >= card.left && box.right <= card.right && box.top >= card.top && box.bottom <= card.bottom;
  };
  const canvases = Array.from(section.querySelectorAll(':scope > .body > .chart > canvas'));
  const table = section.querySelector(':scope > .body table');
  const text = (selector) => (section.querySelector(selector) ? section.querySelector(selector).textContent : null);
  return {
    key: section.dataset.widgetKey,
    kind: section.dataset.kind,
    title: section.querySelector(':scope > header .title').textContent,
    change: (section.className.match(/change-(\\w+)/) || [])[1] || null,
    charts: canvases.map((canvas) => {
      const chart = Chart.getChart(canvas);
      return {
        width: canvas.width,
        height: canvas.height,
        datasets: chart.data.datasets.map((dataset, index) => ({
          role: dataset.role,
          label: dataset.label,
          drawn: chart.getDatasetMeta(index).data.filter((element) => !element.skip && Number.isFinite(element.x) && Number.isFinite(element.y)).length,
          first: dataset.data[0],
        })),
        data: chart.data.datasets.filter((dataset) => dataset.role === 'series').map((dataset) => dataset.data),
      };
    }),
    legend: canvases.flatMap((canvas) => {
      const chart = Chart.getChart(canvas);
      const legend = chart.legend;
      if (!legend || !legend.options.display) return [];
      return legend.legendItems
        .filter((item, index) => {
          const box = legend.legendHitBoxes[index];
          return box.top >= legend.top && box.top + box.height <= legend.bottom && box.left >= 0 && box.left + box.width <= chart.width;
        })
        .map((item) => item.text);
    }).concat(Array.from(section.querySelectorAll(':scope > .body .legend-item')).filter(inside).map((item) => item.textContent)),
    rows: section.querySelectorAll(':scope > .body tr.row').length,
    table: table ? Array.from(table.querySelectorAll('tr')).map((row) => Array.from(row.children).map((cell) => cell.textContent)) : [],
    tableOverflow: table ? table.getBoundingClientRect().right - card.right : null,
    value: text(':scope > .body > .value'),
    status: text(':scope > .body > .status'),
    group: text(':scope > .body > .alert-group'),
    note: text(':scope > .body > .note'),
    noteLines: Array.from(section.querySelectorAll(':scope > footer .note-line')).map((line) => line.textContent),
  };
})`;

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
});
afterAll(async () => {
  await browser?.close();
  removeTempFolders();
});

async function open(html: string): Promise<{ page: Page; widgets: DrawnWidget[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Nothing may be fetched: the page is self-contained.
  await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  await page.goto(pathToFileURL(html).href);
  await page.waitForFunction(`document.body.dataset.ready === 'true'`, undefined, { timeout: 30_000 });
  return { page, widgets: await page.evaluate<DrawnWidget[]>(INSPECT), errors };
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

/**
 * A minute of what the demo sends for `staging` (docs/demo.md, "The traffic"), with the tags the
 * demo gives the forwarder: one algorithm always slow, one version drifting, one distribution.
 */
function demoLikePoints(): RecordedPoint[] {
  const { forwarderTags } = environmentMonitors('staging');
  const algorithms = [
    { name: 'churn_predictor', version: '0.4.2', owner: 'ml-platform', duration: 560, churn: [0.2, 0.35, 0.5] },
    { name: 'credit_card_approval', version: '1.0.6', owner: 'asli', duration: 25, risk: 0.3, approved: 1 },
    { name: 'credit_card_approval', version: '1.1.0', owner: 'asli', duration: 26, risk: 0.95, approved: 0 },
    { name: 'document_ocr', version: '3.0.0', owner: 'vision', duration: 4800 },
    { name: 'fraud_detection', version: '2.3.1', owner: 'payments', duration: 90, risk: 0.08 },
    { name: 'speech_to_text', version: '1.4.0', owner: 'voice', duration: 24800 },
  ];
  const end = Math.floor(Date.now() / 1000);
  const points: RecordedPoint[] = [];
  for (let timestamp = end - 59; timestamp <= end; timestamp += 1) {
    for (const algorithm of algorithms) {
      const tags = [
        `algorithm_name:${algorithm.name}`,
        `algorithm_version:${algorithm.version}`,
        `algorithm_owner:${algorithm.owner}`,
        ...forwarderTags,
      ];
      const wobble = 1 + 0.1 * Math.sin(timestamp + algorithm.duration);
      points.push({ metric: 'algorithmia.duration_milliseconds', timestamp, value: Math.round(algorithm.duration * wobble), tags });
      if (algorithm.risk !== undefined) points.push({ metric: 'algorithmia.risk_score', timestamp, value: algorithm.risk, tags });
      if (algorithm.approved !== undefined) points.push({ metric: 'algorithmia.approved', timestamp, value: algorithm.approved, tags });
      if (algorithm.churn) points.push({ metric: 'algorithmia.churn_probability', timestamp, values: algorithm.churn, tags });
    }
  }
  return points;
}

describe('npm run preview: grouped monitors, per-algorithm tables and units', () => {
  const expectLegendComplete = (widgets: DrawnWidget[]) => {
    for (const widget of widgets.filter((drawn) => ['timeseries', 'alert_graph'].includes(drawn.kind))) {
      const labels = widget.charts.flatMap((chart) => chart.datasets.map((dataset) => dataset.label));
      expect({ title: widget.title, legend: [...widget.legend].sort() }).toEqual({ title: widget.title, legend: [...labels].sort() });
    }
  };

  it('with recorded points: the worst group of a multi-alert monitor, every group and threshold in the legend, tables by group inside their card', async () => {
    const file = join(tempFolder('preview-points-'), 'demo-points.jsonl');
    new PointsRecorder(file).record(demoLikePoints());
    const out = tempFolder('preview-out-');
    const result = preview([synthExampleConfig(), '--stack', 'algorithmia-staging', '--points', file, '--out', out]);
    expect(result.status).toBe(0);
    const { page, widgets, errors } = await open(join(out, 'algorithmia-staging', 'algorithmia_dashboard.html'));
    expect(errors).toEqual([]);

    // avg(last_10m) … by {algorithm_name} > 20000: speech_to_text alerts, whatever group comes first.
    const alertValue = widgets.find((widget) => widget.kind === 'alert_value')!;
    expect({ status: alertValue.status, group: alertValue.group }).toEqual({ status: 'ALERT', group: 'algorithm_name:speech_to_text' });
    expect(Number(alertValue.value!.replace('k', '')) * (alertValue.value!.endsWith('k') ? 1000 : 1)).toBeGreaterThan(20000);

    const alertGraph = widgets.find((widget) => widget.kind === 'alert_graph')!;
    expect(alertGraph.charts[0].datasets.filter((dataset) => dataset.role === 'series').map((dataset) => dataset.label)).toEqual([
      'algorithm_name:churn_predictor',
      'algorithm_name:credit_card_approval',
      'algorithm_name:document_ocr',
      'algorithm_name:fraud_detection',
      'algorithm_name:speech_to_text',
    ]);
    expectLegendComplete(widgets);

    const table = widgets.find((widget) => widget.kind === 'query_table')!;
    expect(table.tableOverflow).toBeLessThanOrEqual(0);
    expect(table.table[0]).toEqual([
      'algorithm_name',
      'algorithm_version',
      'algorithmia.duration_milliseconds',
      'algorithmia.risk_score',
      'algorithmia.approved',
      'algorithmia.churn_probability',
    ]);
    // The distribution has one group only: its value stays in that group's row.
    expect(table.table.slice(1).map((row) => [row[0], row[1], row[5]])).toEqual([
      ['churn_predictor', '0.4.2', '0.35'],
      ['credit_card_approval', '1.0.6', '–'],
      ['credit_card_approval', '1.1.0', '–'],
      ['document_ocr', '3.0.0', '–'],
      ['fraud_detection', '2.3.1', '–'],
      ['speech_to_text', '1.4.0', '–'],
    ]);
    await page.close();
  });

  it('with sample data: a fraction stays within 0..1 (percentiles included), tables inside their card', async () => {
    const out = tempFolder('preview-out-');
    const result = preview([synthExampleConfig(), '--stack', 'algorithmia-staging', '--out', out]);
    expect(result.status).toBe(0);
    const { page, widgets, errors } = await open(join(out, 'algorithmia-staging', 'algorithmia_dashboard.html'));
    expect(errors).toEqual([]);
    expectLegendComplete(widgets);
    // risk_score and churn_probability are declared with "unit": "fraction" (config/metrics.json).
    const fractions = widgets.filter((widget) => /risk_score|churn_probability/.test(widget.title) && widget.kind === 'timeseries');
    expect(fractions.map((widget) => widget.title.split(' over ')[0])).toEqual([
      'Avg of algorithmia.risk_score',
      'p50 / p95 / p99 of algorithmia.churn_probability',
    ]);
    for (const widget of fractions) {
      const values = widget.charts[0].data.flat().filter((value): value is number => value !== null);
      expect({ title: widget.title, min: Math.min(...values) >= 0, max: Math.max(...values) <= 1 }).toEqual({
        title: widget.title,
        min: true,
        max: true,
      });
    }
    const [p50, p95, p99] = fractions[1].charts[0].data.map((values) => values.reduce((sum: number, value) => sum + (value ?? 0), 0));
    expect(p50).toBeLessThan(p95);
    expect(p95).toBeLessThan(p99);
    const table = widgets.find((widget) => widget.kind === 'query_table')!;
    expect(table.tableOverflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
