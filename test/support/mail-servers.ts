import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, openSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { createTransport, type Transporter } from 'nodemailer';
import { freePort, listening } from './ports';

/**
 * Private, real mail servers for the e-mail channel's integration tests (issue 7): a Dovecot
 * (IMAP + LMTP on 127.0.0.1, passwd-file users, maildirs owned by a system user) and a Postfix
 * (SMTP on 127.0.0.1, every mail for the run's random domain handed to that Dovecot over LMTP),
 * each with its own configuration in a temporary directory, started per test file and stopped
 * afterwards. Nothing system-wide is started or changed. The packages come from
 * .ci/setup-email.sh. Outside CI, missing binaries skip the tests LOUDLY; with CI set they fail.
 */

const DOVECOT = '/usr/sbin/dovecot';
const DOVEADM = '/usr/bin/doveadm';
const POSTFIX = '/usr/sbin/postfix';

/** A mailbox created for one test: log in to IMAP with user/password, send mail to address. */
export interface TestMailbox {
  readonly address: string;
  readonly user: string;
  readonly password: string;
}

/** Running private mail servers. */
export interface RunningMailServers {
  /** The random domain Postfix accepts and Dovecot stores for. */
  readonly domain: string;
  readonly host: '127.0.0.1';
  readonly smtpPort: number;
  readonly imapPort: number;
  readonly lmtpPort: number;
  /** Creates a user with a random name and password (Dovecot rereads its passwd-file). */
  createMailbox(prefix?: string): TestMailbox;
  /** Cuts every IMAP connection of the user from the server side (doveadm kick). */
  kick(user: string): void;
  /** Dovecot's and Postfix's logs so far, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

/** True when Dovecot (with its IMAP and LMTP services) and Postfix are installed. */
export function mailServersInstalled(): boolean {
  return [DOVECOT, DOVEADM, POSTFIX, '/usr/lib/dovecot/imap', '/usr/lib/dovecot/lmtp', '/usr/lib/postfix/sbin/master'].every((p) => existsSync(p));
}


async function waitForPorts(ports: number[], child: ChildProcess, what: string, log: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} before listening:\n${log()}`);
    const up = await Promise.all(ports.map(listening));
    if (up.every(Boolean)) return;
    if (Date.now() > deadline) throw new Error(`${what} not listening on ${ports.join(', ')} after ${timeoutMs} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Identity { user: string; uid: number; gid: number; }

/** Who owns the maildirs and runs the unprivileged processes: the system user `mail` under root, else ourselves. */
function identities(): { mail: Identity; internal: string; login: string; postfixOwner: string } {
  const me = userInfo();
  if (me.uid !== 0) {
    const self = { user: me.username, uid: me.uid, gid: me.gid };
    return { mail: self, internal: me.username, login: me.username, postfixOwner: me.username };
  }
  const id = (flag: string) => Number(execFileSync('id', [flag, 'mail']).toString().trim());
  return { mail: { user: 'mail', uid: id('-u'), gid: id('-g') }, internal: 'dovecot', login: 'dovenull', postfixOwner: 'postfix' };
}

function dovecotConfig(dir: string, imapPort: number, lmtpPort: number, who: ReturnType<typeof identities>): string {
  return `# private Dovecot of one mmgw test run
protocols = imap lmtp
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = ${who.internal}
default_login_user = ${who.login}
first_valid_uid = ${who.mail.uid}
last_valid_uid = ${who.mail.uid}
first_valid_gid = ${who.mail.gid}
last_valid_gid = ${who.mail.gid}
mail_location = maildir:${dir}/mail/%d/%n/Maildir
mail_fsync = never
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users/%u
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/users/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
  unix_listener lmtp {
    mode = 0600
  }
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
protocol lmtp {
  postmaster_address = postmaster@localhost
}
`;
}

function postfixMain(dir: string, domain: string, smtpLmtpPort: number, who: ReturnType<typeof identities>): string {
  return `# private Postfix of one mmgw test run
compatibility_level = 3.6
queue_directory = ${dir}/queue
data_directory = ${dir}/data
mail_owner = ${who.postfixOwner}
myhostname = mmgw-test.localhost
mydomain = localhost
myorigin = localhost
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_reject_unlisted_recipient = no
virtual_mailbox_domains = ${domain}
virtual_transport = lmtp:inet:127.0.0.1:${smtpLmtpPort}
default_transport = error:the test server delivers nowhere else
relay_transport = error:the test server relays nowhere
alias_maps =
alias_database =
local_recipient_maps =
maillog_file = /dev/stdout
message_size_limit = 80000000
biff = no
smtputf8_enable = no
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
`;
}

function postfixMaster(smtpPort: number): string {
  const rows = [
    `127.0.0.1:${smtpPort} inet n - n - - smtpd`,
    'pickup unix n - n 60 1 pickup',
    'cleanup unix n - n - 0 cleanup',
    'qmgr unix n - n 300 1 qmgr',
    'rewrite unix - - n - - trivial-rewrite',
    'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce',
    'verify unix - - n - 1 verify',
    'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap',
    'smtp unix - - n - - smtp',
    'relay unix - - n - - smtp',
    'showq unix n - n - - showq',
    'error unix - - n - - error',
    'retry unix - - n - - error',
    'discard unix - - n - - discard',
    'local unix - n n - - local',
    'virtual unix - n n - - virtual',
    'lmtp unix - - n - - lmtp',
    'anvil unix - - n - 1 anvil',
    'scache unix - - n - 1 scache',
    'postlog unix-dgram n - n - 1 postlogd',
  ];
  return `${rows.join('\n')}\n`;
}

/** Starts a private Dovecot and Postfix in a fresh temporary directory. */
export async function startMailServers(): Promise<RunningMailServers> {
  const who = identities();
  const dir = mkdtempSync(join(tmpdir(), 'mmgw-mail-'));
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'mail', 'postfix', 'queue', 'data']) mkdirSync(join(dir, sub));
  chownSync(join(dir, 'mail'), who.mail.uid, who.mail.gid);
  if (who.postfixOwner === 'postfix') {
    const pf = Number(execFileSync('id', ['-u', 'postfix']).toString().trim());
    const pg = Number(execFileSync('id', ['-g', 'postfix']).toString().trim());
    chownSync(join(dir, 'data'), pf, pg);
  }
  const domain = `t${randomBytes(5).toString('hex')}.test`;
  const [imapPort, lmtpPort, smtpPort] = [await freePort(), await freePort(), await freePort()];
  // One passwd-file per user, written once: Dovecot never sees a file change under it.
  const usersDir = join(dir, 'users');
  mkdirSync(usersDir);

  const dovecotConf = join(dir, 'dovecot.conf');
  writeFileSync(dovecotConf, dovecotConfig(dir, imapPort, lmtpPort, who));
  const postfixDir = join(dir, 'postfix');
  writeFileSync(join(postfixDir, 'main.cf'), postfixMain(dir, domain, lmtpPort, who));
  writeFileSync(join(postfixDir, 'master.cf'), postfixMaster(smtpPort));

  const postfixLogFile = join(dir, 'postfix.log');
  const read = (file: string) => {
    try { return readFileSync(file, 'utf8'); } catch { return ''; }
  };
  const logs = () => `--- dovecot ---\n${read(join(dir, 'dovecot.log'))}\n--- postfix ---\n${read(postfixLogFile)}`;

  const dovecot = spawn(DOVECOT, ['-F', '-c', dovecotConf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let dovecotOut = '';
  dovecot.stdout?.on('data', (d: Buffer) => { dovecotOut += d.toString(); });
  dovecot.stderr?.on('data', (d: Buffer) => { dovecotOut += d.toString(); });
  let postfix: ChildProcess | undefined;
  const stop = async () => {
    if (postfix && postfix.exitCode === null) {
      try { execFileSync(POSTFIX, ['-c', postfixDir, 'stop'], { stdio: 'ignore', timeout: 10_000 }); } catch { postfix.kill('SIGTERM'); }
      await exited(postfix, 10_000);
    }
    if (dovecot.exitCode === null) {
      dovecot.kill('SIGTERM');
      await exited(dovecot, 10_000);
    }
    if (!process.env.MMGW_KEEP_MAIL_DIR) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPorts([imapPort, lmtpPort], dovecot, 'dovecot', () => `${dovecotOut}\n${logs()}`);
    // Node's 'pipe' stdio is a socketpair, which /dev/stdout cannot be opened on (postfix then
    // exits 1 without a word): give it a plain file as stdout and stderr.
    const out = openSync(postfixLogFile, 'a');
    postfix = spawn(POSTFIX, ['-c', postfixDir, 'start-fg'], { stdio: ['ignore', out, out] });
    closeSync(out);
    await waitForPorts([smtpPort], postfix, 'postfix', logs);
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    domain, host: '127.0.0.1', smtpPort, imapPort, lmtpPort,
    createMailbox(prefix = 'u') {
      const user = `${prefix}${randomBytes(4).toString('hex')}@${domain}`;
      const password = randomBytes(12).toString('hex');
      writeFileSync(join(usersDir, user), `${user}:{PLAIN}${password}:${who.mail.uid}:${who.mail.gid}::${dir}/mail/${domain}/${user.split('@')[0]}\n`, { mode: 0o644 });
      return { address: user, user, password };
    },
    kick(user) {
      execFileSync(DOVEADM, ['-c', dovecotConf, 'kick', user], { stdio: 'ignore', timeout: 10_000 });
    },
    logs,
    stop,
  };
}

function exited(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(); }, timeoutMs);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
  });
}

/** The mail servers of a test file: `available` and `servers` are set once beforeAll ran. */
export interface MailServersHandle {
  /** False when the binaries are missing outside CI: the test must return at once (reported as skipped). */
  readonly available: boolean;
  /** The running servers; throws when not available. */
  readonly servers: RunningMailServers;
}

/** Starts private Dovecot + Postfix in beforeAll and stops them in afterAll (skips loudly, or fails in CI, without the binaries). */
export function useMailServers(testFile: string): MailServersHandle {
  let running: RunningMailServers | undefined;
  const handle = {
    available: false,
    get servers(): RunningMailServers {
      if (!running) throw new Error('the mail servers are not running');
      return running;
    },
  };
  beforeAll(async () => {
    const missing = !mailServersInstalled()
      ? 'Dovecot (dovecot-imapd, dovecot-lmtpd) and Postfix, which are not installed (run .ci/setup-email.sh)'
      : process.getuid?.() !== 0 ? 'root, to start a private Postfix (postfix refuses any other user)' : undefined;
    if (missing) {
      if (process.env.CI) throw new Error(`${testFile} needs ${missing}; it is required in CI (CI is set)`);
      console.warn(`\n!!!!! SKIPPED: ${testFile} needs ${missing}. Its tests pass vacuously here; with CI=true they fail. !!!!!\n`);
      return;
    }
    running = await startMailServers();
    handle.available = true;
  }, 30_000);
  afterAll(async () => {
    await running?.stop();
  }, 30_000);
  return handle;
}

/** imapflow's connection options for a test mailbox: plain IMAP on loopback, its user and password. */
export function imapOptions(servers: RunningMailServers, box: TestMailbox): { host: string; port: number; secure: false; auth: { user: string; pass: string } } {
  return { host: servers.host, port: servers.imapPort, secure: false, auth: { user: box.user, pass: box.password } };
}

/** A nodemailer transport to the private Postfix (plain SMTP on loopback); the caller closes it. */
export function smtpTransport(servers: RunningMailServers): Transporter {
  return createTransport({ host: servers.host, port: servers.smtpPort, secure: false, ignoreTLS: true });
}

/** Runs `read` on `folder` of the mailbox when the folder exists and holds mail; [] otherwise. */
async function readFolder<T>(servers: RunningMailServers, box: TestMailbox, folder: string, read: (client: ImapFlow) => Promise<T[]>): Promise<T[]> {
  const client = new ImapFlow({ ...imapOptions(servers, box), logger: false });
  await client.connect();
  try {
    const status = await client.status(folder, { messages: true }).catch(() => undefined);
    if (!status || (status.messages ?? 0) === 0) return [];
    const lock = await client.getMailboxLock(folder);
    try { return await read(client); } finally { lock.release(); }
  } finally { await client.logout(); }
}

/** The subjects of the mails in `folder`, in UID order (envelopes only: cheap for a 30 MB mail); [] when the folder is missing or empty. */
export function subjectsIn(servers: RunningMailServers, box: TestMailbox, folder: string): Promise<string[]> {
  return readFolder(servers, box, folder, async (c) => (await c.fetchAll('1:*', { envelope: true })).map((m) => m.envelope?.subject ?? ''));
}

/** The mails in `folder`, subject and raw source, in UID order; [] when the folder is missing or empty. */
export function mailsIn(servers: RunningMailServers, box: TestMailbox, folder: string): Promise<Array<{ subject: string; source: Buffer }>> {
  return readFolder(servers, box, folder, async (c) => (await c.fetchAll('1:*', { envelope: true, source: true })).map((m) => ({ subject: m.envelope?.subject ?? '', source: m.source ?? Buffer.alloc(0) })));
}

/** How `waitFor` waits. */
export interface WaitOptions {
  /** A deadline for a loaded CI machine, not a timing. */
  readonly timeoutMs: number;
  /** @defaultValue 100 */
  readonly intervalMs?: number;
  /** How many characters of the servers' log end the time-out error. @defaultValue 2000 */
  readonly logTail?: number;
  /** More to say on a time-out (e.g. the gateway's own log), before the servers' log. */
  readonly context?: () => string;
  /** A check that throws counts as "not yet" (e.g. IMAP refused while a test kills connections). @defaultValue false */
  readonly tolerateErrors?: boolean;
}

/**
 * Checks `get` every `intervalMs` until it returns something other than undefined or false, and
 * returns that; past `timeoutMs` throws "timed out waiting for WHAT" with the tail of the mail
 * servers' log (what Postfix and Dovecot did is usually the answer).
 */
export async function waitFor<T>(servers: RunningMailServers, what: string, get: () => Promise<T | undefined | false> | T | undefined | false, options: WaitOptions): Promise<Exclude<T, undefined | false>> {
  const end = Date.now() + options.timeoutMs;
  for (;;) {
    const v = await Promise.resolve().then(get).catch((e: unknown) => {
      if (options.tolerateErrors) return undefined;
      throw e;
    });
    if (v !== undefined && v !== false) return v as Exclude<T, undefined | false>;
    if (Date.now() > end) {
      const context = options.context?.();
      throw new Error(`timed out waiting for ${what}\n${context ? `${context}\n` : ''}${servers.logs().slice(-(options.logTail ?? 2000))}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
