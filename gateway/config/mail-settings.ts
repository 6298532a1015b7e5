/**
 * The e-mail channel's settings (issue 7): where the intake mailbox is (IMAP), where mail is sent
 * (SMTP), the gateway's address, and the deadline-aware fall-back's share. Parsers throw an
 * Error whose message names the rule broken and never echoes a password.
 */

/** The IMAP mailbox the intake watches. */
export interface ImapTarget {
  readonly host: string;
  readonly port: number;
  /** True for imaps:// (TLS from the first byte); imap:// upgrades with STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user: string;
  readonly pass: string;
  readonly mailbox: string;
}

/** The SMTP server delivery mail and replies are handed to. */
export interface SmtpTarget {
  readonly host: string;
  readonly port: number;
  /** True for smtps:// (TLS from the first byte); smtp:// upgrades with STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user?: string;
  readonly pass?: string;
}

const ADDRESS = /^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$|^[^@\s<>"]+@[A-Za-z0-9-]+$/;

function url(text: string, schemes: readonly string[], example: string): URL {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new Error(`must be a URL like ${example}`);
  }
  const scheme = u.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) throw new Error(`must start with ${schemes.map((s) => `${s}://`).join(' or ')} (like ${example}), not ${scheme}://`);
  if (u.hostname === '') throw new Error(`names no host (like ${example})`);
  return u;
}

function port(u: URL, fallback: number): number {
  return u.port === '' ? fallback : Number(u.port);
}

/** Reads `imap://user:password@host:port/Mailbox` or `imaps://…` (port 143 / 993, mailbox INBOX by default; user and password percent-encoded). */
export function parseImapUrl(text: string): ImapTarget {
  const example = 'imaps://gateway%40example.cn:PASSWORD@imap.example.cn:993/INBOX';
  const u = url(text, ['imap', 'imaps'], example);
  if (u.username === '' || u.password === '') throw new Error(`must name the mailbox's user and password (like ${example}; an @ in the user is written %40)`);
  const secure = u.protocol === 'imaps:';
  const mailbox = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return { host: u.hostname, port: port(u, secure ? 993 : 143), secure, user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password), mailbox: mailbox === '' ? 'INBOX' : mailbox };
}

/** Reads `smtp://[user:password@]host:port` or `smtps://…` (port 587 / 465 by default). */
export function parseSmtpUrl(text: string): SmtpTarget {
  const example = 'smtps://gateway%40example.cn:PASSWORD@smtp.example.cn:465';
  const u = url(text, ['smtp', 'smtps'], example);
  if ((u.username === '') !== (u.password === '')) throw new Error(`must name both a user and a password, or neither (like ${example})`);
  if (u.pathname !== '' && u.pathname !== '/') throw new Error(`takes no path (like ${example})`);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname, port: port(u, secure ? 465 : 587), secure,
    ...(u.username !== '' ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}),
  };
}

/** Reads an e-mail address (`gateway@example.cn`). */
export function parseMailAddress(text: string): string {
  if (!ADDRESS.test(text)) throw new Error(`must be an e-mail address like gateway@example.cn, got "${text}"`);
  return text;
}

/** Reads the deadline-aware fall-back's share: a whole percentage from 1 to 99. */
export function parseSharePercent(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new Error(`must be a whole percentage from 1 to 99, got "${text}"`);
  return n;
}
