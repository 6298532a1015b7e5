import { ImapFlow } from 'imapflow';
import { createTransport, type Transporter } from 'nodemailer';
import type { GatewayError } from '../../../contracts/errors/gateway-error';
import { ImapIntake } from '../../../adapters/email/imap-intake';
import { memoryCursorStore } from '../../../adapters/email/ports';
import { useMailServers, type TestMailbox } from '../../support/mail-servers';
import { fakeIntake, fakeUnsigned, signedCorpus, testContacts, type SignedCorpus } from './fixtures';

/**
 * The IMAP intake loop against a real Dovecot, mails delivered by a real Postfix over LMTP:
 * folder moves, and every mail handled exactly once across a dropped connection and a kill.
 */
jest.setTimeout(30_000);

describe('ImapIntake against Postfix → Dovecot', () => {
  const mail = useMailServers(__filename);
  let corpus: SignedCorpus;
  let smtp: Transporter;
  beforeAll(async () => {
    corpus = await signedCorpus();
    if (mail.available) smtp = createTransport({ host: mail.servers.host, port: mail.servers.smtpPort, secure: false, ignoreTLS: true });
  });
  afterAll(() => smtp?.close());

  const imapOf = (box: TestMailbox) => ({ host: mail.servers.host, port: mail.servers.imapPort, secure: false, auth: { user: box.user, pass: box.password } });

  async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    // A check may fail when the test cuts the user's connections (doveadm kick cuts them all).
    const bounded = () => Promise.race([Promise.resolve().then(check), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]).catch(() => false);
    while (!(await bounded())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${mail.servers.logs().split('--- postfix ---')[0]!.slice(-3000)}\n${mail.servers.logs().slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Subjects per folder, read with a separate client. */
  async function folders(box: TestMailbox): Promise<Record<string, string[]>> {
    const client = new ImapFlow({ ...imapOf(box), logger: false });
    await client.connect();
    try {
      const out: Record<string, string[]> = {};
      for (const f of ['INBOX', 'Processed', 'Rejected', 'Quarantine']) {
        const status = await client.status(f, { messages: true }).catch(() => undefined);
        if (!status) { out[f] = []; continue; }
        const lock = await client.getMailboxLock(f);
        try {
          out[f] = (status.messages ?? 0) === 0 ? [] : (await client.fetchAll('1:*', { envelope: true })).map((m) => m.envelope?.subject ?? '').sort();
        } finally { lock.release(); }
      }
      return out;
    } finally { await client.logout(); }
  }

  async function deliverAndWait(box: TestMailbox, mails: Parameters<Transporter['sendMail']>[0][]): Promise<void> {
    for (const m of mails) await smtp.sendMail({ to: box.address, ...m });
    await until(`${mails.length} mails in INBOX`, async () => (await folders(box)).INBOX!.length >= mails.length);
  }

  it('moves each mail to the right folder: accepted → Processed, bad signature → Rejected, stranger → Quarantine (folders created)', async () => {
    if (!mail.available) return;
    const box = mail.servers.createMailbox();
    await deliverAndWait(box, [
      { from: 'boss@miit.example.cn', subject: 'good', text: '附件', attachments: [{ content: corpus.incidentXml, contentType: 'application/xml' }] },
      { from: 'x@example.org', subject: 'tampered', text: 't', attachments: [{ content: corpus.incidentXml.replace('GhostPush', 'GhostPusH'), contentType: 'application/xml' }] },
      { from: 'stranger@example.org', subject: 'stranger', text: 'hello' },
      { from: 'security@chinamobile.example.cn', subject: 'emergency', text: '控制服务器已封堵' },
    ]);
    const intake = fakeIntake(corpus.trust);
    const unsigned = fakeUnsigned();
    const errors: GatewayError[] = [];
    const loop = new ImapIntake({ imap: imapOf(box), cursor: memoryCursorStore(), deps: { intake, contacts: testContacts, unsigned }, onError: (e) => errors.push(e), backoff: { initialMs: 50, maxMs: 200 } });
    loop.start();
    try {
      await until('INBOX drained', async () => (await folders(box)).INBOX!.length === 0);
    } finally { await loop.stop(); }
    expect(await folders(box)).toEqual({ INBOX: [], Processed: ['emergency', 'good'], Rejected: ['tampered'], Quarantine: ['stranger'] });
    expect(intake.completed).toHaveLength(2);
    expect(unsigned.recorded).toEqual(['security@chinamobile.example.cn']);
    expect(errors).toEqual([]);
  });

  it('picks up a mail arriving while it IDLEs, without polling', async () => {
    if (!mail.available) return;
    const box = mail.servers.createMailbox();
    const intake = fakeIntake(corpus.trust);
    const loop = new ImapIntake({ imap: imapOf(box), cursor: memoryCursorStore(), deps: { intake, contacts: testContacts, unsigned: fakeUnsigned() }, pollMs: 600_000 });
    loop.start();
    try {
      await until('connected', () => loop.connections === 1);
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      await smtp.sendMail({ from: 'a@example.org', to: box.address, subject: 'live', text: 'x', attachments: [{ content: await corpus.signIncident('op-cmcc-live-1'), contentType: 'application/xml' }] });
      await until('the live mail handled', () => intake.completed.length === 1);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally { await loop.stop(); }
    expect(intake.completed).toEqual(['op-cmcc-live-1']);
  });

  it('the connection cut mid-batch: it reconnects with back-off and resumes by UID; every mail handled exactly once', async () => {
    if (!mail.available) return;
    const box = mail.servers.createMailbox();
    const ids = Array.from({ length: 6 }, (_, i) => `op-cmcc-cut-${i}`);
    await deliverAndWait(box, await Promise.all(ids.map(async (id) => ({ from: 'a@example.org', subject: id, text: 'x', attachments: [{ content: await corpus.signIncident(id), contentType: 'application/xml' }] }))));
    const intake = fakeIntake(corpus.trust);
    intake.before = async (n) => { if (n === 3) mail.servers.kick(box.user); };
    const errors: GatewayError[] = [];
    const loop = new ImapIntake({ imap: imapOf(box), cursor: memoryCursorStore(), deps: { intake, contacts: testContacts, unsigned: fakeUnsigned() }, onError: (e) => errors.push(e), backoff: { initialMs: 50, maxMs: 200 } });
    loop.start();
    try {
      await until('INBOX drained', async () => (await folders(box)).INBOX!.length === 0);
    } finally { await loop.stop(); }
    expect(loop.connections).toBeGreaterThanOrEqual(2);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.every((e) => e.code === 'email.imap-failed' || e.code === 'email.intake-failed')).toBe(true);
    // The cut came while the third mail (by UID; Postfix may deliver out of order) was in intake:
    // it may be handled again after reconnecting (intake is idempotent); every other mail exactly
    // once, none missed.
    expect(new Set(intake.completed)).toEqual(new Set(ids));
    const twice = ids.filter((id) => intake.completed.filter((c) => c === id).length > 1);
    expect(twice).toEqual(twice.length === 0 ? [] : [intake.completed[2]]);
    expect(intake.completed.length).toBe(ids.length + twice.length);
    expect((await folders(box)).Processed).toEqual([...ids].sort());
  });

  it('the gateway killed mid-batch: a new loop with the same cursor store handles each remaining mail exactly once', async () => {
    if (!mail.available) return;
    const box = mail.servers.createMailbox();
    const ids = Array.from({ length: 5 }, (_, i) => `op-cmcc-kill-${i}`);
    await deliverAndWait(box, await Promise.all(ids.map(async (id) => ({ from: 'a@example.org', subject: id, text: 'x', attachments: [{ content: await corpus.signIncident(id), contentType: 'application/xml' }] }))));
    const cursor = memoryCursorStore();
    const first = fakeIntake(corpus.trust);
    let killed!: () => void;
    const dead = new Promise<void>((r) => { killed = r; });
    // The third submission never completes: the process "dies" there (its transaction never commits).
    first.before = async (n) => { if (n === 3) { killed(); await new Promise(() => undefined); } };
    const a = new ImapIntake({ imap: imapOf(box), cursor, deps: { intake: first, contacts: testContacts, unsigned: fakeUnsigned() } });
    a.start();
    await dead;
    void a.stop(); // closes its connection; its pending submission never resolves
    expect(first.completed).toHaveLength(2);
    const second = fakeIntake(corpus.trust);
    const b = new ImapIntake({ imap: imapOf(box), cursor, deps: { intake: second, contacts: testContacts, unsigned: fakeUnsigned() } });
    b.start();
    try {
      await until('INBOX drained', async () => (await folders(box)).INBOX!.length === 0);
    } finally { await b.stop(); }
    // Each mail exactly once over both processes, none missed (the order is the UID order, which
    // Postfix's parallel LMTP deliveries may make differ from the sending order).
    expect(second.completed).toHaveLength(3);
    expect([...first.completed, ...second.completed].sort()).toEqual([...ids].sort());
    expect((await folders(box)).Processed).toEqual([...ids].sort());
  });

  it('restart with a pending move: finishes the move without handling the mail again; a cursor of another UIDVALIDITY is ignored', async () => {
    if (!mail.available) return;
    const box = mail.servers.createMailbox();
    const ids = ['op-cmcc-restart-0', 'op-cmcc-restart-1'];
    await deliverAndWait(box, await Promise.all(ids.map(async (id) => ({ from: 'a@example.org', subject: id, text: 'x', attachments: [{ content: await corpus.signIncident(id), contentType: 'application/xml' }] }))));
    const probe = new ImapFlow({ ...imapOf(box), logger: false });
    await probe.connect();
    const opened = await probe.mailboxOpen('INBOX');
    const listed = (await probe.fetchAll('1:*', { uid: true, envelope: true })).sort((a, b) => a.uid - b.uid);
    const uids = listed.map((m) => m.uid);
    const [firstId, secondId] = listed.map((m) => m.envelope?.subject ?? '');
    await probe.logout();
    // The first mail was handled (rejected) and the process died before its MOVE.
    const cursor = memoryCursorStore();
    await cursor.save('INBOX', { uidValidity: String(opened.uidValidity), lastUid: uids[0]!, pendingMove: { uid: uids[0]!, folder: 'rejected' } });
    const intake = fakeIntake(corpus.trust);
    const loop = new ImapIntake({ imap: imapOf(box), cursor, deps: { intake, contacts: testContacts, unsigned: fakeUnsigned() } });
    loop.start();
    try {
      await until('INBOX drained', async () => (await folders(box)).INBOX!.length === 0);
    } finally { await loop.stop(); }
    expect(intake.completed).toEqual([secondId]);
    expect(await folders(box)).toMatchObject({ Rejected: [firstId], Processed: [secondId] });
    expect(cursor.cursors.get('INBOX')).toEqual({ uidValidity: String(opened.uidValidity), lastUid: uids[1] });

    // A cursor saved under another UIDVALIDITY (the mailbox was recreated) says nothing: start from 0.
    const other = mail.servers.createMailbox();
    await deliverAndWait(other, [{ from: 'a@example.org', subject: 'fresh', text: 'x', attachments: [{ content: await corpus.signIncident('op-cmcc-fresh'), contentType: 'application/xml' }] }]);
    const stale = memoryCursorStore();
    await stale.save('INBOX', { uidValidity: '1', lastUid: 1000 });
    const intake2 = fakeIntake(corpus.trust);
    const loop2 = new ImapIntake({ imap: imapOf(other), cursor: stale, deps: { intake: intake2, contacts: testContacts, unsigned: fakeUnsigned() } });
    loop2.start();
    try {
      await until('INBOX drained', async () => (await folders(other)).INBOX!.length === 0);
    } finally { await loop2.stop(); }
    expect(intake2.completed).toEqual(['op-cmcc-fresh']);
  });
});
