import { correlationKey, deliveryReportHandler, deliveryTag, isDeliveryReport, readDeliveryReport } from '../../../adapters/email/dsn';
import { processMail } from '../../../adapters/email/process-mail';
import { replyFor } from '../../../adapters/email/reply-text';
import { deliveryContext, deliveryRef } from '../../../gateway/deliveries';
import { openDelivery } from '../../../gateway/deliveries/open-delivery';
import { DeliveryEntity, InstitutionEntity, transaction } from '../../../gateway/store';
import { example, openWorld, signed, sqliteUrls, type World } from '../../gateway/intake/world';

/** An RFC 3464 report as Postfix writes one, for `tag` (in ENVID and the returned Message-ID) and `action`. */
function dsn(tag: string | undefined, action: 'failed' | 'delayed', recipient = 'nobody@ca11.example'): Buffer {
  const b = 'B0UND4RY';
  return Buffer.from([
    'From: MAILER-DAEMON@mx.example (Mail Delivery System)',
    'To: gw@gw.example',
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary="${b}"`,
    '',
    `--${b}`,
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.example.',
    '',
    `--${b}`,
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example',
    ...(tag ? [`Original-Envelope-Id: ${tag}`] : []),
    'Arrival-Date: Sat, 28 Nov 2026 03:00:00 +0000 (UTC)',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    `Action: ${action}`,
    `Status: ${action === 'failed' ? '5.1.1' : '4.4.1'}`,
    `Diagnostic-Code: smtp; 550 5.1.1 <${recipient}>: Recipient address rejected:`,
    '    User unknown in virtual mailbox table',
    '',
    `--${b}`,
    'Content-Description: Undelivered Message Headers',
    'Content-Type: text/rfc822-headers',
    '',
    'From: gw@gw.example',
    `To: ${recipient}`,
    ...(tag ? [`Message-ID: <${tag}@gw.example>`] : ['Message-ID: <something-else@gw.example>']),
    'Subject: [移动恶意程序监测与处置]',
    '',
    `--${b}--`,
    '',
  ].join('\r\n'), 'utf8');
}

describe('delivery status notifications (RFC 3464)', () => {
  const urls = sqliteUrls();
  let w: World;
  beforeAll(async () => { w = await openWorld(urls()!); });
  afterAll(() => w.ds.destroy());

  async function sentEmailDelivery(): Promise<{ id: number; ref: string; messageId: string }> {
    await w.ds.getRepository(InstitutionEntity).update({ code: 'miit' }, { channels: [{ kind: 'email', endpoint: 'nobody@ca11.example' }, { kind: 'mailbox' }] });
    const accepted = await w.intake.submit({ bytes: await signed(w, example('incident-report'), 'json') });
    if (!accepted.accepted) throw new Error('not accepted');
    const { row } = await transaction(w.ds, (m) => openDelivery(m, { messageId: accepted.messageId, recipientCode: 'miit', role: 'to', channel: 'email' }, w.clock.now()));
    await w.ds.getRepository(DeliveryEntity).update({ id: row.id }, { status: 'sent' });
    return { id: row.id, ref: deliveryRef(row.id), messageId: accepted.messageId };
  }

  it('reads the report: per-message and per-recipient fields, continuation lines, the returned headers', async () => {
    expect(isDeliveryReport(dsn('dlv-00000001.abc', 'failed'))).toBe(true);
    expect(isDeliveryReport(Buffer.from('Content-Type: multipart/report; report-type=disposition-notification; boundary=x\r\n\r\n'))).toBe(false);
    expect(isDeliveryReport(Buffer.from('Subject: hi\r\n\r\nContent-Type: multipart/report; report-type=delivery-status\r\n'))).toBe(false);
    const r = await readDeliveryReport(dsn('dlv-00000001.abc', 'failed'));
    expect(r).toMatchObject({ originalEnvelopeId: 'dlv-00000001.abc', recipients: [{ action: 'failed', finalRecipient: 'nobody@ca11.example', status: '5.1.1' }] });
    expect(r!.recipients[0]!.diagnostic).toContain('User unknown in virtual mailbox table');
    expect(r!.returnedHeaders).toContain('Message-ID: <dlv-00000001.abc@gw.example>');
  });

  it('through processMail: a failure falls back (Processed, no reply), a delay changes nothing, an unmatched report is quarantined', async () => {
    const key = correlationKey(w.identity.credential);
    const delivery = deliveryContext({ clock: w.clock });
    const handler = deliveryReportHandler({ dataSource: w.ds, delivery, credential: w.identity.credential });
    const deps = { intake: { submitForm: () => Promise.reject(new Error('no form expected')) }, contacts: { institutionOfContact: async () => undefined }, unsigned: { recordUnsigned: () => Promise.reject(new Error('no')) }, deliveryReports: handler };
    const ctx = { originalSubject: '', receivedAt: w.clock.now() };

    const delayed = await sentEmailDelivery();
    const r1 = await processMail(dsn(deliveryTag(key, delayed.ref), 'delayed'), deps);
    expect(r1).toMatchObject({ folder: 'processed', classification: { kind: 'delivery-report', failed: false, deliveryIds: [delayed.ref] } });
    expect((await w.ds.getRepository(DeliveryEntity).findOneBy({ id: delayed.id }))?.status).toBe('sent');

    const failed = await sentEmailDelivery();
    const r2 = await processMail(dsn(deliveryTag(key, failed.ref), 'failed'), deps);
    expect(r2).toMatchObject({ folder: 'processed', classification: { kind: 'delivery-report', failed: true, deliveryIds: [failed.ref] } });
    expect(replyFor(r2, ctx)).toBeUndefined();
    expect((await w.ds.getRepository(DeliveryEntity).findOneBy({ id: failed.id }))).toMatchObject({ status: 'fell-back', lastErrorCode: 'delivery.email-bounced' });

    const untagged = await processMail(dsn(undefined, 'failed'), deps);
    expect(untagged).toMatchObject({ folder: 'quarantine', classification: { kind: 'delivery-report', code: 'email.unmatched-report', deliveryIds: [] } });
    expect(replyFor(untagged, ctx)).toBeUndefined();

    const other = await sentEmailDelivery();
    const forged = await processMail(dsn(`${other.ref}.${'f'.repeat(24)}`, 'failed'), deps);
    expect(forged).toMatchObject({ folder: 'quarantine', classification: { code: 'email.unmatched-report' } });
    expect((await w.ds.getRepository(DeliveryEntity).findOneBy({ id: other.id }))?.status).toBe('sent');

    // Any other mail is not a report: processMail goes on as usual.
    expect(await handler(Buffer.from('From: a@b.example\r\nSubject: hi\r\n\r\nhello\r\n'))).toBeUndefined();
  });
});
