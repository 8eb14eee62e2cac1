/**
 * The app with the Kubernetes forwarder switched on in every environment that declares one: the
 * stacks of config/environments.json as they would be with `"forwarder": { "enabled": true, ... }`.
 * scripts/cdktn/check synthesizes it with cdktf and with cdktn (`synth --app`) so that the Kubernetes
 * resources are compared too, whatever the committed config enables. Writes nothing but cdktf.out.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { addEnvironmentStacks, CONFIG_FILES } from '../../main';

/** The part of config/environments.json this changes; everything else is carried over as it is. */
interface EnvironmentsFile {
  environments?: Record<string, { forwarder?: { enabled?: boolean; [key: string]: unknown }; [key: string]: unknown }>;
  [key: string]: unknown;
}

/** config/environments.json with `forwarder.enabled` true wherever a forwarder is declared. */
export function withForwarderEnabled(file: EnvironmentsFile): EnvironmentsFile {
  const environments = Object.fromEntries(
    Object.entries(file.environments ?? {}).map(([name, environment]) => [
      name,
      environment.forwarder ? { ...environment, forwarder: { ...environment.forwarder, enabled: true } } : environment,
    ]),
  );
  return { ...file, environments };
}

if (require.main === module) {
  const folder = mkdtempSync(join(tmpdir(), 'forwarder-app-'));
  try {
    const environments = join(folder, 'environments.json');
    writeFileSync(environments, JSON.stringify(withForwarderEnabled(JSON.parse(readFileSync(CONFIG_FILES.environments, 'utf8')))));
    const app = new App();
    addEnvironmentStacks(app, { ...CONFIG_FILES, environments });
    app.synth();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
