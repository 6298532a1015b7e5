import type { Transporter } from 'nodemailer';
import { contactDirectoryFor, deliveryReportHandler, ImapIntake, intakePortFor, mailReplier, nodemailerMailer, oversizedReport, readDeliveryReport, storeCursor, type HandledReport } from '../../../adapters/email';
import { deliveryContext, deliveryRef } from '../../../gateway/deliveries';
import { openDelivery } from '../../../gateway/deliveries/open-delivery';
import { AuditEntryEntity, DeliveryEntity, InstitutionEntity, transaction } from '../../../gateway/store';
import { imapOptions, mailsIn as mailsOf, smtpTransport, useMailServers, waitFor, type TestMailbox } from '../../support/mail-servers';
import { example, openWorld, signed, sqliteUrls, type World } from '../../gateway/intake/world';

/**
 * Bounces over a real Postfix → Dovecot: the gateway's S/MIME delivery mail to an unknown user of
 * the test domain is refused by Dovecot's LMTP, Postfix sends its delivery status notification
 * back to the gateway's address, the IMAP intake reads it, and the delivery falls back to the
 * mailbox (`delivery.email-bounced`). The same DSN with a forged tag changes nothing and goes to
 * Quarantine. Neither is answered.
 */
jest.setTimeout(60_000);

describe('bounces of delivery mail (real Postfix DSN)', () => {
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

  const mailsIn = async (box: TestMailbox, folder: string): Promise<Buffer[]> => (await mailsOf(mail.servers, box, folder)).map((m) => m.source);

  const until = <T,>(what: string, get: () => Promise<T | undefined>, timeoutMs = 20_000) => waitFor(mail.servers, what, get, { timeoutMs, logTail: 3000 });

  it('a bounce makes the e-mail delivery fall back to the mailbox; a forged one is quarantined and changes nothing', async () => {
    if (!mail.available) return;
    const gateway = mail.servers.createMailbox('gw');
    const unknown = `nobody${Date.now()}@${mail.servers.domain}`;
    await w.ds.getRepository(InstitutionEntity).update({ code: 'miit' }, { channels: [{ kind: 'email', endpoint: unknown }, { kind: 'mailbox' }] });
    const bytes = await signed(w, example('incident-report'), 'xml');
    const accepted = await w.intake.submit({ bytes });
    if (!accepted.accepted) throw new Error('the example was not accepted');
    const { row } = await transaction(w.ds, (m) => openDelivery(m, { messageId: accepted.messageId, recipientCode: 'miit', role: 'to', channel: 'email' }, w.clock.now()));
    await w.ds.getRepository(DeliveryEntity).update({ id: row.id }, { status: 'sent', sentAt: w.clock.now() });
    const ref = deliveryRef(row.id);

    const mailer = nodemailerMailer({ transport: smtp, from: gateway.address, credential: w.identity.credential, clock: w.clock });
    await mailer.send({ to: unknown, deliveryId: ref, messageId: accepted.messageId, type: 'IncidentReport', format: 'xml', bytes });
    const [dsn] = await until('the bounce in the gateway INBOX', async () => { const r = await mailsIn(gateway, 'INBOX'); return r.length === 1 ? r : undefined; });
    const report = await readDeliveryReport(dsn!);
    expect(report?.recipients).toEqual([expect.objectContaining({ action: 'failed', finalRecipient: unknown })]);
    expect(report?.originalEnvelopeId).toMatch(new RegExp(`^${ref}\\.[0-9a-f]{24}$`));

    // The same bounce with its tags' MAC changed, sent in again: a forgery.
    const forged = Buffer.from(dsn!.toString('latin1').replace(new RegExp(`${ref}\\.([0-9a-f]{24})`, 'g'), `${ref}.${'0'.repeat(24)}`), 'latin1');
    await smtp.sendMail({ envelope: { from: '', to: [gateway.address] }, raw: forged });
    await until('the forged bounce in INBOX', async () => ((await mailsIn(gateway, 'INBOX')).length === 2 ? true : undefined));

    const handled: HandledReport[] = [];
    const contacts = contactDirectoryFor(w.ds);
    const sentReplies: unknown[] = [];
    const errors: Error[] = [];
    const delivery = deliveryContext({ clock: w.clock });
    const loop = new ImapIntake({
      imap: imapOf(gateway), cursor: storeCursor(w.ds),
      deps: {
        intake: intakePortFor(w.intake), contacts, unsigned: { recordUnsigned: () => Promise.reject(new Error('no unsigned mail expected')) },
        deliveryReports: deliveryReportHandler({ dataSource: w.ds, delivery, credential: w.identity.credential, onReport: (h) => handled.push(h) }),
      },
      onHandled: mailReplier({ transport: { sendMail: async (m) => { sentReplies.push(m); return {} as never; } }, from: gateway.address, contacts, clock: w.clock }),
      onError: (e) => errors.push(e), backoff: { initialMs: 50, maxMs: 200 },
    });
    loop.start();
    try {
      await until('INBOX drained', async () => ((await mailsIn(gateway, 'INBOX')).length === 0 ? true : undefined));
    } finally { await loop.stop(); }
    expect(errors).toEqual([]);
    expect(sentReplies).toEqual([]);
    expect((await mailsIn(gateway, 'Processed'))).toHaveLength(1);
    expect((await mailsIn(gateway, 'Quarantine'))).toHaveLength(1);
    expect(handled.map((h) => h.unmatched)).toEqual([false, true]);
    expect(handled[0]!.bounces).toEqual([expect.objectContaining({ outcome: 'fell-back', deliveryId: ref })]);

    const rows = await w.ds.getRepository(DeliveryEntity).find({ where: { messageId: accepted.messageId, recipientCode: 'miit' }, order: { id: 'ASC' } });
    expect(rows.map((r) => [r.channel, r.status, r.lastErrorCode])).toEqual([['email', 'fell-back', 'delivery.email-bounced'], ['mailbox', 'queued', null]]);
    const audit = await w.ds.getRepository(AuditEntryEntity).find({ where: { kind: 'fall-back', subject: accepted.messageId } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).toContain(unknown);
  });

  it('a bounce of a gateway reply (tagged rpl-…) is recorded and goes to Processed; the same bounce with a forged tag, or an untagged one, to Quarantine', async () => {
    if (!mail.available) return;
    const gateway = mail.servers.createMailbox('gw');
    const unknown = `gone${Date.now()}@${mail.servers.domain}`;
    const contacts = contactDirectoryFor(w.ds);
    // The intake answers a mail from an address that no longer exists (here: a refusal of a too-large mail).
    const replier = mailReplier({ transport: smtp, from: gateway.address, contacts, clock: w.clock, credential: w.identity.credential });
    await replier(oversizedReport(40_000_000, 30_000_000, { replyTo: { address: unknown }, subject: 'big report' }));
    const [dsn] = await until('the bounce of the reply in the gateway INBOX', async () => { const r = await mailsIn(gateway, 'INBOX'); return r.length === 1 ? r : undefined; });
    const report = await readDeliveryReport(dsn!);
    expect(report?.recipients).toEqual([expect.objectContaining({ action: 'failed', finalRecipient: unknown })]);
    const tag = /^(rpl-[0-9a-f]{16})\.[0-9a-f]{24}$/.exec(report?.originalEnvelopeId ?? '');
    expect(tag).not.toBeNull();
    const replyId = tag![1]!;

    const forged = Buffer.from(dsn!.toString('latin1').replace(new RegExp(`${replyId}\\.([0-9a-f]{24})`, 'g'), `${replyId}.${'0'.repeat(24)}`), 'latin1');
    const untagged = Buffer.from(dsn!.toString('latin1').replace(new RegExp(`${replyId}\\.([0-9a-f]{24})`, 'g'), 'some-other-id'), 'latin1');
    await smtp.sendMail({ envelope: { from: '', to: [gateway.address] }, raw: forged });
    await smtp.sendMail({ envelope: { from: '', to: [gateway.address] }, raw: untagged });
    await until('the forged and untagged bounces in INBOX', async () => ((await mailsIn(gateway, 'INBOX')).length === 3 ? true : undefined));

    const handled: HandledReport[] = [];
    const sentReplies: unknown[] = [];
    const errors: Error[] = [];
    const loop = new ImapIntake({
      imap: imapOf(gateway), cursor: storeCursor(w.ds),
      deps: {
        intake: intakePortFor(w.intake), contacts, unsigned: { recordUnsigned: () => Promise.reject(new Error('no unsigned mail expected')) },
        deliveryReports: deliveryReportHandler({ dataSource: w.ds, delivery: deliveryContext({ clock: w.clock }), credential: w.identity.credential, onReport: (h) => handled.push(h) }),
      },
      onHandled: mailReplier({ transport: { sendMail: async (m) => { sentReplies.push(m); return {} as never; } }, from: gateway.address, contacts, clock: w.clock, credential: w.identity.credential }),
      onError: (e) => errors.push(e), backoff: { initialMs: 50, maxMs: 200 },
    });
    loop.start();
    try {
      await until('INBOX drained', async () => ((await mailsIn(gateway, 'INBOX')).length === 0 ? true : undefined));
    } finally { await loop.stop(); }
    expect(errors).toEqual([]);
    expect(sentReplies).toEqual([]);
    expect(handled.map((h) => [h.unmatched, h.replies])).toEqual([[false, [replyId]], [true, []], [true, []]]);
    expect(await mailsIn(gateway, 'Processed')).toHaveLength(1);
    expect(await mailsIn(gateway, 'Quarantine')).toHaveLength(2);

    const audit = await w.ds.getRepository(AuditEntryEntity).find({ where: { kind: 'email-reply-bounce' } });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ replyId, subject: expect.stringContaining('big report') as unknown, alert: true, recipients: [expect.objectContaining({ address: unknown })] });
  });
});
