import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { addEnvironmentStacks, CONFIG_FILES } from '../../main';
import { loadEnvironments } from '../../config/environments';
import type { SynthesizedMonitor } from './monitor-conditions';

export interface EnvironmentMonitors {
  readonly environment: string;
  /** The tags the forwarder should add so that the environment's monitors select the demo's points. */
  readonly forwarderTags: readonly string[];
  readonly monitors: readonly SynthesizedMonitor[];
}

/**
 * The monitors `cdktf synth` writes for one environment of config/environments.json, read from the
 * synthesized stack itself (so the demo judges the very queries a pull request shows).
 */
export function environmentMonitors(environment: string, files = CONFIG_FILES): EnvironmentMonitors {
  const settings = loadEnvironments(files.environments);
  const chosen = settings.find((entry) => entry.name === environment);
  if (!chosen) {
    throw new Error(`DEMO_ENVIRONMENT "${environment}" is not in ${files.environments} (environments: ${settings.map((entry) => entry.name).join(', ')})`);
  }
  // An App creates its output folder at once: a temporary one, as nothing is written to it.
  const outdir = mkdtempSync(join(tmpdir(), 'algorithmia-demo-'));
  let synthesized: { resource?: { datadog_monitor?: Record<string, SynthesizedMonitor> } };
  try {
    const stack = addEnvironmentStacks(new App({ outdir }), files).find((candidate) => candidate.node.id === chosen.stackName)!;
    const problems = stack.node.findAll().flatMap((construct) => construct.node.validate().map((problem) => `[${construct.node.path}] ${problem}`));
    if (problems.length > 0) throw new Error(`${files.environments}: ${problems.join('; ')}`);
    synthesized = stack.toTerraform();
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const scopeTags = (chosen.integration.scope ?? '').split(',').map((term) => term.trim()).filter((term) => /^[a-z][^:!*]*:.+$/.test(term));
  return {
    environment,
    forwarderTags: [...new Set([...(chosen.integration.tags ?? []), ...scopeTags])],
    monitors: Object.values(synthesized.resource?.datadog_monitor ?? {}),
  };
}
