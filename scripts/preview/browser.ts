import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/**
 * The system's Chromium (Debian's `chromium` package), driven by playwright-core: no browser is
 * downloaded. PREVIEW_CHROMIUM names another Chromium or Chrome binary.
 */
const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export class BrowserMissingError extends Error {}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.PREVIEW_CHROMIUM;
  if (chosen) {
    if (!existsSync(chosen)) throw new BrowserMissingError(`PREVIEW_CHROMIUM=${chosen} does not exist: give the path of a Chromium or Chrome binary`);
    return chosen;
  }
  for (const folder of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of CANDIDATES) if (existsSync(join(folder, name))) return join(folder, name);
  }
  throw new BrowserMissingError('no Chromium found: install it (`apt-get install chromium`; `bash .ci/run` does) or set PREVIEW_CHROMIUM to its path');
}

export interface Capture {
  readonly png: string;
  readonly width: number;
  readonly height: number;
}

export class PreviewBrowser {
  private constructor(private readonly browser: Browser) {}

  static async launch(executablePath = findChromium()): Promise<PreviewBrowser> {
    // --no-sandbox: CI and containers run as root, where Chromium's sandbox refuses to start.
    const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
    return new PreviewBrowser(browser);
  }

  /** Opens a page written by renderPage, waits until every chart is drawn, and saves a full-page PNG. */
  async capture(htmlFile: string, pngFile: string, width: number): Promise<Capture> {
    // A short viewport: the full-page screenshot is then as tall as the dashboard, no taller.
    const context = await this.browser.newContext({ viewport: { width, height: 200 }, deviceScaleFactor: 1 });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(pathToFileURL(htmlFile).href);
      // Expressions as text: they run in the page, and this project compiles without DOM types.
      await page.waitForFunction(`document.body.dataset.ready === 'true'`, undefined, { timeout: 30_000 }).catch(() => undefined);
      if (errors.length > 0) throw new Error(`${htmlFile} failed to draw: ${errors[0]}`);
      const ready = await page.evaluate<boolean>(`document.body.dataset.ready === 'true'`);
      if (!ready) throw new Error(`${htmlFile} did not finish drawing within 30 s`);
      await page.screenshot({ path: pngFile, fullPage: true });
      const size = await page.evaluate<{ width: number; height: number }>(`({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight })`);
      return { png: pngFile, ...size };
    } finally {
      await context.close();
    }
  }

  close(): Promise<void> {
    return this.browser.close();
  }
}
