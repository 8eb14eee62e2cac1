/**
 * npm run bench:scaling's plot, as plain SVG (no dependency, no script, no web font, so that
 * GitHub shows it in markdown): rows messages/s, CPU s per million messages and peak RSS; one
 * column per axis measured (tag sets on a log scale); the forwarder and Telegraf as lines with
 * markers, y from 0; a hollow marker where a run of that tool failed (its figures prove nothing).
 * Markers carry data-* attributes naming their tool, axis, value and figure.
 */
import { AXIS_VALUES, SCALING_AXES, type ScalingAxis } from './scaling-points';

interface ToolFigures {
  messagesPerSecond: number;
  cpuSeconds: number;
  peakRssMb: number;
}

/** What the plot needs of a row of bench-results/scaling-*.json (ScalingRow). */
export interface PlotRow {
  axis: ScalingAxis;
  value: number;
  shape: { messages: number };
  forwarder?: ToolFigures;
  telegraf?: ToolFigures;
  /** Tools with a run that lost, duplicated or altered points at this point. */
  failedTools?: readonly string[];
}

export const TOOLS = [
  { key: 'forwarder', label: 'forwarder', colour: '#1f77b4', marker: 'circle' },
  { key: 'telegraf', label: 'Telegraf 1.37.2', colour: '#e4700e', marker: 'square' },
] as const;

export const FIGURES = [
  { key: 'messagesPerSecond', label: 'messages/s', of: (f: ToolFigures) => f.messagesPerSecond },
  { key: 'cpuPerMillion', label: 'CPU s per million messages', of: (f: ToolFigures, messages: number) => (f.cpuSeconds / messages) * 1e6 },
  { key: 'peakRssMb', label: 'peak RSS MB', of: (f: ToolFigures) => f.peakRssMb },
] as const;

/** Pixel layout: cells of one panel each, under a header with the title and the legend. */
export const LAYOUT = {
  cellWidth: 300,
  cellHeight: 210,
  minWidth: 660,
  header: 84,
  plotLeft: 62,
  plotRight: 18,
  plotTop: 24,
  plotBottom: 42,
  inset: 14,
};

const plotWidth = LAYOUT.cellWidth - LAYOUT.plotLeft - LAYOUT.plotRight;
const plotHeight = LAYOUT.cellHeight - LAYOUT.plotTop - LAYOUT.plotBottom;

/** The x of `value` among an axis's `values`, from `left` over `width` (log scale for tag sets). */
export function xPosition(axis: ScalingAxis, value: number, values: readonly number[], left: number, width: number): number {
  const scale = axis === 'tagsets' ? Math.log10 : (v: number) => v;
  const low = scale(Math.min(...values));
  const high = scale(Math.max(...values));
  if (high === low) return left + width / 2;
  return left + LAYOUT.inset + ((scale(value) - low) / (high - low)) * (width - 2 * LAYOUT.inset);
}

/** A round top for a y axis from 0: 1, 2, 2.5 or 5 times a power of ten, in four steps. */
export function niceScale(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) as number;
  return { top: Math.ceil(max / step - 1e-9) * step, step };
}

/** 72, 7.2k, 72k, 1.2M: short labels for ticks. */
export function compact(value: number): string {
  const trim = (n: number): string => String(Number(n.toPrecision(3)));
  if (Math.abs(value) >= 1e6) return `${trim(value / 1e6)}M`;
  if (Math.abs(value) >= 1e3) return `${trim(value / 1e3)}k`;
  return trim(value);
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const px = (n: number): string => String(Math.round(n * 10) / 10);
const text = (x: number, y: number, content: string, attrs = ''): string =>
  `<text x="${px(x)}" y="${px(y)}"${attrs ? ` ${attrs}` : ''}>${escape(content)}</text>`;

function marker(kind: 'circle' | 'square', x: number, y: number, colour: string, hollow: boolean, data: string): string {
  const paint = hollow ? `fill="#fff" stroke="${colour}" stroke-width="2"` : `fill="${colour}"`;
  return kind === 'circle'
    ? `<circle cx="${px(x)}" cy="${px(y)}" r="4" ${paint} ${data}/>`
    : `<rect x="${px(x - 4)}" y="${px(y - 4)}" width="8" height="8" ${paint} ${data}/>`;
}

function panel(rows: readonly PlotRow[], axis: ScalingAxis, figure: (typeof FIGURES)[number], left: number, top: number): string[] {
  const x0 = left + LAYOUT.plotLeft;
  const y0 = top + LAYOUT.plotTop;
  const ofAxis = rows.filter((row) => row.axis === axis).sort((a, b) => a.value - b.value);
  const values = ofAxis.map((row) => row.value);
  const seen = ofAxis.flatMap((row) => TOOLS.map((tool) => row[tool.key]).flatMap((f) => (f ? [figure.of(f, row.shape.messages)] : [])));
  const { top: yTop, step } = niceScale(Math.max(0, ...seen));
  const y = (v: number): number => y0 + plotHeight - (v / yTop) * plotHeight;
  const out = [`<rect x="${x0}" y="${y0}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#999"/>`];
  for (let tick = 0; tick <= yTop + step / 2; tick += step) {
    out.push(`<line x1="${x0}" x2="${x0 + plotWidth}" y1="${px(y(tick))}" y2="${px(y(tick))}" stroke="#e5e5e5"/>`);
    out.push(text(x0 - 6, y(tick) + 4, compact(tick), 'text-anchor="end"'));
  }
  for (const value of values) {
    const x = xPosition(axis, value, values, x0, plotWidth);
    out.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${y0 + plotHeight}" y2="${y0 + plotHeight + 4}" stroke="#999"/>`);
    out.push(text(x, y0 + plotHeight + 16, compact(value), 'text-anchor="middle"'));
  }
  for (const tool of TOOLS) {
    const points = ofAxis.flatMap((row) => {
      const figures = row[tool.key];
      if (!figures) return [];
      const x = xPosition(axis, row.value, values, x0, plotWidth);
      return [{ value: row.value, failed: row.failedTools?.includes(tool.key) ?? false, x, y: y(figure.of(figures, row.shape.messages)) }];
    });
    if (points.length > 1)
      out.push(
        `<polyline points="${points.map((p) => `${px(p.x)},${px(p.y)}`).join(' ')}" fill="none" stroke="${tool.colour}" stroke-width="2"/>`,
      );
    for (const p of points)
      out.push(
        marker(
          tool.marker,
          p.x,
          p.y,
          tool.colour,
          p.failed,
          `data-tool="${tool.key}" data-axis="${axis}" data-value="${p.value}" data-figure="${figure.key}"${p.failed ? ' data-failed="true"' : ''}`,
        ),
      );
  }
  return out;
}

export interface PlotOptions {
  title: string;
  /** Lines under the title (the shape, the provenance). */
  subtitles?: readonly string[];
}

/** The SVG document: FIGURES as rows, the axes present in `rows` as columns (in SCALING_AXES order). */
export function scalingSvg(rows: readonly PlotRow[], options: PlotOptions): string {
  const axes = SCALING_AXES.filter((axis) => rows.some((row) => row.axis === axis));
  const width = Math.max(LAYOUT.minWidth, axes.length * LAYOUT.cellWidth);
  const height = LAYOUT.header + FIGURES.length * LAYOUT.cellHeight;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" fill="#222">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    text(12, 20, options.title, 'font-size="15" font-weight="bold"'),
  ];
  (options.subtitles ?? []).slice(0, 2).forEach((line, i) => out.push(text(12, 38 + i * 15, line, 'fill="#555"')));
  const legendY = LAYOUT.header - 12;
  TOOLS.forEach((tool, i) => {
    const x = 12 + i * 150;
    out.push(`<line x1="${x}" x2="${x + 24}" y1="${legendY}" y2="${legendY}" stroke="${tool.colour}" stroke-width="2"/>`);
    out.push(marker(tool.marker, x + 12, legendY, tool.colour, false, 'data-legend="true"'));
    out.push(text(x + 30, legendY + 4, tool.label));
  });
  if (rows.some((row) => (row.failedTools?.length ?? 0) > 0))
    out.push(text(300, legendY + 4, 'hollow: a run failed (points lost, duplicated, altered)', 'fill="#b00"'));
  axes.forEach((axis, column) => {
    FIGURES.forEach((figure, row) => {
      const left = column * LAYOUT.cellWidth;
      const top = LAYOUT.header + row * LAYOUT.cellHeight;
      out.push(...panel(rows, axis, figure, left, top));
      const x0 = left + LAYOUT.plotLeft;
      const bottom = top + LAYOUT.plotTop + plotHeight;
      out.push(text(x0 + plotWidth / 2, top + LAYOUT.plotTop - 8, figure.label, 'text-anchor="middle" font-weight="bold"'));
      const axisLabel = axis === 'tagsets' ? `${AXIS_VALUES[axis].label} (log scale)` : AXIS_VALUES[axis].label;
      out.push(text(x0 + plotWidth / 2, bottom + 32, axisLabel, 'text-anchor="middle" fill="#555"'));
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
