/**
 * `npm run preview` of a grouped staging dashboard in the real browser: the worst group of a
 * multi-alert monitor, complete legends, tables inside their cards, units kept.
 */
import { join } from 'node:path';
import { environmentMonitors } from '../../scripts/demo/environment-monitors';
import { PointsRecorder, type RecordedPoint } from '../../scripts/preview/points-file';
import { synthExampleConfig, tempFolder } from './preview-synth';
import { preview, usePreviewBrowser, type DrawnWidget } from './preview-page';

jest.setTimeout(120_000);

const open = usePreviewBrowser();

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
