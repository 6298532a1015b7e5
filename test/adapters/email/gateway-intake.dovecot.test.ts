import { simpleParser } from 'mailparser';
import type { Transporter } from 'nodemailer';
import { Workbook } from 'exceljs';
import { contactDirectoryFor, handledBy, ImapIntake, intakePortFor, mailReplier, quarantineAlerter, storeCursor, unsignedMailPortFor } from '../../../adapters/email';
import { ContactPersonEntity } from '../../../gateway/contacts/entities';
import { obligationHooks } from '../../../gateway/obligations/hooks';
import { ObligationEntity } from '../../../gateway/obligations/entities';
import { OutboxEntity } from '../../../gateway/store';
import { imapOptions, mailsIn as mailsOf, smtpTransport, useMailServers, waitFor, type TestMailbox } from '../../support/mail-servers';
import { example, openWorld, signed, sqliteUrls, type World } from '../../gateway/intake/world';

/**
 * The e-mail channel wired to the real gateway Intake (SQLite store, demo registry, dev PKI),
 * over a real Postfix → Dovecot: the signed form is accepted and the Receipt comes back by mail;
 * a tampered one is rejected with the Rejection attached.
 */
jest.setTimeout(90_000); // a deadline for a loaded CI machine, not a timing

describe('e-mail intake through the gateway Intake, Postfix → Dovecot', () => {
  const mail = useMailServers(__filename);
  const urls = sqliteUrls();
  let w: World;
  let smtp: Transporter;
  beforeAll(async () => {
    w = await openWorld(urls() ?? '');
    if (mail.available) smtp = smtpTransport(mail.servers);
  });
  afterAll(async () => { smtp?.close(); await w.ds.destroy(); });

  const imapOf = (box: TestMailbox) => imapOptions(mail.servers, box);

  /** Every mail of `folder` (subject and raw bytes); [] when the folder does not exist. */
  const mailsIn = (box: TestMailbox, folder: string) => mailsOf(mail.servers, box, folder);

  const until = <T,>(what: string, get: () => Promise<T | undefined>, timeoutMs = 15_000) => waitFor(mail.servers, what, get, { timeoutMs });

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

  it('Art. 15 over real mail: an unsigned mail from a contact is recorded as an EmergencyNotice (Processed, reply with the notice); an unsigned .xlsx is refused (Rejected, reply with how to sign); a stranger is quarantined with an alert and no reply', async () => {
    if (!mail.available) return;
    const gateway = mail.servers.createMailbox('gw');
    const contact = mail.servers.createMailbox('sec');
    const stranger = mail.servers.createMailbox('who');
    await w.ds.getRepository(ContactPersonEntity).save([{ institutionCode: 'op-cucc', role: 'contact', position: 0, name: '张伟', phone: '010-66001234', mobile: null, email: contact.address }]);
    const wb = new Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['序号', '处置时间', '恶意程序名称', '已直接提示的用户数量']);
    ws.addRow([1, '2026-11-27T18:00:00+08:00', 'a.privacy.emial.d', 12]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    await smtp.sendMail({ from: contact.address, to: gateway.address, subject: 'emergency', text: '发现 GhostPush 大规模传播，书面报告随后补报。' });
    await smtp.sendMail({ from: contact.address, to: gateway.address, subject: 'monthly', text: '见附件', attachments: [{ content: xlsx }] });
    await smtp.sendMail({ from: stranger.address, to: gateway.address, subject: 'stranger', text: 'hello' });
    await until('3 mails in INBOX', async () => ((await mailsIn(gateway, 'INBOX')).length === 3 ? true : undefined));

    const hooks = obligationHooks();
    const contacts = contactDirectoryFor(w.ds);
    const lines: string[] = [];
    const loop = new ImapIntake({
      // Its own cursor row: the first test's mailbox may share this one's UIDVALIDITY (both made the same second).
      imap: imapOf(gateway), cursor: { load: (m) => storeCursor(w.ds).load(`art15:${m}`), save: (m, c) => storeCursor(w.ds).save(`art15:${m}`, c) },
      deps: { intake: intakePortFor(w.intakeWith({ hooks })), contacts, unsigned: unsignedMailPortFor({ dataSource: w.ds, identity: w.identity, clock: w.clock, hooks }) },
      onHandled: handledBy(quarantineAlerter({ dataSource: w.ds, clock: w.clock, log: (l) => lines.push(l) }), mailReplier({ transport: smtp, from: gateway.address, contacts, clock: w.clock })),
      backoff: { initialMs: 50, maxMs: 200 },
    });
    loop.start();
    try {
      await until('INBOX drained', async () => ((await mailsIn(gateway, 'INBOX')).length === 0 ? true : undefined));
    } finally { await loop.stop(); }
    expect((await mailsIn(gateway, 'Processed')).map((m) => m.subject)).toEqual(['emergency']);
    expect((await mailsIn(gateway, 'Rejected')).map((m) => m.subject)).toEqual(['monthly']);
    expect((await mailsIn(gateway, 'Quarantine')).map((m) => m.subject)).toEqual(['stranger']);
    expect(await w.ds.manager.findOneBy(ObligationEntity, { obligation: 'written-followup', party: 'op-cucc' })).toMatchObject({ state: 'open', subject: 'IncidentReport' });
    expect(await w.ds.manager.countBy(OutboxEntity, { topic: 'email.quarantined' })).toBe(1);
    expect(lines).toHaveLength(1);

    const replies = await until('2 replies to the contact', async () => { const r = await mailsIn(contact, 'INBOX'); return r.length === 2 ? r : undefined; });
    const parsed = (await Promise.all(replies.map((r) => simpleParser(r.source)))).sort((a, b) => String(a.subject).localeCompare(String(b.subject)));
    expect(parsed.map((p) => p.subject)).toEqual(['[紧急通报已登记 / Emergency notice recorded]: emergency', '[退回：电子表格未签名 / Rejection: unsigned spreadsheet]: monthly']);
    expect(parsed[0]!.text).toContain('第十五条');
    expect(parsed[0]!.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/^emergency-notice-mmgw-en-[0-9a-f]+\.jws\.json$/) as string]);
    expect(parsed[1]!.text).toContain('1 disposal row valid');
    expect(parsed[1]!.attachments.map((a) => a.filename)).toEqual(['rejection-1.jws.json']);
    await new Promise((r) => setTimeout(r, 300));
    expect(await mailsIn(stranger, 'INBOX')).toEqual([]);
  });
});
