import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSynthOutput, type StackJson } from '../plan-summary/synth-output';
import type { PreviewBrowser } from './browser';
import { compareDashboards, hasChanges, type DashboardChanges } from './changes';
import { dashboardsOf, metricUnits, monitorsOf, percentileEnablers, type DashboardModel } from './model';
import { renderPage, type PageSpec } from './page';
import { readPointsFile } from './points-file';
import { recordedSource, sampleSource, withPercentilesAsDatadog, type LevelHint, type SeriesSource, type UnitOf } from './series';
import { dashboardView } from './widget-view';

/** Reads cdktf.out folders, writes one HTML page and one PNG per dashboard (or per changed dashboard). */
export interface PreviewOptions {
  readonly outDir: string;
  /** Only this stack (e.g. algorithmia-prod); all stacks when absent. */
  readonly stack?: string;
  /** A points file written by the demo (DEMO_RECORD_FILE); generated sample data when absent. */
  readonly pointsFile?: string;
  /** Takes the PNGs; HTML only when absent. */
  readonly browser?: PreviewBrowser;
}

export interface RenderedDashboard {
  readonly stack: string;
  readonly resource: string;
  readonly title: string;
  readonly html: string;
  readonly png?: string;
  readonly width?: number;
  readonly height?: number;
  readonly changes?: DashboardChanges;
}

const SINGLE_WIDTH = 1400;
const COMPARE_WIDTH = 2400;

/**
 * Where a metric's monitors look: the level sample data is drawn around, so threshold lines sit near
 * the series. A count that must stay 0 (`sum(...):...as_count() > 0`, dead-lettered records) is
 * drawn at 0 with one burst, as such a count looks.
 */
export function levelHint(stack: StackJson): LevelHint {
  const levels = new Map<string, { level: number; alertsLie: 'up' | 'down' }>();
  for (const monitor of Object.values(monitorsOf(stack))) {
    const metric = monitor.parsed?.metricQuery?.metric;
    if (!metric || levels.has(metric) || monitor.thresholds.length === 0) continue;
    const critical = monitor.thresholds.find((threshold) => threshold.name === 'critical')?.value ?? monitor.parsed.threshold;
    const warning = monitor.thresholds.find((threshold) => threshold.name === 'warning')?.value;
    const below = monitor.parsed.comparator.startsWith('<');
    const level = below
      ? warning !== undefined
        ? warning + 4 * Math.abs(warning - critical)
        : critical * 2.5
      : (warning ?? critical) * 0.6;
    if (Number.isFinite(level) && level > 0) levels.set(metric, { level, alertsLie: below ? 'down' : 'up' });
    else if (!below && critical === 0 && warning === undefined) levels.set(metric, { level: 0, alertsLie: 'up' });
  }
  return (metric) => levels.get(metric);
}

function only(stacks: Map<string, StackJson>, dir: string, stack: string | undefined): Map<string, StackJson> {
  if (stack === undefined) return stacks;
  if (!stacks.has(stack)) {
    throw new Error(`--stack ${stack}: no such stack in ${dir} (stacks: ${[...stacks.keys()].join(', ') || 'none'})`);
  }
  return new Map([[stack, stacks.get(stack)!]]);
}

function sourceFor(
  stack: StackJson,
  options: PreviewOptions,
  points: ReturnType<typeof readPointsFile> | undefined,
  unitOf: UnitOf,
  enablers: ReadonlyMap<string, string>,
  hint = levelHint(stack),
): SeriesSource {
  return withPercentilesAsDatadog(points ? recordedSource(points, options.pointsFile!) : sampleSource(hint, unitOf), enablers);
}

async function write(
  spec: PageSpec,
  file: string,
  width: number,
  options: PreviewOptions,
): Promise<Pick<RenderedDashboard, 'html' | 'png' | 'width' | 'height'>> {
  const html = `${file}.html`;
  writeFileSync(html, renderPage(spec));
  if (!options.browser) return { html };
  const capture = await options.browser.capture(html, `${file}.png`, width);
  return { html, png: capture.png, width: capture.width, height: capture.height };
}

/** Every dashboard of every stack (or of options.stack) of one cdktf.out. */
export async function renderSynthOutput(dir: string, options: PreviewOptions): Promise<RenderedDashboard[]> {
  const all = readSynthOutput(dir);
  const units = metricUnits(all.values());
  const enablers = percentileEnablers(all);
  const points = options.pointsFile ? readPointsFile(options.pointsFile) : undefined;
  const rendered: RenderedDashboard[] = [];
  for (const [name, stack] of only(all, dir, options.stack)) {
    const source = sourceFor(stack, options, points, (metric) => units.get(metric), enablers);
    for (const dashboard of dashboardsOf(name, stack)) {
      mkdirSync(join(options.outDir, name), { recursive: true });
      const spec: PageSpec = { title: `${dashboard.title} (${name})`, panels: [{ view: dashboardView(dashboard, source) }] };
      const files = await write(spec, join(options.outDir, name, dashboard.resource), SINGLE_WIDTH, options);
      rendered.push({ stack: name, resource: dashboard.resource, title: dashboard.title, ...files });
    }
  }
  return rendered;
}

function describe(changes: DashboardChanges, base: DashboardModel | undefined, head: DashboardModel | undefined): string {
  if (!base) return 'new dashboard';
  if (!head) return 'dashboard removed';
  const parts = (['changed', 'added', 'removed'] as const)
    .filter((kind) => changes.counts[kind] > 0)
    .map((kind) => `${changes.counts[kind]} ${changes.counts[kind] === 1 ? 'widget' : 'widgets'} ${kind}`);
  if (changes.settingsChanged) parts.push('title, description or template variables changed');
  return parts.join(', ');
}

/**
 * The dashboards that differ between two cdktf.out folders, each drawn before and after side by
 * side with the changed widgets marked. Also writes summary.md (a Markdown list of them).
 */
export async function renderChanges(
  baseDir: string,
  headDir: string,
  options: PreviewOptions,
): Promise<{ rendered: RenderedDashboard[]; summary: string }> {
  const baseStacks = readSynthOutput(baseDir);
  const allHeadStacks = readSynthOutput(headDir);
  const headStacks = only(allHeadStacks, headDir, options.stack);
  // The head's units, else the base's: both sides get the same sample series.
  const [baseUnits, headUnits] = [metricUnits(baseStacks.values()), metricUnits(allHeadStacks.values())];
  const unitOf: UnitOf = (metric) => headUnits.get(metric) ?? baseUnits.get(metric);
  // Each side as Datadog would show it: the base's percentiles as the base enables them.
  const [baseEnablers, headEnablers] = [percentileEnablers(baseStacks), percentileEnablers(allHeadStacks)];
  const points = options.pointsFile ? readPointsFile(options.pointsFile) : undefined;
  const names = options.stack ? [options.stack] : [...new Set([...baseStacks.keys(), ...headStacks.keys()])].sort();
  const rendered: RenderedDashboard[] = [];
  for (const name of names) {
    const baseStack = baseStacks.get(name);
    const headStack = headStacks.get(name);
    const baseDashboards = baseStack ? dashboardsOf(name, baseStack) : [];
    const headDashboards = headStack ? dashboardsOf(name, headStack) : [];
    const resources = [...new Set([...baseDashboards, ...headDashboards].map((dashboard) => dashboard.resource))].sort();
    for (const resource of resources) {
      const base = baseDashboards.find((dashboard) => dashboard.resource === resource);
      const head = headDashboards.find((dashboard) => dashboard.resource === resource);
      const changes = compareDashboards(base, head);
      if (!hasChanges(changes) && base && head) continue;
      const title = (head ?? base)!.title;
      // The same sample series on both sides: a changed threshold moves its line, not the data.
      const baseHint = baseStack ? levelHint(baseStack) : () => undefined;
      const headHint = headStack ? levelHint(headStack) : () => undefined;
      const hint: LevelHint = (metric) => baseHint(metric) ?? headHint(metric);
      const panels = [
        ...(base
          ? [
              {
                caption: 'before (base)',
                view: dashboardView(base, sourceFor(baseStack!, options, points, unitOf, baseEnablers, hint), changes.base),
              },
            ]
          : []),
        ...(head
          ? [
              {
                caption: 'after (this change)',
                view: dashboardView(head, sourceFor(headStack!, options, points, unitOf, headEnablers, hint), changes.head),
              },
            ]
          : []),
      ];
      mkdirSync(join(options.outDir, name), { recursive: true });
      const spec: PageSpec = {
        title: `${title} (${name}): ${describe(changes, base, head)}`,
        summary: summaryLines(changes, base, head),
        panels,
      };
      const files = await write(
        spec,
        join(options.outDir, name, `${resource}.changes`),
        panels.length > 1 ? COMPARE_WIDTH : SINGLE_WIDTH,
        options,
      );
      rendered.push({ stack: name, resource, title, ...files, changes });
    }
  }
  const summary = changesMarkdown(rendered, baseDir, headDir);
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(join(options.outDir, 'summary.md'), summary);
  return { rendered, summary };
}

function titlesOf(dashboard: DashboardModel | undefined, marks: Map<string, string>, kind: string): string[] {
  const titles: string[] = [];
  const visit = (widgets: DashboardModel['widgets']) => {
    for (const widget of widgets) {
      if (widget.children) visit(widget.children);
      else if (marks.get(widget.key) === kind) titles.push(`“${widget.title}” (${widget.kind.replace(/_/g, ' ')})`);
    }
  };
  visit(dashboard?.widgets ?? []);
  return titles;
}

function summaryLines(changes: DashboardChanges, base: DashboardModel | undefined, head: DashboardModel | undefined): string[] {
  const lines: string[] = [];
  const changed = titlesOf(head, changes.head, 'changed');
  const added = titlesOf(head, changes.head, 'added');
  const removed = titlesOf(base, changes.base, 'removed');
  if (changed.length > 0) lines.push(`changed: ${changed.join(', ')}`);
  if (added.length > 0) lines.push(`added: ${added.join(', ')}`);
  if (removed.length > 0) lines.push(`removed: ${removed.join(', ')}`);
  if (changes.settingsChanged) lines.push('the dashboard’s title, description, layout or template variables changed');
  return lines;
}

function changesMarkdown(rendered: readonly RenderedDashboard[], baseDir: string, headDir: string): string {
  if (rendered.length === 0) return `### Dashboard pictures\n\nNo dashboard changes between \`${baseDir}\` and \`${headDir}\`.\n`;
  const rows = rendered.map((item) => {
    const what = item.changes
      ? (['changed', 'added', 'removed'] as const)
          .filter((kind) => item.changes!.counts[kind] > 0)
          .map((kind) => `${item.changes!.counts[kind]} ${kind}`)
          .join(', ') || 'settings'
      : '';
    const file = item.png ?? item.html;
    return `| ${item.stack} | ${item.title.replace(/\|/g, '\\|')} | ${what} | \`${file.split(/[\\/]/).slice(-2).join('/')}\` |`;
  });
  return ['### Dashboard pictures', '', '| stack | dashboard | widgets | picture |', '| --- | --- | --- | --- |', ...rows, ''].join('\n');
}
