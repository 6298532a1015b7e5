import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { createTransport, type Transporter } from 'nodemailer';
import { contactDirectoryFor, ImapIntake, intakePortFor, mailReplier, storeCursor } from '../../../adapters/email';
import { useMailServers, type TestMailbox } from '../../support/mail-servers';
import { example, openWorld, signed, sqliteUrls, type World } from '../../gateway/intake/world';

/**
 * The e-mail channel wired to the real gateway Intake (SQLite store, demo registry, dev PKI),
 * over a real Postfix → Dovecot: the signed form is accepted and the Receipt comes back by mail;
 * a tampered one is rejected with the Rejection attached.
 */
jest.setTimeout(30_000);

describe('e-mail intake through the gateway Intake, Postfix → Dovecot', () => {
  const mail = useMailServers(__filename);
  const urls = sqliteUrls();
  let w: World;
  let smtp: Transporter;
  beforeAll(async () => {
    w = await openWorld(urls() ?? '');
    if (mail.available) smtp = createTransport({ host: mail.servers.host, port: mail.servers.smtpPort, secure: false, ignoreTLS: true });
  });
  afterAll(async () => { smtp?.close(); await w.ds.destroy(); });

  const imapOf = (box: TestMailbox) => ({ host: mail.servers.host, port: mail.servers.imapPort, secure: false, auth: { user: box.user, pass: box.password } });

  /** Every mail of `folder` (subject and raw bytes); [] when the folder does not exist. */
  async function mailsIn(box: TestMailbox, folder: string): Promise<{ subject: string; source: Buffer }[]> {
    const client = new ImapFlow({ ...imapOf(box), logger: false });
    await client.connect();
    try {
      const status = await client.status(folder, { messages: true }).catch(() => undefined);
      if (!status || (status.messages ?? 0) === 0) return [];
      const lock = await client.getMailboxLock(folder);
      try {
        return (await client.fetchAll('1:*', { envelope: true, source: true })).map((m) => ({ subject: m.envelope?.subject ?? '', source: m.source ?? Buffer.alloc(0) }));
      } finally { lock.release(); }
    } finally { await client.logout(); }
  }

  async function until<T>(what: string, get: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await get();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${mail.servers.logs().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('accepts a signed IncidentReport (Processed, Receipt replied) and refuses a tampered one (Rejected, Rejection replied)', async () => {
    if (!mail.available) return;
    const gateway = mail.servers.createMailbox('gw');
    const sender = mail.servers.createMailbox('op');
    const good = await signed(w, example('incident-report'), 'xml');
    const tampered = Buffer.from((await signed(w, example('incident-report'), 'xml')).toString('utf8').replace('<reporter>李强</reporter>', '<reporter>李四</reporter>'));
    await smtp.sendMail({ from: sender.address, to: gateway.address, subject: 'good', text: '附件', attachments: [{ filename: 'r.xml', content: good, contentType: 'application/xml' }] });
    await smtp.sendMail({ from: sender.address, to: gateway.address, subject: 'tampered', text: '附件', attachments: [{ filename: 'r.xml', content: tampered, contentType: 'application/xml' }] });
    await until('2 mails in INBOX', async () => ((await mailsIn(gateway, 'INBOX')).length === 2 ? true : undefined));

    const contacts = contactDirectoryFor(w.ds);
    const errors: Error[] = [];
    const loop = new ImapIntake({
      imap: imapOf(gateway), cursor: storeCursor(w.ds),
      deps: { intake: intakePortFor(w.intake), contacts, unsigned: { recordUnsigned: () => Promise.reject(new Error('no unsigned mail expected')) } },
      onHandled: mailReplier({ transport: smtp, from: gateway.address, contacts, clock: w.clock }),
      onError: (e) => errors.push(e), backoff: { initialMs: 50, maxMs: 200 },
    });
    loop.start();
    try {
      await until('INBOX drained', async () => ((await mailsIn(gateway, 'INBOX')).length === 0 ? true : undefined));
    } finally { await loop.stop(); }
    expect((await mailsIn(gateway, 'Processed')).map((m) => m.subject)).toEqual(['good']);
    expect((await mailsIn(gateway, 'Rejected')).map((m) => m.subject)).toEqual(['tampered']);
    expect(errors).toEqual([]);
    expect(w.accepted).toHaveLength(1);
    expect((await storeCursor(w.ds).load('INBOX'))?.lastUid).toBe(2);

    const replies = await until('2 replies', async () => { const r = await mailsIn(sender, 'INBOX'); return r.length === 2 ? r : undefined; });
    const parsed = await Promise.all(replies.map((r) => simpleParser(r.source)));
    const names = parsed.flatMap((p) => p.attachments.map((a) => a.filename ?? '')).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^receipt-op-cmcc-.+\.xml$/);
    expect(names[1]).toBe('rejection-1.xml');
    const receipt = parsed.flatMap((p) => p.attachments).find((a) => a.filename?.startsWith('receipt-'));
    expect(receipt?.content.toString('utf8')).toContain('Receipt');
  });
});
