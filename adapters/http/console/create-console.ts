import { ConsoleApp } from './console-app';
import type { ConsoleOptions } from './options';
import type { ConsolePage } from './page';
import { caseViewPage, casesPage } from './pages/cases';
import { compliancePage } from './pages/compliance';
import { contactEditPage } from './pages/contact-edit';
import { obligationsPage } from './pages/obligations';
import { paperOriginalPage } from './pages/paper-original';
import { paperOriginalScanPage } from './pages/paper-original-scan';
import { phoneLogNoticePage, phoneLogPage } from './pages/phone-log';
import { printPage, printPdfPage } from './pages/print';
import { registryPage } from './pages/registry';
import { tracePage } from './pages/trace';
import { unitPage } from './pages/unit';

/**
 * The console with its built-in pages, in navigation order, then `pages` (e.g. the Art. 15
 * pages). Mount `console.router` at /console of the HTTPS app.
 */
export function createConsole(options: ConsoleOptions, pages: readonly ConsolePage[] = []): ConsoleApp {
  const app = new ConsoleApp(options);
  const deps = { dataSource: options.dataSource, clock: options.clock, identity: options.identity, hooks: options.hooks, ...(options.contacts && { contacts: options.contacts }) };
  for (const page of [registryPage, obligationsPage, tracePage, casesPage, compliancePage, phoneLogPage(deps), phoneLogNoticePage, paperOriginalPage(deps), paperOriginalScanPage, unitPage, contactEditPage(deps), caseViewPage, printPage, printPdfPage, ...pages]) app.register(page);
  return app;
}

/** What a running gateway core (gateway/app `createGateway`) gives the console. */
export interface ConsoleCore {
  readonly dataSource: ConsoleOptions['dataSource'];
  readonly clock: ConsoleOptions['clock'];
  readonly hooks: ConsoleOptions['hooks'];
  readonly pki: { readonly identity: ConsoleOptions['identity'] };
}

/**
 * The console of a running gateway core: its store, clock, obligations hooks and the gateway's
 * own credential. For the composition root: `createHttpApp({ …, console: consoleOf(gateway).router })`.
 */
export function consoleOf(core: ConsoleCore, pages: readonly ConsolePage[] = [], options: Partial<ConsoleOptions> = {}): ConsoleApp {
  return createConsole({ dataSource: core.dataSource, clock: core.clock, hooks: core.hooks, identity: core.pki.identity, ...options }, pages);
}
