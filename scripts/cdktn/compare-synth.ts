/**
 * Compares two synth outputs of the same app, made with CDKTF and with CDK Terrain:
 *
 *   tsx scripts/cdktn/compare-synth.ts <cdktf.out of cdktf synth> <cdktf.out of cdktn synth>
 *
 * Prints the version strings (and equivalent provider sources) that changed, then one line per other difference, naming the stack,
 * the Terraform address and the attribute. Exit codes: 0 the same but for version strings,
 * 1 a difference, 2 usage or an unreadable folder.
 */
import { describeDifference, compareSynthOutputs } from './synth-diff';
import { readSynthOutput } from '../plan-summary/synth-output';

function main(args: string[]): number {
  if (args.length !== 2) {
    process.stderr.write('usage: compare-synth <cdktf synth output folder> <cdktn synth output folder>\n');
    return 2;
  }
  let outputs;
  try {
    outputs = args.map(readSynthOutput);
  } catch (error) {
    process.stderr.write(`compare-synth: ${(error as Error).message}\n`);
    return 2;
  }
  const [cdktf, cdktn] = outputs;
  if (cdktf.size === 0) {
    process.stderr.write(`compare-synth: ${args[0]} holds no stack: nothing was compared\n`);
    return 2;
  }
  const { differences, allowedChanges, resourceCount } = compareSynthOutputs(cdktf, cdktn);
  const allowed = new Set(allowedChanges.map(({ what, cdktf: before, cdktn: after }) => `${what} ${before} -> ${after}`));
  process.stdout.write(`compared ${cdktf.size} stacks (${[...cdktf.keys()].join(', ')}), ${resourceCount} resources\n`);
  for (const line of allowed) process.stdout.write(`  allowed: ${line}\n`);
  if (differences.length === 0) {
    process.stdout.write('  no other difference\n');
    return 0;
  }
  process.stdout.write(`${differences.length} differences between the cdktf and the cdktn synthesis:\n`);
  for (const difference of differences) process.stdout.write(`  ${describeDifference(difference)}\n`);
  return 1;
}

process.exitCode = main(process.argv.slice(2));
