/**
 * npm run bench:scaling's plan: each axis of the work varied with the others at the base shape
 * (npm run bench's: 72 tag sets, 2 inference metrics, 6 partitions). A shape shared by several
 * axes (the base, on each) is measured once.
 */
import { tagSets, type BenchShape } from './throughput-bench';

export const SCALING_AXES = ['tagsets', 'metrics', 'partitions'] as const;
export type ScalingAxis = (typeof SCALING_AXES)[number];

/** The values of each axis, and the variable that replaces them (comma-separated). */
export const AXIS_VALUES: Record<ScalingAxis, { values: readonly number[]; env: string; label: string }> = {
  tagsets: { values: [72, 720, 7_200, 72_000], env: 'SCALING_TAGSETS', label: 'tag sets' },
  metrics: { values: [2, 10, 25], env: 'SCALING_METRICS', label: 'inference metrics per message' },
  partitions: { values: [6, 24, 48], env: 'SCALING_PARTITIONS', label: 'partitions' },
};

/** Default messages per point: enough for 72 000 tag sets to carry about 4 messages each. */
export const SCALING_DEFAULT_MESSAGES = 300_000;

export interface ScalingPoint {
  axis: ScalingAxis;
  value: number;
  shape: BenchShape;
}

export function axisValue(axis: ScalingAxis, shape: BenchShape): number {
  if (axis === 'tagsets') return tagSets(shape);
  if (axis === 'metrics') return shape.inferenceMetrics;
  return shape.partitions;
}

/** `base` with `axis` at `value`; tag sets vary the algorithms, the versions per algorithm stay. */
export function shapeAt(base: BenchShape, axis: ScalingAxis, value: number): BenchShape {
  if (axis === 'metrics') return { ...base, inferenceMetrics: value };
  if (axis === 'partitions') return { ...base, partitions: value };
  if (value % base.versions !== 0) throw new Error(`${value} tag sets are not a multiple of ${base.versions} versions (BENCH_VERSIONS)`);
  return { ...base, algorithms: value / base.versions };
}

/** The same shape has the same key: measured once, shown on every axis it belongs to. */
export function shapeKey(shape: BenchShape): string {
  return [shape.messages, shape.partitions, shape.algorithms, shape.versions, shape.inferenceMetrics].join('/');
}

export function scalingPlan(
  base: BenchShape,
  axes: readonly ScalingAxis[],
  valuesOf: (axis: ScalingAxis) => readonly number[],
): ScalingPoint[] {
  return axes.flatMap((axis) => valuesOf(axis).map((value) => ({ axis, value, shape: shapeAt(base, axis, value) })));
}

/** SCALING_AXES (default all, in the order of SCALING_AXES). */
export function axesFromEnv(): ScalingAxis[] {
  const raw = process.env.SCALING_AXES?.trim();
  if (!raw) return [...SCALING_AXES];
  return raw.split(',').map((name) => {
    const axis = name.trim() as ScalingAxis;
    if (!SCALING_AXES.includes(axis)) throw new Error(`SCALING_AXES: unknown axis "${name}" (known: ${SCALING_AXES.join(', ')})`);
    return axis;
  });
}

/** SCALING_TAGSETS, SCALING_METRICS, SCALING_PARTITIONS: comma-separated values; else AXIS_VALUES. */
export function axisValuesFromEnv(axis: ScalingAxis): number[] {
  const { env, values } = AXIS_VALUES[axis];
  const raw = process.env[env]?.trim();
  if (!raw) return [...values];
  return raw.split(',').map((part) => {
    const value = Number(part);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${env} must list positive integers, got "${part}"`);
    return value;
  });
}
