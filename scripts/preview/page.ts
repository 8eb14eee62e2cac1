import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DashboardView } from './widget-view';

/**
 * One self-contained HTML page (no network: Chart.js and the drawing script are inlined) that
 * draws one dashboard, or a base and a head version side by side with the changed widgets marked.
 */
export interface PagePanel {
  /** e.g. "before (base)"; none for a single dashboard. */
  readonly caption?: string;
  readonly view: DashboardView;
}

export interface PageSpec {
  readonly title: string;
  /** Lines above the panels, e.g. what changed. */
  readonly summary?: readonly string[];
  readonly panels: readonly PagePanel[];
}

let chartJs: string | undefined;
function chartJsSource(): string {
  // require.resolve gives dist/chart.cjs; the UMD build beside it defines window.Chart.
  chartJs ??= readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  return chartJs;
}

const CLIENT = join(__dirname, 'page-client.js');

/** Script text that cannot close the <script> element it sits in. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1');
}

/** JSON for a <script> element: `<` only occurs inside strings, where \u003c means the same. */
function jsonSafe(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[character]!);
}

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; padding: 16px; background: #f2f3f5; color: #1d2330; font: 13px "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
#page-summary { background: #fff; border: 1px solid #d5d9e0; border-radius: 4px; padding: 10px 14px; margin-bottom: 14px; }
#page-summary h1 { font-size: 16px; margin: 0 0 6px; }
#page-summary li { margin: 2px 0; }
#dashboards { display: flex; gap: 16px; align-items: flex-start; }
.dashboard { flex: 1 1 0; min-width: 0; }
.caption { font-weight: bold; font-size: 14px; text-transform: uppercase; letter-spacing: .04em; color: #4a5263; margin-bottom: 6px; }
.dashboard-head { display: flex; align-items: baseline; gap: 12px; }
.dashboard-head h1 { font-size: 20px; margin: 0; }
.stack { color: #6b7385; font-size: 12px; }
.description { margin: 4px 0 8px; color: #4a5263; }
.template-variables { display: flex; gap: 6px; flex-wrap: wrap; margin: 6px 0; }
.template-variable { background: #fff; border: 1px solid #c7ccd6; border-radius: 3px; padding: 3px 8px; font-size: 12px; }
.data-source { font-size: 12px; color: #4a5263; margin: 6px 0 10px; }
.data-source.sample { display: inline-block; background: #fff4d6; border: 1px solid #e6c66a; border-radius: 3px; padding: 2px 8px; color: #6d5200; font-weight: bold; }
.grid { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 10px; }
.grid.free { grid-template-columns: repeat(12, minmax(0, 1fr)); grid-auto-rows: 60px; }
.widget { background: #fff; border: 1px solid #d5d9e0; border-radius: 4px; padding: 8px 10px; display: flex; flex-direction: column; min-width: 0; position: relative; }
.widget header { display: flex; align-items: baseline; gap: 8px; }
.widget .kind { font-size: 10px; text-transform: uppercase; color: #6b7385; letter-spacing: .05em; white-space: nowrap; }
.widget h2 { font-size: 13px; margin: 0; flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.widget .body { flex: 1; min-height: 0; }
.chart { position: relative; height: 190px; margin-top: 6px; }
.chart.spark { height: 44px; }
.value { font-size: 40px; font-weight: bold; text-align: center; margin-top: 14px; color: #1d2330; }
.status { text-align: center; font-weight: bold; font-size: 12px; }
.status-ok { color: #1f8a4c; } .status-warn { color: #b77f00; } .status-alert { color: #d9363e; } .status-no-data { color: #6b7385; }
.query-table { width: 100%; border-collapse: collapse; margin-top: 6px; font-size: 12px; }
.query-table th, .query-table td { border-bottom: 1px solid #e4e7ec; padding: 3px 6px; text-align: left; overflow-wrap: anywhere; }
.query-table th { vertical-align: bottom; }
.legend { list-style: none; margin: 4px 0 0; padding: 0; display: flex; flex-wrap: wrap; justify-content: center; gap: 2px 12px; font-size: 11px; color: #4a5263; }
.legend-item { display: inline-flex; align-items: center; gap: 5px; min-width: 0; overflow-wrap: anywhere; }
.legend .swatch { display: inline-block; flex: none; width: 14px; border-top: 2px solid; }
.alert-group { text-align: center; font-size: 12px; color: #4a5263; overflow-wrap: anywhere; }
.query-table td.number { text-align: right; font-variant-numeric: tabular-nums; }
.kind-group { background: #e9ecf1; }
.kind-group > .body > .grid { margin-top: 6px; }
.note { white-space: pre-wrap; font-size: 12px; }
.slo { display: flex; flex-direction: column; gap: 4px; margin-top: 6px; font-size: 12px; }
.slo-name { font-weight: bold; }
.slo-resource, .slo-slicing { font-size: 11px; color: #6b7385; }
.slo-condition { font: 11px "DejaVu Sans Mono", monospace; color: #30374a; }
.slo-windows { width: 100%; border-collapse: collapse; }
.slo-windows th, .slo-windows td { border-bottom: 1px solid #e4e7ec; padding: 3px 6px; text-align: left; }
.slo-windows .number { text-align: right; }
.slo-windows td.number { text-align: right; font-weight: bold; font-variant-numeric: tabular-nums; }
.status-breached { color: #d9363e; }
.slo-slices { display: flex; gap: 1px; height: 12px; }
.slo-slices .slice { flex: 1; border-radius: 1px; }
.slice-good { background: #1f8a4c; } .slice-bad { background: #d9363e; } .slice-none { background: #c7ccd6; }
.slo-summary { color: #4a5263; } .slo-summary.no-data { color: #6b7385; font-weight: bold; }
footer.queries { margin-top: 6px; font-size: 11px; color: #4a5263; }
footer.queries code { display: block; font: 11px "DejaVu Sans Mono", monospace; color: #30374a; overflow-wrap: anywhere; }
footer .monitor { font-weight: bold; }
footer .note-line { color: #8a5a00; }
.badge { font-size: 10px; font-weight: bold; text-transform: uppercase; padding: 1px 6px; border-radius: 3px; color: #fff; }
.change-added { outline: 3px solid #1f8a4c; } .change-added .badge { background: #1f8a4c; }
.change-changed { outline: 3px solid #d68a00; } .change-changed .badge { background: #d68a00; }
.change-removed { outline: 3px solid #d9363e; opacity: .75; } .change-removed .badge { background: #d9363e; }
`;

export function renderPage(spec: PageSpec): string {
  const summary =
    spec.summary && spec.summary.length > 0
      ? `<div id="page-summary"><h1>${escapeHtml(spec.title)}</h1><ul>${spec.summary.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul></div>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(spec.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${summary}
<main id="dashboards"></main>
<script type="application/json" id="preview-spec">${jsonSafe({ panels: spec.panels })}</script>
<script>${scriptSafe(chartJsSource())}</script>
<script>${scriptSafe(readFileSync(CLIENT, 'utf8'))}</script>
</body>
</html>
`;
}
