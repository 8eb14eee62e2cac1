import { canonical, type Json } from '../plan-summary/synth-output';
import type { DashboardModel, WidgetModel } from './model';
import type { WidgetChange } from './widget-view';

/**
 * Which widgets a change adds, changes or removes. A widget is unchanged when the other version
 * holds an identical one (its monitor's query and thresholds included); otherwise it is "changed"
 * when the other version has a widget of the same kind and title, else added (or removed).
 */
export interface DashboardChanges {
  /** Marks for the head version, by widget key. */
  readonly head: Map<string, WidgetChange>;
  /** Marks for the base version (removed and changed widgets). */
  readonly base: Map<string, WidgetChange>;
  /** Title, description, layout or template variables differ. */
  readonly settingsChanged: boolean;
  readonly counts: Record<WidgetChange, number>;
}

function leaves(widgets: readonly WidgetModel[], group = ''): { widget: WidgetModel; identity: string; fingerprint: string }[] {
  return widgets.flatMap((widget) =>
    widget.children
      ? leaves(widget.children, `${group}${widget.title}/`)
      : [{ widget, identity: `${group}${widget.kind}:${widget.title}`, fingerprint: `${group}${canonical(widget.fingerprint)}` }],
  );
}

function settings(dashboard: DashboardModel): string {
  return canonical({ title: dashboard.title, description: dashboard.description ?? null, layout: dashboard.layoutType, variables: dashboard.templateVariables as unknown as Json });
}

/** Marks both sides; a missing side (a dashboard added or removed) marks every widget of the other. */
export function compareDashboards(base: DashboardModel | undefined, head: DashboardModel | undefined): DashboardChanges {
  const headMarks = new Map<string, WidgetChange>();
  const baseMarks = new Map<string, WidgetChange>();
  const counts: Record<WidgetChange, number> = { added: 0, changed: 0, removed: 0 };
  const baseLeft = leaves(base?.widgets ?? []);
  const headLeft = leaves(head?.widgets ?? []);
  const unmatchedHead = headLeft.filter((entry) => {
    const twin = baseLeft.findIndex((candidate) => candidate.fingerprint === entry.fingerprint);
    if (twin < 0) return true;
    baseLeft.splice(twin, 1);
    return false;
  });
  for (const entry of unmatchedHead) {
    const previous = baseLeft.findIndex((candidate) => candidate.identity === entry.identity);
    if (previous >= 0) {
      headMarks.set(entry.widget.key, 'changed');
      baseMarks.set(baseLeft[previous].widget.key, 'changed');
      baseLeft.splice(previous, 1);
      counts.changed += 1;
    } else {
      headMarks.set(entry.widget.key, 'added');
      counts.added += 1;
    }
  }
  for (const entry of baseLeft) {
    baseMarks.set(entry.widget.key, 'removed');
    counts.removed += 1;
  }
  // A group is marked when something inside it is.
  const markGroups = (widgets: readonly WidgetModel[], marks: Map<string, WidgetChange>) => {
    for (const widget of widgets) {
      if (!widget.children) continue;
      markGroups(widget.children, marks);
      if (!marks.has(widget.key) && [...marks.keys()].some((key) => key.startsWith(`${widget.key}.`))) marks.set(widget.key, 'changed');
    }
  };
  markGroups(head?.widgets ?? [], headMarks);
  markGroups(base?.widgets ?? [], baseMarks);
  const settingsChanged = base !== undefined && head !== undefined && settings(base) !== settings(head);
  return { head: headMarks, base: baseMarks, settingsChanged, counts };
}

export function hasChanges(changes: DashboardChanges): boolean {
  return changes.settingsChanged || changes.counts.added + changes.counts.changed + changes.counts.removed > 0;
}
