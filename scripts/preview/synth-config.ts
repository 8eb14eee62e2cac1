import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { addEnvironmentStacks } from '../../main';

/** `cdktf synth` of the app with these config file contents, into `<folder>/cdktf.out`. */
export function synthConfigFiles(folder: string, environments: string, metrics: string): string {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'environments.json'), environments);
  writeFileSync(join(folder, 'metrics.json'), metrics);
  const outdir = join(folder, 'cdktf.out');
  const app = new App({ outdir });
  addEnvironmentStacks(app, { environments: join(folder, 'environments.json'), metrics: join(folder, 'metrics.json') });
  app.synth();
  return outdir;
}
