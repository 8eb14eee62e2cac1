import { breaches } from './query';
import { reduce, type SeriesSource } from './series';
import type { SloObjectiveModel, SloWidgetModel } from './slo-model';

/**
 * What an SLO widget's tile says: the SLO's name, its condition, its targets per timeframe and,
 * for a time-slice SLO, which of the preview's own slices are good. The preview holds an hour of
 * sample data (or a demo recording of minutes), not 7 or 30 days: the share of good slices is that
 * of the preview's data, and the budget left is what it would be if the whole timeframe were like
 * it. The tile says so; without data for the query it says "no data" rather than a number.
 */
export type SloVerdict = 'OK' | 'WARN' | 'BREACHED' | 'NO DATA';
export type SliceState = 'good' | 'bad' | 'none';

export interface SloWindowView {
  readonly timeframe: string;
  /** e.g. "30d target 99.5% (warn 99.8%)", or "90d: no target declared for this timeframe". */
  readonly label: string;
  /** The percentage of good slices in the preview's data; null without data or target. */
  readonly status: number | null;
  /** Remaining error budget in percent of the budget (negative once spent); null without data or target. */
  readonly budgetLeft: number | null;
  readonly verdict: SloVerdict;
}

export interface SloView {
  readonly name: string;
  /** The Terraform name, e.g. algorithmia_slo_duration_milliseconds. */
  readonly resource: string;
  /** `avg:algorithmia.duration_milliseconds{env:staging} <= 15000`; for other SLO types, what they count. */
  readonly condition: string;
  /** "good 5-minute slices; a slice without data counts as good". */
  readonly slicing: string;
  readonly windows: readonly SloWindowView[];
  readonly showErrorBudget: boolean;
  /** One state per slice of the preview's data, oldest first; empty when nothing is computed. */
  readonly slices: readonly SliceState[];
  /** "11 of 12 5-minute slices good (91.67%) in the preview's 60 min of sample data", or "no data: …". */
  readonly summary: string;
}

/** 99.5 → "99.5%", 91.6666 → "91.67%", -1566.7 → "-1566.67%". */
export function percent(value: number): string {
  return `${Number(value.toFixed(2))}%`;
}

function sliceName(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}-minute` : `${seconds}-second`;
}

function span(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function targetLabel(timeframe: string, objective: SloObjectiveModel | undefined): string {
  if (!objective) return `${timeframe}: no target declared for this timeframe`;
  return `${timeframe} target ${percent(objective.target)}${objective.warning !== undefined ? ` (warn ${percent(objective.warning)})` : ''}`;
}

/**
 * Cuts the series into the SLO's slices from the first bucket of the preview's timeline and
 * averages each slice's buckets (the time aggregation of Datadog's time-slice SLO), then judges
 * each with the SLO's comparator. A slice without any value is "none", counted good below, as
 * Datadog counts it. When the data's buckets are longer than a slice (a long recording cut into
 * 60 buckets), each bucket is judged as one slice, and a note says so.
 */
function judgeSlices(
  values: readonly (number | null)[],
  source: SeriesSource,
  sliceSeconds: number,
  good: (value: number) => boolean,
): { slices: SliceState[]; coarse: boolean } {
  const { starts, stepSeconds } = source.timeline;
  const coarse = stepSeconds > sliceSeconds;
  const width = coarse ? stepSeconds : sliceSeconds;
  const count = Math.max(1, Math.ceil((starts.length * stepSeconds) / width));
  const buckets: number[][] = Array.from({ length: count }, () => []);
  starts.forEach((start, index) => {
    const value = values[index];
    if (value !== null && value !== undefined) buckets[Math.min(count - 1, Math.floor((start - starts[0]) / width))].push(value);
  });
  const slices = buckets.map((bucket): SliceState => {
    const value = reduce(bucket, 'avg');
    return value === null ? 'none' : good(value) ? 'good' : 'bad';
  });
  return { slices, coarse };
}

function verdictOf(status: number, objective: SloObjectiveModel): SloVerdict {
  if (status < objective.target) return 'BREACHED';
  if (objective.warning !== undefined && status < objective.warning) return 'WARN';
  return 'OK';
}

/** The tile of one SLO widget, from the preview's series of the SLO's query. */
export function sloView(widget: SloWidgetModel, source: SeriesSource): { slo: SloView; notes: string[] } {
  const { slo } = widget;
  const byTimeframe = new Map(slo.objectives.map((objective) => [objective.timeframe, objective]));
  const notes: string[] = [];
  const base = {
    name: slo.name,
    resource: slo.resource,
    showErrorBudget: widget.showErrorBudget,
  };
  const noData = (why: string): { slo: SloView; notes: string[] } => ({
    slo: {
      ...base,
      condition: slo.timeSlice ? `${slo.timeSlice.query} ${slo.timeSlice.comparator} ${slo.timeSlice.threshold}` : `a ${slo.type} SLO`,
      slicing: slo.timeSlice ? `good ${sliceName(slo.timeSlice.sliceSeconds)} slices` : '',
      windows: widget.timeWindows.map((timeframe) => ({
        timeframe,
        label: targetLabel(timeframe, byTimeframe.get(timeframe)),
        status: null,
        budgetLeft: null,
        verdict: 'NO DATA' as const,
      })),
      slices: [],
      summary: `no data: ${why}`,
    },
    notes,
  });

  const timeSlice = slo.timeSlice;
  if (!timeSlice) return noData(`the preview computes time-slice SLOs only, and this is a ${slo.type} SLO`);
  const query = timeSlice.metricQuery;
  if (!query) return noData(`${timeSlice.query} is not a single metric query the preview draws`);
  const drawn = source.series(query);
  notes.push(...drawn.notes);
  if (drawn.series.length > 1)
    return noData(`${timeSlice.query} has ${drawn.series.length} groups, and a time-slice SLO judges one series`);
  const values = drawn.series[0]?.values ?? [];
  if (!values.some((value) => value !== null)) return noData(`no points of ${query.metric} for ${timeSlice.query} in the preview's data`);

  // `breaches` reads `value <comparator> threshold`: here, the condition a good slice meets.
  const { slices, coarse } = judgeSlices(values, source, timeSlice.sliceSeconds, (value) =>
    breaches(value, timeSlice.comparator, timeSlice.threshold),
  );
  if (coarse)
    notes.push(`the data's ${span(source.timeline.stepSeconds)} buckets are longer than a slice: each bucket judged as one slice`);
  const good = slices.filter((state) => state !== 'bad').length;
  const empty = slices.filter((state) => state === 'none').length;
  const status = (100 * good) / slices.length;
  const windows = widget.timeWindows.map((timeframe): SloWindowView => {
    const objective = byTimeframe.get(timeframe);
    const label = targetLabel(timeframe, objective);
    if (!objective) return { timeframe, label, status: null, budgetLeft: null, verdict: 'NO DATA' };
    // Budget: the share of slices the target allows to be bad; what is left of it after the bad ones.
    const allowed = 100 - objective.target;
    const budgetLeft = allowed > 0 ? (100 * (status - objective.target)) / allowed : null;
    return { timeframe, label, status, budgetLeft, verdict: verdictOf(status, objective) };
  });
  const data = source.sample ? 'sample data' : 'recorded points';
  const cut = coarse ? `${span(source.timeline.stepSeconds)} buckets` : `${sliceName(timeSlice.sliceSeconds)} slices`;
  const dataSpan = span(source.timeline.starts.length * source.timeline.stepSeconds);
  return {
    slo: {
      ...base,
      condition: `${timeSlice.query} ${timeSlice.comparator} ${timeSlice.threshold}`,
      slicing: `good ${sliceName(timeSlice.sliceSeconds)} slices; a slice without data counts as good`,
      windows,
      slices,
      summary:
        `${good} of ${slices.length} ${cut} good (${percent(status)}) in the preview's ${dataSpan} of ${data}` +
        `${empty > 0 ? `, ${empty} without data counted good` : ''}; status and budget as if each timeframe were like it`,
    },
    notes,
  };
}
