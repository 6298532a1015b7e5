import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { DEFAULT_PARSE_MAIL_OPTIONS } from './parse-mail';
import type { MailFolder, UidCursor, UidCursorStore } from './ports';
import { oversizedReport, processMail, type MailReport, type ProcessMailDeps } from './process-mail';

/** Settings of the IMAP intake loop. */
export interface ImapIntakeOptions {
  readonly imap: { readonly host: string; readonly port: number; readonly secure: boolean; readonly auth: { readonly user: string; readonly pass: string } };
  /** The mailbox watched. @defaultValue `INBOX` */
  readonly mailbox?: string;
  /** Folder names. @defaultValue Processed, Rejected, Quarantine */
  readonly folders?: Partial<Record<MailFolder, string>>;
  readonly cursor: UidCursorStore;
  readonly deps: ProcessMailDeps;
  /** Told about every handled mail before it is moved (replies and alerts are sent from here). */
  readonly onHandled?: (report: MailReport, uid: number) => Promise<void>;
  /** Told about every connection or processing failure (the loop goes on). */
  readonly onError?: (error: GatewayError) => void;
  /** Back-off between reconnections: first delay, doubled up to the max. @defaultValue 200 ms, 30 s */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Check the mailbox at least this often even without an IDLE notification. @defaultValue 30 s */
  readonly pollMs?: number;
  /** Waits; injected so tests need not. @defaultValue setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_FOLDERS: Record<MailFolder, string> = { processed: 'Processed', rejected: 'Rejected', quarantine: 'Quarantine' };

/** Delay before reconnection attempt `attempt` (0-based): doubling from initialMs, capped at maxMs. */
export function backoffDelay(attempt: number, backoff: { initialMs: number; maxMs: number }): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 30));
}

function asGatewayError(e: unknown, code: 'email.imap-failed' | 'email.intake-failed', what: string): GatewayError {
  if (e instanceof GatewayError) return e;
  return new GatewayError(code, `${what}: ${e instanceof Error ? e.message : String(e)}`);
}

class IntakeFailure extends Error {}

/**
 * The IMAP intake loop: connects, IDLEs on the mailbox, fetches mails by UID after the stored
 * cursor, handles each (processMail) and moves it to Processed / Rejected / Quarantine (created
 * when missing), and reconnects with back-off after any failure. Per mail: handle → save the
 * cursor with the pending move → move; the pending move is cleared when the batch ends. A crash
 * before the cursor is saved handles the mail again on restart (intake is idempotent); after, the
 * move is finished (or found done) on restart. A mail
 * over the size limit is refused from its IMAP size without being downloaded.
 */
export class ImapIntake {
  private readonly mailbox: string;
  private readonly folders: Record<MailFolder, string>;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly sleep: (ms: number) => Promise<void>;
  private stopped = false;
  private client: ImapFlow | undefined;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;
  /** Connections opened so far (for tests and metrics). */
  connections = 0;

  constructor(private readonly options: ImapIntakeOptions) {
    this.mailbox = options.mailbox ?? 'INBOX';
    this.folders = { ...DEFAULT_FOLDERS, ...options.folders };
    this.backoff = options.backoff ?? { initialMs: 200, maxMs: 30_000 };
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Starts the loop in the background. */
  start(): void {
    this.running ??= this.run();
  }

  /** Stops the loop after the mail in hand and closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.client?.close();
    await this.running;
  }

  private fail(error: GatewayError): void {
    this.options.onError?.(error);
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      const connected = await this.session();
      if (this.stopped) break;
      attempt = connected ? 0 : attempt + 1;
      await this.sleep(backoffDelay(attempt, this.backoff));
    }
  }

  /** One connection: returns whether it got as far as draining the mailbox. */
  private async session(): Promise<boolean> {
    const imapOptions: ImapFlowOptions = { ...this.options.imap, logger: false, disableAutoIdle: true };
    const client = new ImapFlow(imapOptions);
    this.client = client;
    let dirty = true;
    let closed = false;
    const nudge = () => { dirty = true; this.wake?.(); };
    client.on('exists', nudge);
    client.on('close', () => { closed = true; this.wake?.(); });
    client.on('error', (e: unknown) => this.fail(asGatewayError(e, 'email.imap-failed', 'IMAP connection error')));
    let drained = false;
    try {
      await client.connect();
      this.connections++;
      await this.ensureFolders(client);
      const lock = await client.getMailboxLock(this.mailbox);
      try {
        while (!this.stopped && !closed) {
          if (dirty) {
            dirty = false;
            await this.drain(client);
            drained = true;
            continue;
          }
          // IDLE inside our own lock until the server announces mail (exists), the connection
          // closes, stop() is called, or the poll interval passes; a NOOP then ends the IDLE.
          const idling = client.idle().catch(() => false);
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.options.pollMs ?? 30_000);
            this.wake = () => { clearTimeout(timer); resolve(); };
          });
          this.wake = undefined;
          if (!closed && !this.stopped) await client.noop();
          await idling;
          dirty = true;
        }
      } finally {
        if (!closed && client.usable) lock.release();
      }
    } catch (e) {
      if (!this.stopped) {
        this.fail(e instanceof IntakeFailure ? asGatewayError(e.cause, 'email.intake-failed', 'processing a mail failed; it stays in the mailbox') : asGatewayError(e, 'email.imap-failed', `IMAP ${this.options.imap.host}:${this.options.imap.port}`));
      }
    } finally {
      if (!closed && client.usable) await client.logout().catch(() => client.close());
      else client.close();
      this.client = undefined;
    }
    return drained;
  }

  private async ensureFolders(client: ImapFlow): Promise<void> {
    const existing = new Set((await client.list()).map((m) => m.path));
    for (const name of Object.values(this.folders)) {
      if (!existing.has(name)) await client.mailboxCreate(name);
    }
  }

  /**
   * Moves one mail. imapflow answers a failed MOVE with `false` rather than an error: a move is
   * done only when the mail is no longer in the mailbox, otherwise this throws.
   */
  private async move(client: ImapFlow, uid: number, folder: MailFolder): Promise<void> {
    const moved = await client.messageMove(String(uid), this.folders[folder], { uid: true });
    if (moved) return;
    if (!client.usable) throw new Error(`the connection was lost while moving mail ${uid} to ${this.folders[folder]}`);
    const still = await client.fetchOne(String(uid), { uid: true }, { uid: true });
    if (still) throw new Error(`mail ${uid} could not be moved to ${this.folders[folder]}`);
  }

  private async drain(client: ImapFlow): Promise<void> {
    const box = client.mailbox;
    if (!box) throw new Error(`mailbox ${this.mailbox} is not open`);
    const uidValidity = String(box.uidValidity);
    const stored = await this.options.cursor.load(this.mailbox);
    let cursor: UidCursor = stored && stored.uidValidity === uidValidity ? stored : { uidValidity, lastUid: 0 };
    if (cursor.pendingMove) {
      await this.move(client, cursor.pendingMove.uid, cursor.pendingMove.folder);
      cursor = { uidValidity, lastUid: cursor.lastUid };
      await this.options.cursor.save(this.mailbox, cursor);
    }
    if (box.exists === 0) return;
    const maxMailBytes = this.options.deps.parse?.maxMailBytes ?? DEFAULT_PARSE_MAIL_OPTIONS.maxMailBytes;
    // `N:*` always includes the newest mail even when its UID is below N: filter.
    const listed = await client.fetchAll(`${cursor.lastUid + 1}:*`, { uid: true, size: true, envelope: true }, { uid: true });
    const fresh = listed.filter((m) => m.uid > cursor.lastUid).sort((a, b) => a.uid - b.uid);
    // The pending move of a mail already moved is cleared once, when the batch ends, not after each
    // mail: the next mail's save replaces it, and a stale one is harmless (move() finds the mail gone).
    const settle = async () => {
      if (cursor.pendingMove === undefined) return;
      cursor = { uidValidity, lastUid: cursor.lastUid };
      await this.options.cursor.save(this.mailbox, cursor);
    };
    for (const m of fresh) {
      if (this.stopped) return settle();
      let report: MailReport;
      try {
        if ((m.size ?? 0) > maxMailBytes) {
          const e = m.envelope;
          const a = e?.replyTo?.[0]?.address ? e.replyTo[0] : e?.from?.[0];
          report = oversizedReport(m.size ?? 0, maxMailBytes, { ...(a?.address ? { replyTo: { address: a.address.toLowerCase(), ...(a.name ? { name: a.name } : {}) } } : {}), ...(e?.subject ? { subject: e.subject } : {}) });
        } else {
          const full = await client.fetchOne(String(m.uid), { source: true, internalDate: true }, { uid: true });
          if (!full || !full.source) {
            // imapflow answers a lost connection with false too: never skip a mail for that.
            if (!client.usable) throw new Error(`the connection was lost while fetching mail ${m.uid}`);
            continue; // expunged meanwhile by someone else
          }
          // INTERNALDATE: when the mail reached the mailbox (an Art. 15 e-mail meets its clock then, even if the gateway was down).
          const internal = full.internalDate === undefined ? undefined : new Date(full.internalDate);
          report = await processMail(full.source, this.options.deps, internal && !Number.isNaN(internal.getTime()) ? { at: internal } : {});
        }
        await this.options.onHandled?.(report, m.uid);
      } catch (e) {
        if (!client.usable) throw e;
        throw new IntakeFailure('processing failed', { cause: e });
      }
      cursor = { uidValidity, lastUid: m.uid, pendingMove: { uid: m.uid, folder: report.folder } };
      await this.options.cursor.save(this.mailbox, cursor);
      await this.move(client, m.uid, report.folder);
    }
    await settle();
  }
}
