/**
 * `npm run preview` of the staging dashboard's "Service level objectives" group in the real
 * browser: a tile per SLO with its name, targets, condition and the preview's good slices, inside
 * its card; "no data" where the preview has no points for an SLO's query.
 */
import { join } from 'node:path';
import { PointsRecorder, type RecordedPoint } from '../../scripts/preview/points-file';
import { synthExampleConfig, tempFolder } from './preview-synth';
import { preview, usePreviewBrowser, type DrawnWidget } from './preview-page';

jest.setTimeout(120_000);

const open = usePreviewBrowser();
const LATENCY = '[Algorithmia] duration_milliseconds <= 15000 (staging)';
const QUALITY = '[Algorithmia] risk_score <= 0.9 for credit_card_approval (staging)';

/** The group and the widgets drawn inside it (their keys extend the group's). */
function sloGroup(widgets: DrawnWidget[]): { group: DrawnWidget; tiles: DrawnWidget[] } {
  const group = widgets.find((widget) => widget.kind === 'group' && widget.title === 'Service level objectives')!;
  expect(group).toBeDefined();
  return { group, tiles: widgets.filter((widget) => widget.key.startsWith(`${group.key}.`)) };
}

describe('npm run preview: the SLO group', () => {
  it('with sample data: one tile per SLO with its name, targets per timeframe, condition and good slices', async () => {
    const out = tempFolder('preview-out-');
    const result = preview([synthExampleConfig(), '--stack', 'algorithmia-staging', '--out', out]);
    expect(result.status).toBe(0);
    const { page, widgets, errors } = await open(join(out, 'algorithmia-staging', 'algorithmia_dashboard.html'));
    expect(errors).toEqual([]);
    const { tiles } = sloGroup(widgets);
    expect(tiles.map((tile) => [tile.kind, tile.title])).toEqual([
      ['service_level_objective', LATENCY],
      ['service_level_objective', QUALITY],
    ]);
    const [latency, quality] = tiles.map((tile) => tile.slo!);
    expect(latency).toMatchObject({
      name: LATENCY,
      condition: 'avg:algorithmia.duration_milliseconds{env:staging} <= 15000',
      slicing: 'good 5-minute slices; a slice without data counts as good',
      windows: [
        ['30d target 99.5% (warn 99.8%)', '100%', '100%'],
        ['7d target 99.5%', '100%', '100%'],
      ],
      slices: { good: 12, bad: 0, none: 0 },
      inside: true,
    });
    expect(latency.summary).toMatch(/^12 of 12 5-minute slices good \(100%\) in the preview's 1 h of sample data/);
    expect(quality).toMatchObject({
      name: QUALITY,
      condition: 'avg:algorithmia.risk_score{env:staging,algorithm_name:credit_card_approval} <= 0.9',
      slicing: 'good 1-minute slices; a slice without data counts as good',
      inside: true,
    });
    expect(quality.windows.map((row) => row[0])).toEqual(['7d target 99%']);
    expect(quality.slices.good + quality.slices.bad).toBe(60);
    await page.close();
  });

  it('with recorded points: a slow stretch drawn as a bad slice with the budget spent; an SLO without points says "no data"', async () => {
    // 15 minutes of staging latency, minutes 5 to 9 slow: the middle 5-minute slice is bad. No risk_score.
    const start = Math.floor(Date.now() / 1000) - 900;
    const points: RecordedPoint[] = Array.from({ length: 90 }, (_, index) => ({
      metric: 'algorithmia.duration_milliseconds',
      timestamp: start + index * 10,
      value: index >= 30 && index < 60 ? 20_000 : 800,
      tags: ['env:staging', 'algorithm_name:document_ocr'],
    }));
    const file = join(tempFolder('preview-points-'), 'points.jsonl');
    new PointsRecorder(file).record(points);
    const out = tempFolder('preview-out-');
    const result = preview([synthExampleConfig(), '--stack', 'algorithmia-staging', '--points', file, '--out', out]);
    expect(result.status).toBe(0);
    const { page, widgets, errors } = await open(join(out, 'algorithmia-staging', 'algorithmia_dashboard.html'));
    expect(errors).toEqual([]);
    const [latency, quality] = sloGroup(widgets).tiles.map((tile) => tile.slo!);
    expect(latency.slices).toEqual({ good: 2, bad: 1, none: 0 });
    // 2 of 3 good against a 99.5 target: breached, the budget spent many times over (negative).
    expect(latency.windows).toEqual([
      ['30d target 99.5% (warn 99.8%)', '66.67%', '-6566.67%'],
      ['7d target 99.5%', '66.67%', '-6566.67%'],
    ]);
    expect(quality).toMatchObject({ windows: [['7d target 99%', 'NO DATA', '–']], slices: { good: 0, bad: 0, none: 0 }, inside: true });
    expect(quality.summary).toMatch(/^no data: no points of algorithmia\.risk_score/);
    await page.close();
  });
});
