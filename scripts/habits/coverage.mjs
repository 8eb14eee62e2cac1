#!/usr/bin/env node
// Prints the coverage totals of each package (from jest's json-summary, written when COVERAGE=1)
// and fails when one falls under its threshold in coverage-thresholds.json. The thresholds sit just
// under the measured figures: raise them when coverage rises, never lower them to get a change in.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const thresholdsFile = join(here, 'coverage-thresholds.json');
const thresholds = JSON.parse(readFileSync(thresholdsFile, 'utf8'));
const KINDS = ['lines', 'statements', 'branches', 'functions'];

let failures = 0;
for (const [name, { summary, what, minimum }] of Object.entries(thresholds.packages)) {
  const file = join(root, summary);
  let total;
  try {
    total = JSON.parse(readFileSync(file, 'utf8')).total;
  } catch (error) {
    console.log(
      `coverage ${name}: ${summary} cannot be read (${error.code ?? error.message}): run the tests with COVERAGE=1 (npm run coverage)`,
    );
    failures++;
    continue;
  }
  const figures = KINDS.map((kind) => `${kind} ${total[kind].pct.toFixed(2)}% (min ${minimum[kind]}%)`);
  console.log(`coverage ${name} (${what}): ${figures.join(', ')}`);
  for (const kind of KINDS) {
    if (total[kind].pct < minimum[kind]) {
      console.log(
        `coverage ${name}: ${kind} ${total[kind].pct.toFixed(2)}% is under its threshold ${minimum[kind]}% ` +
          `(${relative(root, thresholdsFile)}): add tests for the code you changed`,
      );
      failures++;
    }
  }
}
process.exit(failures > 0 ? 1 : 0);
