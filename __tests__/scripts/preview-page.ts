/**
 * What the preview's browser tests share: `npm run preview` as the docs give it, the system's
 * Chromium (playwright-core) for the test file, and what a page drew, read from the DOM and from
 * Chart.js's own state.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium } from '../../scripts/preview/browser';
import { removeTempFolders } from './preview-synth';

export const ROOT = join(__dirname, '..', '..');

/** The command as the docs give it: `npm run preview -- …` from the repository root. */
export function preview(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('npm', ['run', '--silent', 'preview', '--', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface DrawnDataset {
  role: string;
  label: string;
  drawn: number;
  first: number | null;
}
export interface DrawnWidget {
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
  /** An SLO widget's tile, as drawn; null for other widgets. */
  slo: DrawnSlo | null;
}
export interface DrawnSlo {
  name: string;
  condition: string;
  slicing: string | null;
  /** Per timeframe: the objective, the status and the budget left, as the cells read. */
  windows: string[][];
  /** Slices drawn in the strip, by state. */
  slices: { good: number; bad: number; none: number };
  summary: string;
  /** Whether every part of the tile lies inside its card. */
  inside: boolean;
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
    slo: section.querySelector(':scope > .body > .slo')
      ? {
          name: text(':scope > .body .slo-name'),
          condition: text(':scope > .body .slo-condition'),
          slicing: text(':scope > .body .slo-slicing'),
          windows: Array.from(section.querySelectorAll(':scope > .body tr.slo-window')).map((row) => Array.from(row.children).map((cell) => cell.textContent)),
          slices: ['good', 'bad', 'none'].reduce((counts, state) => ({ ...counts, [state]: section.querySelectorAll(':scope > .body .slice-' + state).length }), {}),
          summary: text(':scope > .body .slo-summary'),
          inside: Array.from(section.querySelectorAll(':scope > .body .slo > *')).every(inside),
        }
      : null,
  };
})`;

export type OpenedPage = { page: Page; widgets: DrawnWidget[]; errors: string[] };

/** Launches Chromium before the file's tests and closes it after; returns how to open a preview page in it. */
export function usePreviewBrowser(): (html: string) => Promise<OpenedPage> {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });
  afterAll(async () => {
    await browser?.close();
    removeTempFolders();
  });
  return async function open(html: string): Promise<OpenedPage> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // Nothing may be fetched: the page is self-contained.
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    await page.goto(pathToFileURL(html).href);
    await page.waitForFunction(`document.body.dataset.ready === 'true'`, undefined, { timeout: 30_000 });
    return { page, widgets: await page.evaluate<DrawnWidget[]>(INSPECT), errors };
  };
}
