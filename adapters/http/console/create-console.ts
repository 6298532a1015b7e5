import { ConsoleApp } from './console-app';
import type { ConsoleOptions } from './options';
import type { ConsolePage } from './page';
import { caseViewPage, casesPage } from './pages/cases';
import { compliancePage } from './pages/compliance';
import { contactEditPage } from './pages/contact-edit';
import { obligationsPage } from './pages/obligations';
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
  for (const page of [registryPage, obligationsPage, tracePage, casesPage, compliancePage, unitPage, contactEditPage(deps), caseViewPage, ...pages]) app.register(page);
  return app;
}
