/** Tables on stdout and JSON into bench-results/. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './broker';

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => (typeof cell === 'number' ? format(cell) : cell)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => String(row[i] ?? '').length)));
  const line = (row: (string | number)[]): string => `| ${row.map((cell, i) => String(cell ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [line(cells[0]), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}

/** Writes bench-results/<name>-<timestamp>.json and returns its path. */
export function writeResults(name: string, data: unknown): string {
  const dir = process.env.BENCH_RESULTS_DIR ?? path.join(REPO_ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ ...(data as object), provenance: provenance() }, null, 2)}\n`);
  return file;
}

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${raw}`);
  return value;
}

/** A comma-separated list of positive numbers, e.g. LATENCY_RATES=1000,5000; `fallback` when unset or empty. */
export function envNumberList(name: string, fallback: readonly number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  return raw.split(',').map((item) => {
    const value = Number(item.trim());
    if (item.trim() === '' || !Number.isFinite(value) || value <= 0)
      throw new Error(`${name} must be positive numbers separated by commas, got ${JSON.stringify(raw)}`);
    return value;
  });
}

export function log(line: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 23)}] ${line}\n`);
}

/** Which code was measured (the commit, and whether forwarder/src differs from it), and on what machine. */
export function provenance(): {
  commit: string;
  srcModified: boolean;
  node: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  kernel: string;
} {
  const git = (...args: string[]): string => {
    try {
      return execFileSync('git', ['-C', REPO_ROOT, ...args], { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    commit: git('rev-parse', '--short', 'HEAD'),
    srcModified: git('status', '--porcelain', '--', 'forwarder/src') !== '',
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
  };
}
