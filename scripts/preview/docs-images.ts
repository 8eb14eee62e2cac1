/**
 * Regenerates the README's pictures (docs/images) with the preview's own renderer:
 *
 *   npx tsx scripts/preview/docs-images.ts
 *
 * - docs/images/dashboard-default.png: the default dashboard, what a settings-free environment
 *   declares with no inference metric (exactly Datadog's Algorithmia integration);
 * - docs/images/dashboard-prod.png: the example config's prod dashboard (config/*.json), as
 *   `npx cdktf synth && npm run preview -- --stack algorithmia-prod` draws it;
 * - docs/images/pull-request-preview.png: what a pull request's summary links for a typical change
 *   of that config (the duration monitor's thresholds raised, an inference metric declared).
 * Sample data, so the pictures only change when the dashboards or the renderer do.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_FILES } from '../../main';
import { PreviewBrowser } from './browser';
import { synthConfigFiles } from './synth-config';
import { renderChanges, renderSynthOutput } from './render';

const IMAGES = join(__dirname, '..', '..', 'docs', 'images');

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'preview-docs-'));
  const browser = await PreviewBrowser.launch();
  try {
    const environments = readFileSync(CONFIG_FILES.environments, 'utf8');
    const metrics = readFileSync(CONFIG_FILES.metrics, 'utf8');
    const base = synthConfigFiles(join(work, 'base'), environments, metrics);

    const changedEnvironments = JSON.parse(environments) as { environments: Record<string, Record<string, unknown>> };
    changedEnvironments.environments.prod.durationMonitor = { critical: 15000, warning: 7500 };
    const changedMetrics = JSON.parse(metrics) as { inferenceMetrics: unknown[] };
    changedMetrics.inferenceMetrics.push({
      key: 'confidence',
      kind: 'gauge',
      unit: 'fraction',
      description: 'Confidence of the predicted class',
    });
    const head = synthConfigFiles(join(work, 'head'), JSON.stringify(changedEnvironments), JSON.stringify(changedMetrics));

    const settingsFree = synthConfigFiles(
      join(work, 'default'),
      JSON.stringify({ environments: { default: {} } }),
      JSON.stringify({ inferenceMetrics: [] }),
    );

    mkdirSync(IMAGES, { recursive: true });
    const [reference] = await renderSynthOutput(settingsFree, { outDir: join(work, 'default-pictures'), browser });
    copyFileSync(reference.png!, join(IMAGES, 'dashboard-default.png'));
    const [dashboard] = await renderSynthOutput(base, { outDir: join(work, 'single'), stack: 'algorithmia-prod', browser });
    copyFileSync(dashboard.png!, join(IMAGES, 'dashboard-prod.png'));
    const { rendered } = await renderChanges(base, head, { outDir: join(work, 'changes'), stack: 'algorithmia-prod', browser });
    copyFileSync(rendered[0].png!, join(IMAGES, 'pull-request-preview.png'));
    for (const name of ['dashboard-default.png', 'dashboard-prod.png', 'pull-request-preview.png'])
      process.stdout.write(`${join(IMAGES, name)}\n`);
  } finally {
    await browser.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`docs-images: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
