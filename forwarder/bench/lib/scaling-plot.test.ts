/**
 * The scaling plot is read by people, not checked by a machine: these tests hold it to the data
 * (each marker where its value puts it, on the right scale), to both tools, and to its labels.
 */
import { compact, LAYOUT, niceScale, scalingSvg, xPosition, type PlotRow } from './scaling-plot';

const figures = (messagesPerSecond: number, cpuSeconds: number, peakRssMb: number) => ({ messagesPerSecond, cpuSeconds, peakRssMb });
type Figures = ReturnType<typeof figures>;
const row = (axis: PlotRow['axis'], value: number, forwarder: Figures, telegraf?: Figures, messages = 1_000_000): PlotRow => ({
  axis,
  value,
  shape: { messages },
  forwarder,
  ...(telegraf ? { telegraf } : {}),
});
const ROWS: PlotRow[] = [
  row('tagsets', 72, figures(100_000, 10, 200), figures(50_000, 20, 100)),
  row('tagsets', 720, figures(90_000, 11, 210), figures(48_000, 21, 101)),
  row('tagsets', 7_200, figures(80_000, 12, 220), figures(46_000, 22, 102)),
  row('tagsets', 72_000, figures(70_000, 13, 260), figures(40_000, 24, 140)),
  row('metrics', 2, figures(100_000, 10, 200), figures(50_000, 20, 100)),
  row('metrics', 25, figures(20_000, 30, 300), figures(8_000, 60, 150), 500_000),
  row('partitions', 6, figures(100_000, 10, 200), figures(50_000, 20, 100)),
  row('partitions', 48, figures(95_000, 10, 230)),
];

interface Marker {
  tool: string;
  axis: string;
  value: number;
  figure: string;
  x: number;
  y: number;
  failed: boolean;
}

/** Every data marker of the SVG with its centre (circles: cx/cy; squares: x/y + 4). */
function markers(svg: string): Marker[] {
  const found: Marker[] = [];
  for (const match of svg.matchAll(/<(circle|rect) ([^>]*data-tool[^>]*)\/>/g)) {
    const attr = (name: string): string => new RegExp(`(?:^| )${name}="([^"]*)"`).exec(match[2])?.[1] ?? '';
    const square = match[1] === 'rect';
    found.push({
      tool: attr('data-tool'),
      axis: attr('data-axis'),
      value: Number(attr('data-value')),
      figure: attr('data-figure'),
      x: square ? Number(attr('x')) + 4 : Number(attr('cx')),
      y: square ? Number(attr('y')) + 4 : Number(attr('cy')),
      failed: attr('data-failed') === 'true',
    });
  }
  return found;
}

const svg = scalingSvg(ROWS, { title: 'Scaling <test>', subtitles: ['base 72 tag sets'] });
const all = markers(svg);
const find = (tool: string, axis: string, value: number, figure: string): Marker => {
  const marker = all.find((m) => m.tool === tool && m.axis === axis && m.value === value && m.figure === figure);
  if (!marker) throw new Error(`no ${tool} marker at ${axis} ${value} (${figure})`);
  return marker;
};

describe('scalingSvg', () => {
  it('draws a marker per tool, point and figure, with a line per tool and panel', () => {
    // 8 rows x 3 figures for the forwarder, 7 for Telegraf (none at 48 partitions).
    expect(all.filter((m) => m.tool === 'forwarder')).toHaveLength(24);
    expect(all.filter((m) => m.tool === 'telegraf')).toHaveLength(21);
    expect(svg.match(/<polyline /g)).toHaveLength(9 + 6);
    expect(svg).toContain('stroke="#1f77b4"');
    expect(svg).toContain('stroke="#e4700e"');
  });

  it('spaces tag sets on a log scale and the other axes linearly', () => {
    const x = [72, 720, 7_200, 72_000].map((value) => find('forwarder', 'tagsets', value, 'messagesPerSecond').x);
    expect(x[1] - x[0]).toBeCloseTo(x[2] - x[1], 0);
    expect(x[2] - x[1]).toBeCloseTo(x[3] - x[2], 0);
    const innerWidth = LAYOUT.cellWidth - LAYOUT.plotLeft - LAYOUT.plotRight - 2 * LAYOUT.inset;
    expect(x[3] - x[0]).toBeCloseTo(innerWidth, 0);
    // Partitions 6 and 48 are the ends of the third column's panel.
    const p6 = find('forwarder', 'partitions', 6, 'peakRssMb').x;
    expect(p6).toBeCloseTo(2 * LAYOUT.cellWidth + LAYOUT.plotLeft + LAYOUT.inset, 0);
    expect(find('forwarder', 'partitions', 48, 'peakRssMb').x - p6).toBeCloseTo(innerWidth, 0);
    expect(xPosition('metrics', 10, [2, 10, 18], 0, 100)).toBeCloseTo(50, 5);
  });

  it('puts values on a y axis from 0, shared by both tools in a panel', () => {
    // Messages/s on tag sets: max 100k, so the axis tops at 100k; the bottom of the plot is 0.
    const plotBottom = LAYOUT.header + LAYOUT.plotTop + (LAYOUT.cellHeight - LAYOUT.plotTop - LAYOUT.plotBottom);
    const plotHeight = LAYOUT.cellHeight - LAYOUT.plotTop - LAYOUT.plotBottom;
    expect(find('forwarder', 'tagsets', 72, 'messagesPerSecond').y).toBeCloseTo(plotBottom - plotHeight, 0);
    expect(find('telegraf', 'tagsets', 72, 'messagesPerSecond').y).toBeCloseTo(plotBottom - plotHeight / 2, 0);
    // CPU per million messages divides by each point's own message count: Telegraf's 60 s over
    // 0.5 M messages is 120, the most in the panel, so its axis tops at 150 (steps of 50).
    const cpuBottom = plotBottom + LAYOUT.cellHeight;
    expect(find('telegraf', 'metrics', 25, 'cpuPerMillion').y).toBeCloseTo(cpuBottom - (120 / 150) * plotHeight, 0);
    expect(find('forwarder', 'metrics', 25, 'cpuPerMillion').y).toBeCloseTo(cpuBottom - (60 / 150) * plotHeight, 0);
    expect(find('forwarder', 'metrics', 2, 'cpuPerMillion').y).toBeCloseTo(cpuBottom - (10 / 150) * plotHeight, 0);
  });

  it('labels the figures, the axes (tag sets as log scale), the ticks and the legend, escaped', () => {
    for (const label of [
      'messages/s',
      'CPU s per million messages',
      'peak RSS MB',
      'tag sets (log scale)',
      'inference metrics per message',
      'partitions',
      'forwarder',
      'Telegraf 1.37.2',
      '72k',
      '7.2k',
      '100k',
    ])
      expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain('>Scaling &lt;test&gt;</text>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  it('draws the markers of a tool whose run failed hollow, and says what hollow means', () => {
    const failed = scalingSvg(
      ROWS.map((row) => (row.axis === 'metrics' && row.value === 25 ? { ...row, failedTools: ['telegraf'] } : row)),
      { title: 't' },
    );
    const hollow = markers(failed).filter((m) => m.failed);
    expect(hollow.map((m) => `${m.tool} ${m.axis} ${m.value}`)).toEqual(Array(3).fill('telegraf metrics 25'));
    expect(failed).toContain('>hollow: a run failed (points lost, duplicated, altered)</text>');
    expect(svg).not.toContain('hollow:');
  });

  it('draws only the axes measured', () => {
    const one = scalingSvg(
      ROWS.filter((row) => row.axis === 'metrics'),
      { title: 't' },
    );
    expect(one).toContain(`width="${LAYOUT.minWidth}"`);
    expect(svg).toContain(`width="${3 * LAYOUT.cellWidth}"`);
    expect(one).not.toContain('tag sets (log scale)');
  });
});

describe('scale helpers', () => {
  it('rounds y axis tops up to 1, 2, 2.5 or 5 steps', () => {
    expect(niceScale(100_000)).toEqual({ top: 100_000, step: 25_000 });
    expect(niceScale(130)).toEqual({ top: 150, step: 50 });
    expect(niceScale(0)).toEqual({ top: 1, step: 0.25 });
  });

  it('writes short tick labels', () => {
    expect([72, 7_200, 72_000, 1_250_000, 0.25].map(compact)).toEqual(['72', '7.2k', '72k', '1.25M', '0.25']);
  });
});
