/** The administrators' console (issue 8, item 3): mount `createConsole(…).router` at /console. */
export { createConsole, consoleOf, type ConsoleCore } from './create-console';
export { ConsoleApp } from './console-app';
export type { ConsolePage, PageContext, PageResult } from './page';
export type { UploadedFile } from './multipart';
export { DEFAULT_CONSOLE_OPTIONS, type ConsoleOptions } from './options';
export { CONSOLE_ROLES, ROLE_LABELS, ANY_ROLE, WRITING_ROLES, isConsoleRole, type ConsoleRole } from './roles';
export { html, raw, esc, beijing, Raw } from './html';
export type { Lang, Text } from './i18n';
export { pageOf, pager, PAGE_SIZE } from './paging';
export { barChart, type BarSeries, type BarChartInput } from './svg-chart';
export { addAccount, setPassword, listAccounts, findAccount, checkSignIn, MIN_PASSWORD_LENGTH, type ConsoleAccount, type NewAccount } from './accounts';
export { recordContactUpdateOnBehalf, type OnBehalfDeps, type RecordedContactUpdate } from './contact-update-on-behalf';
