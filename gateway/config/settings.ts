import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_DECODE_LIMITS } from '../../contracts/codec/limits';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { parseAmqpUrl, AMQP_URL_VARIABLE } from '../bus/rabbitmq/amqp-url';
import { CALENDAR_DIR_ENV } from '../calendar/load-calendar';
import { readCertificates } from '../signing/certificates';
import { PASSPHRASE_ENV } from '../signing/keys';
import { parseDatabaseUrl, DATABASE_URL_VARIABLE } from '../store/database-url';
import { DEFAULT_DEADLINE_SHARE_PERCENT } from '../deliveries/deadline-fallback';
import { parseImapUrl, parseMailAddress, parseSharePercent, parseSmtpUrl } from './mail-settings';
import { DEFAULT_CONTACT_OPTIONS } from '../contacts/options';
import { CONSOLE_DEFAULTS, DEFAULT_CONSOLE_LANGUAGE, parseConsoleLanguage, parseOnOff } from './console-settings';

/**
 * One setting of the gateway: the environment variable, its documented default (as the text a
 * reader would write, or undefined when the setting is optional) and how its text is read. A
 * parser throws an Error (or GatewayError) whose message says which rule the value breaks; it
 * never echoes a secret.
 */
export interface Setting<T> {
  readonly variable: string;
  /** What it configures, one sentence. */
  readonly description: string;
  /** The value used when the variable is unset or empty, as written in the environment. */
  readonly defaultText?: string;
  /** A secret (password, passphrase): never printed, never echoed in an error. */
  readonly secret?: boolean;
  readonly parse: (text: string) => T;
}

function integer(min: number, max: number, unit: string): (text: string) => number {
  return (text) => {
    if (!/^\d+$/.test(text)) throw new Error(`must be a whole number of ${unit}, got "${text}"`);
    const n = Number(text);
    if (n < min || n > max) throw new Error(`must be between ${min} and ${max} ${unit}, got ${n}`);
    return n;
  };
}

/** A listen address: `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (all interfaces). */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Reads `HOST:PORT`, `[V6]:PORT` or `:PORT`; port 0 asks the system for a free port. */
export function parseListen(text: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(text);
  if (!m) throw new Error(`must be HOST:PORT, [IPv6]:PORT or :PORT (e.g. 127.0.0.1:8443), got "${text}"`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`has the port ${port}, above 65535`);
  const host = m[1] ?? (m[2] === '' ? '0.0.0.0' : m[2]!);
  return { host, port };
}

function pemFile(kind: 'certificate' | 'key'): (text: string) => string {
  return (file) => {
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`names the file ${file}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e });
    }
    if (kind === 'certificate') {
      try {
        readCertificates(content);
      } catch (e) {
        throw new Error(`names the file ${file}, which holds no readable PEM certificate (${(e as Error).message})`, { cause: e });
      }
    } else if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(content)) {
      throw new Error(`names the file ${file}, which holds no PEM private key (-----BEGIN … PRIVATE KEY-----)`);
    }
    return file;
  };
}

function fileList(text: string): readonly string[] {
  const files = text.split(new RegExp(`[,\\n${path.delimiter}]`)).map((f) => f.trim()).filter((f) => f !== '');
  if (files.length === 0) throw new Error('names no file; give one or more CA PEM files separated by ":" or ","');
  const check = pemFile('certificate');
  const problems: string[] = [];
  for (const f of files) {
    try {
      check(f);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return files;
}

/** Wraps a parser of another module whose GatewayError message starts with the variable name (the report names it once already). */
function reusing<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (e) {
      if (e instanceof GatewayError) throw new Error(e.message.replace(/^MMGW_[A-Z_]+ /, ''), { cause: e });
      throw e;
    }
  };
}

/**
 * Every setting of the gateway, each with its default: the ONE place they are declared
 * (style.md, "Defaults live once"). `readGatewayConfig` reads them; the README and the docker
 * compose file use these names, and a test keeps the compose file to them.
 */
export const SETTINGS = {
  databaseUrl: {
    variable: DATABASE_URL_VARIABLE,
    description: 'The database: mysql://user:password@host:3306/mmgw (MySQL 8 / MariaDB 10.11) or sqlite:PATH. Unset: the embedded SQLite file mmgw.sqlite in MMGW_DATA_DIR.',
    secret: true,
    parse: reusing(parseDatabaseUrl),
  },
  amqpUrl: {
    variable: AMQP_URL_VARIABLE,
    description: 'The RabbitMQ broker: amqp://user:password@host:5672/vhost or amqps://…. Unset: the embedded bus on the database outbox.',
    secret: true,
    parse: reusing(parseAmqpUrl),
  },
  listen: {
    variable: 'MMGW_LISTEN',
    description: 'Where the HTTPS interface listens: HOST:PORT, [IPv6]:PORT or :PORT for every interface.',
    defaultText: '127.0.0.1:8443',
    parse: parseListen,
  },
  tlsCert: {
    variable: 'MMGW_TLS_CERT',
    description: 'The server certificate (PEM file, chain after the leaf). Set with MMGW_TLS_KEY; unset, the dev PKI under MMGW_DATA_DIR issues one.',
    parse: pemFile('certificate'),
  },
  tlsKey: {
    variable: 'MMGW_TLS_KEY',
    description: 'The server private key (PEM file; encrypted PKCS#8 is read with MMGW_KEY_PASSPHRASE). Set with MMGW_TLS_CERT.',
    parse: pemFile('key'),
  },
  trustStore: {
    variable: 'MMGW_TRUST_STORE',
    description: 'The CA certificates trusted for client certificates and document signatures: PEM files separated by ":" or ",". Unset: the dev CA under MMGW_DATA_DIR.',
    parse: fileList,
  },
  dataDir: {
    variable: 'MMGW_DATA_DIR',
    description: 'The directory of the embedded database, the dev PKI and the stored sample files.',
    defaultText: './data',
    parse: (text: string) => text,
  },
  keyPassphrase: {
    variable: PASSPHRASE_ENV,
    description: 'The passphrase protecting private keys at rest (the gateway\'s signing key, the dev PKI).',
    secret: true,
    parse: (text: string) => text,
  },
  calendarDir: {
    variable: CALENDAR_DIR_ENV,
    description: 'A directory of further working-day calendar years (one JSON file per year), beside the built-in ones.',
    parse: (text: string) => text,
  },
  maxBodyBytes: {
    variable: 'MMGW_MAX_BODY_BYTES',
    description: 'The largest request body accepted on POST routes, in bytes; larger ones get 413. The default is the contract\'s decode limit.',
    defaultText: String(DEFAULT_DECODE_LIMITS.maxBytes),
    parse: integer(1024, 64 * 1024 * 1024, 'bytes'),
  },
  maxSampleBytes: {
    variable: 'MMGW_MAX_SAMPLE_BYTES',
    description: 'The largest sample file accepted by PUT /v1/samples/{sha256}, in bytes; larger ones get 413.',
    defaultText: '104857600',
    parse: integer(1024, 4 * 1024 * 1024 * 1024, 'bytes'),
  },
  rateLimitPerMinute: {
    variable: 'MMGW_RATE_LIMIT_PER_MINUTE',
    description: 'Requests per minute one institution may make on average (token bucket refill rate); more get 429 with Retry-After.',
    defaultText: '600',
    parse: integer(1, 1_000_000, 'requests per minute'),
  },
  rateLimitBurst: {
    variable: 'MMGW_RATE_LIMIT_BURST',
    description: 'Requests one institution may make at once before the per-minute rate applies (token bucket size).',
    defaultText: '60',
    parse: integer(1, 1_000_000, 'requests'),
  },
  requestTimeoutMs: {
    variable: 'MMGW_REQUEST_TIMEOUT_MS',
    description: 'The longest a request may take, in milliseconds (a long-polling mailbox request included); slower ones get 503.',
    defaultText: '60000',
    parse: integer(100, 3_600_000, 'milliseconds'),
  },
  mailboxMaxWaitSeconds: {
    variable: 'MMGW_MAILBOX_MAX_WAIT_SECONDS',
    description: 'The longest long poll GET /v1/mailbox?wait= may ask for, in seconds; must be below the request time-out.',
    defaultText: '30',
    parse: integer(0, 3600, 'seconds'),
  },
  shutdownGraceMs: {
    variable: 'MMGW_SHUTDOWN_GRACE_MS',
    description: 'On SIGTERM, how long in-flight requests may run to completion before their connections are closed, in milliseconds.',
    defaultText: '10000',
    parse: integer(0, 600_000, 'milliseconds'),
  },
  imapUrl: {
    variable: 'MMGW_IMAP_URL',
    description: 'The e-mail intake mailbox: imap://user:password@host:143/Mailbox or imaps://…:993/Mailbox (user and password percent-encoded, mailbox INBOX when left out). Set with MMGW_SMTP_URL to read forms sent by e-mail; unset: no e-mail intake.',
    secret: true,
    parse: parseImapUrl,
  },
  smtpUrl: {
    variable: 'MMGW_SMTP_URL',
    description: 'The SMTP server for delivery mail and replies: smtp://[user:password@]host:587 (STARTTLS when offered) or smtps://…:465. Unset: no e-mail channel (e-mail deliveries fall back to the next channel at once).',
    secret: true,
    parse: parseSmtpUrl,
  },
  mailFrom: {
    variable: 'MMGW_MAIL_FROM',
    description: 'The gateway\'s e-mail address: From: of its mail and the envelope sender bounces come back to (the intake mailbox). Unset: the MMGW_IMAP_URL user when it is an address.',
    parse: parseMailAddress,
  },
  deadlineSharePercent: {
    variable: 'MMGW_DEADLINE_FALLBACK_SHARE',
    description: 'With the e-mail channel on: after this share of an obligation\'s time (percent), a delivery still unacknowledged on its primary channel is also sent by e-mail.',
    defaultText: String(DEFAULT_DEADLINE_SHARE_PERCENT),
    parse: parseSharePercent,
  },
  console: {
    variable: 'MMGW_CONSOLE',
    description: 'The administrators\' console at /console of the HTTPS interface: on, or off to not mount it.',
    defaultText: 'on',
    parse: parseOnOff,
  },
  consoleSessionMinutes: {
    variable: 'MMGW_CONSOLE_SESSION_MINUTES',
    description: 'How long a console session lasts from sign-in, in minutes.',
    defaultText: String(CONSOLE_DEFAULTS.sessionMinutes),
    parse: integer(1, 7 * 24 * 60, 'minutes'),
  },
  consoleMaxFailedSignIns: {
    variable: 'MMGW_CONSOLE_MAX_FAILED_SIGN_INS',
    description: 'Wrong passwords in a row that lock a console account.',
    defaultText: String(CONSOLE_DEFAULTS.maxFailedSignIns),
    parse: integer(1, 100, 'attempts'),
  },
  consoleLockoutMinutes: {
    variable: 'MMGW_CONSOLE_LOCKOUT_MINUTES',
    description: 'How long a locked console account stays locked, in minutes (a gateway administrator unlocks it earlier with mmgw console-user passwd).',
    defaultText: String(CONSOLE_DEFAULTS.lockoutMinutes),
    parse: integer(1, 7 * 24 * 60, 'minutes'),
  },
  consoleAddressMaxFailedSignIns: {
    variable: 'MMGW_CONSOLE_ADDRESS_MAX_FAILED_SIGN_INS',
    description: 'Failed console sign-ins (any account) from one client address within MMGW_CONSOLE_ADDRESS_WINDOW_MINUTES after which that address is answered 429 until the window has passed.',
    defaultText: String(CONSOLE_DEFAULTS.maxFailedSignInsPerAddress),
    parse: integer(1, 100_000, 'attempts'),
  },
  consoleAddressWindowMinutes: {
    variable: 'MMGW_CONSOLE_ADDRESS_WINDOW_MINUTES',
    description: 'The window over which failed console sign-ins are counted per client address, in minutes.',
    defaultText: String(CONSOLE_DEFAULTS.addressWindowMinutes),
    parse: integer(1, 24 * 60, 'minutes'),
  },
  consoleDueSoonHours: {
    variable: 'MMGW_CONSOLE_DUE_SOON_HOURS',
    description: 'How far ahead the console\'s obligations page counts an open obligation as due soon, in hours.',
    defaultText: String(CONSOLE_DEFAULTS.dueSoonHours),
    parse: integer(1, 24 * 366, 'hours'),
  },
  consoleMaxUploadBytes: {
    variable: 'MMGW_CONSOLE_MAX_UPLOAD_BYTES',
    description: 'The largest console form with a file (a paper original\'s scan), in bytes; larger ones get 413.',
    defaultText: String(CONSOLE_DEFAULTS.maxUploadBytes),
    parse: integer(1024, 1024 * 1024 * 1024, 'bytes'),
  },
  consoleLanguage: {
    variable: 'MMGW_CONSOLE_LANGUAGE',
    description: 'The console\'s language for a browser that has not chosen one (?lang=): zh (Chinese) or en (English).',
    defaultText: DEFAULT_CONSOLE_LANGUAGE,
    parse: parseConsoleLanguage,
  },
  contactMaxFutureDays: {
    variable: 'MMGW_CONTACT_MAX_FUTURE_DAYS',
    description: 'How many days after today (Beijing) the effective date of a contact change may lie, from the console or a signed ContactUpdate; further is refused (contacts.effective-date-too-far, Art. 17).',
    defaultText: String(DEFAULT_CONTACT_OPTIONS.maxFutureDays),
    parse: integer(0, 3660, 'days'),
  },
} as const satisfies Record<string, Setting<unknown>>;

/** The environment variables the gateway reads, in declaration order. */
export const SETTING_VARIABLES: readonly string[] = Object.values(SETTINGS).map((s) => s.variable);

/** The settings as a Markdown table (variable, default, meaning), as the README shows them; a test keeps the README to it. */
export function settingsTable(): string {
  const rows = (Object.values(SETTINGS) as Setting<unknown>[]).map(
    (s) => `| \`${s.variable}\` | ${s.defaultText !== undefined ? `\`${s.defaultText}\`` : '—'} | ${s.description}${s.secret ? ' Secret: never printed.' : ''} |`,
  );
  return ['| variable | default | what it sets |', '|---|---|---|', ...rows].join('\n');
}
