/**
 * What a pull request changes, in words, from two `cdktf synth` outputs:
 *
 *   npm run plan-summary -- <base cdktf.out> <head cdktf.out> [--title "..."] [--max-length N]
 *
 * Prints Markdown on stdout: per stack, the resources imported, added, changed and removed, with monitor
 * queries and thresholds (old → new), SLOs with their burn-rate alerts in words, dashboard widget
 * titles, metric metadata, the forwarder's Deployment, providers and the state backend.
 * Secret-looking values are masked. Exit 0 whether or not something changed; 2 when an output
 * cannot be read. See docs/gitops.md.
 */
import { parseArgs } from 'node:util';
import { comparePlans, renderMarkdown } from './plan-summary/summary';
import { readSynthOutput } from './plan-summary/synth-output';

export { comparePlans, renderMarkdown } from './plan-summary/summary';
export { readSynthOutput } from './plan-summary/synth-output';

/** The Markdown summary of the change from `baseDir` to `headDir` (cdktf.out folders). */
export function summarizeSynthOutputs(baseDir: string, headDir: string, options: { title?: string; maxLength?: number } = {}): string {
  return renderMarkdown(comparePlans(readSynthOutput(baseDir), readSynthOutput(headDir)), options);
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { title: { type: 'string' }, 'max-length': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length !== 2) {
    process.stderr.write('usage: plan-summary <base cdktf.out dir> <head cdktf.out dir> [--title TEXT] [--max-length N]\n');
    return values.help ? 0 : 2;
  }
  const maxLength = values['max-length'] !== undefined ? Number(values['max-length']) : undefined;
  if (maxLength !== undefined && !(Number.isInteger(maxLength) && maxLength >= 1000)) {
    process.stderr.write('plan-summary: --max-length must be a whole number of at least 1000\n');
    return 2;
  }
  try {
    process.stdout.write(summarizeSynthOutputs(positionals[0], positionals[1], { title: values.title, maxLength }));
    return 0;
  } catch (error) {
    process.stderr.write(`plan-summary: ${(error as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
