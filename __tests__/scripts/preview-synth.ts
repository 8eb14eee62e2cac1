import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthConfigFiles } from '../../scripts/preview/synth-config';

/** cdktf.out folders for the preview tests, written as `cdktf synth` writes them. */
const ROOT = join(__dirname, '..', '..');
const folders: string[] = [];

export function tempFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

export function removeTempFolders(): void {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

/** Synthesizes the app with these config files' contents (config/environments.json layout). */
export function synthConfig(environments: object, metrics: string = readFileSync(join(ROOT, 'config', 'metrics.json'), 'utf8')): string {
  return synthConfigFiles(tempFolder('preview-synth-'), JSON.stringify(environments), metrics);
}

/** The example config of the repository, synthesized. */
export function synthExampleConfig(): string {
  return synthConfig(JSON.parse(readFileSync(join(ROOT, 'config', 'environments.json'), 'utf8')));
}

/** A cdktf.out holding one stack written by hand (e.g. the model-monitoring fixture). */
export function cdktfOutWith(stackName: string, stackJson: object): string {
  const outdir = join(tempFolder('preview-fixture-'), 'cdktf.out');
  mkdirSync(join(outdir, 'stacks', stackName), { recursive: true });
  writeFileSync(join(outdir, 'stacks', stackName, 'cdk.tf.json'), JSON.stringify(stackJson));
  return outdir;
}

export function modelMonitoringFixture(): object {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', 'model-monitoring-stack.json'), 'utf8'));
}
