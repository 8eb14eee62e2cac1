import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * The points file: what the demo's Datadog double accepted, one JSON object per line, so that
 * `npm run preview -- --points FILE` draws the dashboards from traffic that really went through
 * Kafka and the forwarder. The demo writes it when DEMO_RECORD_FILE is set (docs/preview.md).
 */
export interface RecordedPoint {
  readonly metric: string;
  /** POSIX seconds. */
  readonly timestamp: number;
  /** Series endpoints (gauge, count, rate). */
  readonly value?: number;
  /** The distribution endpoint: every value of the point. */
  readonly values?: readonly number[];
  readonly tags: readonly string[];
}

/** Appends points as they arrive; starts the file afresh on creation. */
export class PointsRecorder {
  private written = 0;

  constructor(readonly file: string) {
    writeFileSync(file, '');
  }

  record(points: readonly RecordedPoint[]): void {
    if (points.length === 0) return;
    const lines = points.map(({ metric, timestamp, value, values, tags }) =>
      JSON.stringify(values !== undefined ? { metric, timestamp, values, tags } : { metric, timestamp, value, tags }),
    );
    appendFileSync(this.file, `${lines.join('\n')}\n`);
    this.written += points.length;
  }

  get count(): number {
    return this.written;
  }
}

function isPoint(value: unknown): value is RecordedPoint {
  if (typeof value !== 'object' || value === null) return false;
  const point = value as Record<string, unknown>;
  const numeric = typeof point.value === 'number' || (Array.isArray(point.values) && point.values.every((item) => typeof item === 'number'));
  return typeof point.metric === 'string' && typeof point.timestamp === 'number' && numeric && Array.isArray(point.tags);
}

/** Reads a points file; a line that is not a point is an error naming the file and line. */
export function readPointsFile(file: string): RecordedPoint[] {
  if (!existsSync(file)) throw new Error(`${file} does not exist: give a points file written by \`DEMO_RECORD_FILE=${file} npm run demo\``);
  const points: RecordedPoint[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new Error(`${file} line ${index + 1} is not JSON: give a points file written by DEMO_RECORD_FILE`);
      }
      if (!isPoint(parsed)) throw new Error(`${file} line ${index + 1} is not a point ({"metric", "timestamp", "value" or "values", "tags"})`);
      points.push(parsed);
    });
  if (points.length === 0) throw new Error(`${file} holds no points: run the demo with DEMO_RECORD_FILE for a while first`);
  return points;
}
