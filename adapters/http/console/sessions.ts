import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ConsoleRole } from './roles';
import { fromSqlInstant, sqlInstant } from './sql-time';

/** Who a session belongs to: an account, or the institution of a client certificate. */
export interface SessionUser {
  /** The account's user name, or `cert:CODE` for a client-certificate sign-in. */
  readonly username: string;
  readonly role: ConsoleRole;
  readonly institution: string | null;
}

/** A console session: signed in (`user`) or not yet (the sign-in form's CSRF token only). */
export interface ConsoleSession {
  readonly idHash: string;
  readonly user: SessionUser | null;
  /** The synchronizer token every form of this session carries. */
  readonly csrf: string;
  readonly expiresAt: Date;
}

interface SessionRow {
  id_hash: string;
  username: string | null;
  role: string | null;
  institution_code: string | null;
  csrf_token: string;
  expires_at: Date | string;
}

/** The session cookie's name. */
export const SESSION_COOKIE = 'mmgw_console';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const token = (): string => randomBytes(32).toString('base64url');

/**
 * A new session; the database keeps only the SHA-256 of its token (a stolen table opens no
 * session). Expired sessions are removed on the way.
 */
export async function createSession(ds: DataSource, user: SessionUser | null, now: Date, minutes: number): Promise<{ token: string; session: ConsoleSession }> {
  await ds.query('DELETE FROM console_sessions WHERE expires_at < ?', [sqlInstant(now)]);
  const t = token();
  const session: ConsoleSession = { idHash: sha256(t), user, csrf: token(), expiresAt: new Date(now.getTime() + minutes * 60_000) };
  await ds.query(
    'INSERT INTO console_sessions (id_hash, username, role, institution_code, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [session.idHash, user?.username ?? null, user?.role ?? null, user?.institution ?? null, session.csrf, sqlInstant(now), sqlInstant(session.expiresAt)],
  );
  return { token: t, session };
}

/** The live session of a cookie token, or undefined (unknown or expired). */
export async function loadSession(ds: DataSource, cookieToken: string | undefined, now: Date): Promise<ConsoleSession | undefined> {
  if (!cookieToken || cookieToken.length > 100) return undefined;
  const rows = (await ds.query('SELECT id_hash, username, role, institution_code, csrf_token, expires_at FROM console_sessions WHERE id_hash = ?', [sha256(cookieToken)])) as SessionRow[];
  const row = rows[0];
  if (row === undefined) return undefined;
  const expiresAt = fromSqlInstant(row.expires_at)!;
  if (expiresAt.getTime() <= now.getTime()) return undefined;
  const user = row.username !== null && row.role !== null ? { username: row.username, role: row.role as ConsoleRole, institution: row.institution_code } : null;
  return { idHash: row.id_hash, user, csrf: row.csrf_token, expiresAt };
}

/** Ends a session. */
export async function destroySession(ds: DataSource, idHash: string): Promise<void> {
  await ds.query('DELETE FROM console_sessions WHERE id_hash = ?', [idHash]);
}

/** The cookies of a request (no cookie-parser needed for two names). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    try {
      out[name] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // A malformed value is ignored, as if absent.
    }
  }
  return out;
}

/** The session cookie: HttpOnly, SameSite=Strict, Secure over TLS, scoped to /console. */
export function sessionCookie(value: string, secure: boolean, maxAgeSeconds?: number): string {
  return [`${SESSION_COOKIE}=${value}`, 'Path=/console', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : []), ...(maxAgeSeconds !== undefined ? [`Max-Age=${maxAgeSeconds}`] : [])].join('; ');
}
