import * as path from 'node:path';
import { GatewayError } from '../../contracts/errors/gateway-error';

/** The environment variable that selects the database. */
export const DATABASE_URL_VARIABLE = 'MMGW_DATABASE_URL';

/** Where the embedded SQLite database lives when MMGW_DATABASE_URL is absent (relative to the working directory). */
export const DEFAULT_SQLITE_PATH = path.join('data', 'mmgw.sqlite');

/** A database mmgw can open: MySQL 8 / MariaDB 10.11 through mysql2, or a SQLite file through better-sqlite3. */
export type DatabaseTarget =
  | { readonly kind: 'mysql'; readonly url: string; readonly database: string; readonly host: string }
  | { readonly kind: 'sqlite'; readonly path: string };

function bad(value: string, why: string): GatewayError {
  // The URL may carry a password: name the variable and the rule, never echo the value.
  return new GatewayError('store.bad-database-url', `${DATABASE_URL_VARIABLE} ${why}`, { variable: DATABASE_URL_VARIABLE, scheme: value.split(':')[0] });
}

/**
 * Reads MMGW_DATABASE_URL (or `value`): `mysql://user:password@host[:port]/database` (also
 * `mariadb://`), `sqlite:PATH`, or absent / empty for the embedded default `./data/mmgw.sqlite`.
 * Anything else is a `store.bad-database-url` error saying which rule the value breaks.
 */
export function parseDatabaseUrl(value: string | undefined): DatabaseTarget {
  const raw = value?.trim();
  if (raw === undefined || raw === '') return { kind: 'sqlite', path: DEFAULT_SQLITE_PATH };
  if (/^sqlite:/i.test(raw)) {
    let file = raw.slice('sqlite:'.length);
    if (file.startsWith('//')) file = file.slice(2); // sqlite://relative or sqlite:///absolute
    if (file === '') throw bad(raw, 'is sqlite: without a file path; write sqlite:PATH, e.g. sqlite:./data/mmgw.sqlite.');
    if (file === ':memory:') throw bad(raw, 'names an in-memory SQLite database, which would lose every accepted message on exit; give a file path.');
    return { kind: 'sqlite', path: file };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined) throw bad(raw, 'has no scheme; expected mysql://user:password@host:port/database or sqlite:PATH.');
  if (scheme !== 'mysql' && scheme !== 'mariadb') {
    throw bad(raw, `has the unsupported scheme "${scheme}:"; expected mysql:// (MySQL 8 / MariaDB 10.11) or sqlite:PATH.`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad(raw, 'is not a valid URL (check the escaping of special characters in the user name and password).');
  }
  if (url.hostname === '') throw bad(raw, 'has no host; expected mysql://user:password@host:port/database.');
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) throw bad(raw, 'must name exactly one database after the host, as in mysql://user:password@host:3306/mmgw.');
  if (url.port !== '' && !(Number(url.port) >= 1 && Number(url.port) <= 65535)) throw bad(raw, `has the invalid port ${url.port}.`);
  url.protocol = 'mysql:';
  return { kind: 'mysql', url: url.toString(), database, host: url.hostname };
}
