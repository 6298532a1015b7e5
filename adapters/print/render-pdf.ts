import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { GatewayError } from '../../contracts/errors/gateway-error';

/** Where Debian's chromium is (.ci/setup-console.sh); playwright-core downloads no browser. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions'];

const unavailable = (executablePath: string, reason: string) => new GatewayError(
  'console.pdf-unavailable',
  `the PDF cannot be made here: ${reason}. Open the print page and save it as PDF from the browser's print dialog instead.`,
  { chromiumPath: executablePath },
);

/**
 * The PDF of a print-ready HTML document (adapters/print `renderPrintForm`), rendered by headless
 * Chromium driven by playwright-core: A4 as the document's `@page` rule says, backgrounds printed,
 * page numbers and `footer` at the foot of every page. The document is loaded from memory with
 * JavaScript disabled and every network request refused: only what the document carries is printed.
 * Throws `console.pdf-unavailable` when the executable is missing or cannot be started.
 */
export async function renderPdf(html: string, options: { readonly executablePath?: string; readonly footer?: string } = {}): Promise<Buffer> {
  const executablePath = options.executablePath ?? DEFAULT_CHROMIUM_PATH;
  if (!existsSync(executablePath)) throw unavailable(executablePath, `headless Chromium is not installed at ${executablePath}`);
  // playwright-core is a development dependency: a production install (docker/Dockerfile prunes
  // them) has neither it nor a browser, and answers 503 like a machine without Chromium.
  let playwright: typeof import('playwright-core');
  try {
    playwright = createRequire(__filename)('playwright-core') as typeof import('playwright-core');
  } catch {
    throw unavailable(executablePath, 'playwright-core (the driver of headless Chromium) is not installed');
  }
  let browser;
  try {
    browser = await playwright.chromium.launch({ executablePath, headless: true, args: ARGS });
  } catch (e) {
    throw unavailable(executablePath, `headless Chromium at ${executablePath} did not start (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`);
  }
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    const footer = (options.footer ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    return await page.pdf({
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font-size:7pt;width:100%;text-align:center;color:#444">${footer} · <span class="pageNumber"></span> / <span class="totalPages"></span></div>`,
    });
  } finally {
    await browser.close();
  }
}
