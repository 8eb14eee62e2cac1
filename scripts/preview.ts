/**
 * Pictures of the dashboards `cdktf synth` declares, drawn in a real browser:
 *
 *   npm run preview                                   # every dashboard of every stack in cdktf.out
 *   npm run preview -- --stack algorithmia-prod --out previews
 *   npm run preview -- --points demo-points.jsonl     # series the demo's Datadog double recorded
 *   npm run preview -- --base ../base/cdktf.out --head cdktf.out   # changed dashboards, before | after
 *
 * Writes <out>/<stack>/<dashboard>.html (self-contained) and .png (headless Chromium); with --base,
 * <out>/<stack>/<dashboard>.changes.{html,png} and <out>/summary.md. Exit 0 when done, 2 for a
 * mistake in the arguments or inputs, 3 when Chromium is missing or cannot draw. See docs/preview.md.
 */
import { parseArgs } from 'node:util';
import { BrowserMissingError, PreviewBrowser } from './preview/browser';
import { renderChanges, renderSynthOutput, type RenderedDashboard } from './preview/render';

export { renderChanges, renderSynthOutput } from './preview/render';

const USAGE = `usage: preview [cdktf.out] [--stack NAME] [--out DIR] [--points FILE] [--html-only]
       preview --base BASE_CDKTF_OUT --head HEAD_CDKTF_OUT [--stack NAME] [--out DIR] [--points FILE] [--html-only]
`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        stack: { type: 'string' },
        out: { type: 'string' },
        points: { type: 'string' },
        base: { type: 'string' },
        head: { type: 'string' },
        'html-only': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`preview: ${(error as Error).message.split('. To specify')[0]} (usage: npm run preview -- --help)\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let browser: PreviewBrowser | undefined;
  try {
    if (positionals.length > 1) throw new UsageError('give at most one cdktf.out folder');
    if ((values.base === undefined) !== (values.head === undefined)) throw new UsageError('--base and --head go together');
    if (values.base !== undefined && positionals.length > 0) throw new UsageError('with --base and --head, give no other cdktf.out folder');
    const outDir = values.out ?? 'previews';
    const started = Date.now();
    browser = values['html-only'] ? undefined : await PreviewBrowser.launch();
    const options = { outDir, stack: values.stack, pointsFile: values.points, browser };
    let rendered: RenderedDashboard[];
    if (values.base !== undefined) {
      const result = await renderChanges(values.base, values.head!, options);
      rendered = result.rendered;
      if (rendered.length === 0) process.stdout.write('no dashboard changed\n');
    } else {
      rendered = await renderSynthOutput(positionals[0] ?? 'cdktf.out', options);
      if (rendered.length === 0) process.stdout.write('no dashboards in the synthesized stacks\n');
    }
    for (const item of rendered) {
      process.stdout.write(`${item.stack} ${item.title}: ${item.png ? `${item.png} (${item.width}×${item.height})` : item.html}\n`);
    }
    if (values.base !== undefined) process.stdout.write(`${outDir}/summary.md\n`);
    process.stderr.write(`preview: ${rendered.length} ${rendered.length === 1 ? 'page' : 'pages'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return 0;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    process.stderr.write(`preview: ${message}${error instanceof UsageError ? ' (usage: npm run preview -- --help)' : ''}\n`);
    return error instanceof BrowserMissingError || /browser|chromium|did not finish drawing|failed to draw/i.test(message) ? 3 : 2;
  } finally {
    await browser?.close();
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
