import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Raw } from './html';
import type { UploadedFile } from './multipart';
import type { Lang, Text } from './i18n';
import type { ResolvedConsoleOptions } from './options';
import type { ConsoleRole } from './roles';
import type { SessionUser } from './sessions';

/** What a page handler is given for one request. */
export interface PageContext {
  readonly req: Request;
  readonly res: Response;
  /** The signed-in user. */
  readonly user: SessionUser;
  /** The institution the user is limited to (an institution administrator's, a clerk's when set), or null for every institution. */
  readonly scope: string | null;
  readonly lang: Lang;
  /** The text of the request's language. */
  t(text: Text): string;
  /** The hidden CSRF field every form of the page must carry. */
  readonly csrfField: Raw;
  readonly now: Date;
  readonly ds: DataSource;
  readonly options: ResolvedConsoleOptions;
  /** The values of the `:name` segments of the page's path (e.g. `id` of `/messages/:id/print`); empty for a plain path. */
  readonly params: Readonly<Record<string, string>>;
  /** The fields of a posted form (empty for GET). */
  readonly form: Readonly<Record<string, string>>;
  /** The files of a posted `multipart/form-data` form (`enctype="multipart/form-data"`, the CSRF field in it as usual), by field name. */
  readonly files: Readonly<Record<string, UploadedFile>>;
  /** A query parameter, trimmed; undefined when absent or empty. */
  query(name: string): string | undefined;
  /** Throws `console.forbidden` unless the user may see and act for institution `code`. */
  requireInstitution(code: string): void;
  /** The console URL of a page path with its query. */
  href(path: string, query?: Readonly<Record<string, string | number | undefined>>): string;
  /** Appends an audit entry (kind `console`) for what the page did, beside the one the console writes for every request. */
  audit(action: string, subject: string, details?: Record<string, unknown>): Promise<void>;
}

/**
 * What a page answers: HTML for the layout's main area (with a status), a redirect (after a POST),
 * or a whole document sent as is without the layout (a print-ready form, a PDF), with its content
 * type and headers (e.g. its own Content-Security-Policy).
 */
export type PageResult =
  | { readonly body: Raw; readonly status?: number; readonly title?: Text }
  | { readonly redirect: string }
  | { readonly document: string | Buffer; readonly contentType: string; readonly status?: number; readonly headers?: Readonly<Record<string, string>> };

/**
 * One page of the console. Register it with `ConsoleApp.register(page)`: the console adds the
 * layout (navigation, language switch, sign-out), sign-in, the role check (`console.forbidden`,
 * 403), the CSRF check of every POST (`console.csrf`, 403) and the audit entry of the request.
 */
export interface ConsolePage {
  /**
   * The path under /console, e.g. `/obligations`. Exact match; pass what varies in the query, or
   * name a segment `:name` (e.g. `/messages/:id/print`, one segment each, in `c.params`): such a
   * page is not in the navigation (`nav: false` is required).
   */
  readonly path: string;
  /** The title (navigation and heading). */
  readonly title: Text;
  /** Who may open it (GET). */
  readonly roles: readonly ConsoleRole[];
  /** Who may post to it. @defaultValue `roles` without the auditor */
  readonly postRoles?: readonly ConsoleRole[];
  /** Listed in the navigation. @defaultValue true */
  readonly nav?: boolean;
  get?(c: PageContext): Promise<PageResult>;
  post?(c: PageContext): Promise<PageResult>;
}
