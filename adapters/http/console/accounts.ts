import type { DataSource, EntityManager } from 'typeorm';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { InstitutionEntity } from '../../../gateway/store';
import { hashPassword, verifyPassword } from './passwords';
import { fromSqlInstant, sqlInstant } from './sql-time';
import { CONSOLE_ROLES, isConsoleRole, type ConsoleRole } from './roles';

/** A console account as listed (never its hash). */
export interface ConsoleAccount {
  readonly username: string;
  readonly role: ConsoleRole;
  /** The institution of an institution administrator (or of a clerk who works for one); null otherwise. */
  readonly institution: string | null;
  readonly displayName: string | null;
  readonly failedCount: number;
  readonly lockedUntil: Date | null;
  readonly createdAt: Date;
}

interface UserRow {
  username: string;
  password_hash: string;
  role: string;
  institution_code: string | null;
  display_name: string | null;
  failed_count: number | string;
  locked_until: Date | string | null;
  created_at: Date | string;
}

type Source = DataSource | EntityManager;

/** The shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 10;

const asDate = fromSqlInstant;

function toAccount(r: UserRow): ConsoleAccount {
  return {
    username: r.username, role: r.role as ConsoleRole, institution: r.institution_code, displayName: r.display_name,
    failedCount: Number(r.failed_count), lockedUntil: asDate(r.locked_until), createdAt: asDate(r.created_at)!,
  };
}

function checkPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new GatewayError('console.weak-password', `the password must have at least ${MIN_PASSWORD_LENGTH} characters, it has ${[...password].length}`, { field: 'password', min: MIN_PASSWORD_LENGTH });
  }
}

/** What `addAccount` needs. */
export interface NewAccount {
  readonly username: string;
  readonly password: string;
  readonly role: string;
  readonly institution?: string;
  readonly displayName?: string;
}

/**
 * Creates a console account: the user name [a-z0-9._-]{2,64}, a known role, an institution of
 * the registry for an institution administrator (and optionally a clerk), a password of at
 * least 10 characters stored as its scrypt hash. Every problem is reported at once.
 */
export async function addAccount(ds: DataSource, a: NewAccount, now: Date): Promise<ConsoleAccount> {
  const problems: string[] = [];
  if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(a.username)) problems.push(`user name "${a.username}" must be 2 to 64 of a-z 0-9 . _ - (starting with a letter or digit)`);
  if (!isConsoleRole(a.role)) problems.push(`role "${a.role}" is not one of ${CONSOLE_ROLES.join(', ')}`);
  if (a.role === 'institution-admin' && !a.institution) problems.push('an institution administrator needs --institution CODE');
  if ((a.role === 'gateway-admin' || a.role === 'auditor') && a.institution) problems.push(`a ${a.role} belongs to no institution (drop --institution)`);
  if (a.institution && (await ds.manager.findOne(InstitutionEntity, { where: { code: a.institution } })) === null) problems.push(`institution "${a.institution}" is not in the registry`);
  if (problems.length > 0) throw new GatewayError('console.bad-account', `the console account is refused: ${problems.join('; ')}`, { problems });
  checkPassword(a.password);
  if ((await findRow(ds, a.username)) !== undefined) throw new GatewayError('console.user-exists', `a console account "${a.username}" exists already (change its password with \`mmgw console-user passwd ${a.username}\`)`, { username: a.username });
  const hash = await hashPassword(a.password);
  await ds.query(
    'INSERT INTO console_users (username, password_hash, role, institution_code, display_name, failed_count, locked_until, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, NULL, ?, ?)',
    [a.username, hash, a.role, a.institution ?? null, a.displayName ?? null, sqlInstant(now), sqlInstant(now)],
  );
  return (await findAccount(ds, a.username))!;
}

/** Sets a new password and unlocks the account. */
export async function setPassword(ds: DataSource, username: string, password: string, now: Date): Promise<void> {
  if ((await findRow(ds, username)) === undefined) throw new GatewayError('console.unknown-user', `no console account "${username}"`, { username });
  checkPassword(password);
  await ds.query('UPDATE console_users SET password_hash = ?, failed_count = 0, locked_until = NULL, updated_at = ? WHERE username = ?', [await hashPassword(password), sqlInstant(now), username]);
}

async function findRow(source: Source, username: string): Promise<UserRow | undefined> {
  const rows = (await source.query('SELECT username, password_hash, role, institution_code, display_name, failed_count, locked_until, created_at FROM console_users WHERE username = ?', [username])) as UserRow[];
  return rows[0];
}

export async function findAccount(source: Source, username: string): Promise<ConsoleAccount | undefined> {
  const row = await findRow(source, username);
  return row && toAccount(row);
}

/** Every account, by user name. */
export async function listAccounts(ds: DataSource): Promise<ConsoleAccount[]> {
  const rows = (await ds.query('SELECT username, password_hash, role, institution_code, display_name, failed_count, locked_until, created_at FROM console_users ORDER BY username')) as UserRow[];
  return rows.map(toAccount);
}

/** What checking a password came to. */
export type SignInCheck =
  | { readonly ok: true; readonly account: ConsoleAccount }
  | { readonly ok: false; readonly code: 'console.sign-in-failed' }
  | { readonly ok: false; readonly code: 'console.locked-out'; readonly lockedUntil: Date; readonly justLocked: boolean; readonly username: string };

/**
 * Checks a user name and password: a locked account is refused whatever the password; a wrong
 * password counts, and the `maxFailed`-th in a row locks the account for `lockoutMinutes`; a
 * right one resets the count. An unknown user name costs the same scrypt work and answers as a
 * wrong password does.
 */
export async function checkSignIn(ds: DataSource, username: string, password: string, now: Date, policy: { maxFailed: number; lockoutMinutes: number }): Promise<SignInCheck> {
  const row = await findRow(ds, username);
  const good = await verifyPassword(password, row?.password_hash);
  if (row === undefined) return { ok: false, code: 'console.sign-in-failed' };
  const account = toAccount(row);
  if (account.lockedUntil !== null && account.lockedUntil.getTime() > now.getTime()) {
    return { ok: false, code: 'console.locked-out', lockedUntil: account.lockedUntil, justLocked: false, username };
  }
  if (good) {
    await ds.query('UPDATE console_users SET failed_count = 0, locked_until = NULL WHERE username = ?', [username]);
    return { ok: true, account: { ...account, failedCount: 0, lockedUntil: null } };
  }
  // Counted in SQL, so wrong passwords tried at the same moment all count; a lock that has run
  // out starts a fresh count.
  await ds.query('UPDATE console_users SET failed_count = CASE WHEN locked_until IS NULL THEN failed_count + 1 ELSE 1 END, locked_until = NULL WHERE username = ?', [username]);
  const failed = Number((await findRow(ds, username))?.failed_count ?? 0);
  if (failed >= policy.maxFailed) {
    const until = new Date(now.getTime() + policy.lockoutMinutes * 60_000);
    await ds.query('UPDATE console_users SET locked_until = ? WHERE username = ?', [sqlInstant(until), username]);
    return { ok: false, code: 'console.locked-out', lockedUntil: until, justLocked: true, username };
  }
  return { ok: false, code: 'console.sign-in-failed' };
}
