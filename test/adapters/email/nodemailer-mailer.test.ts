import { simpleParser } from 'mailparser';
import { createTransport, type SendMailOptions } from 'nodemailer';
import { nodemailerMailer } from '../../../adapters/email';
import { correlationKey, verifiedDeliveryIds } from '../../../adapters/email/dsn';
import { TestClock } from '../../../gateway/clock';
import { issueGatewayIdentity } from '../../../gateway/identity';
import { createDevCa } from '../../../gateway/signing/dev-pki';

describe('nodemailerMailer', () => {
  const now = new Date('2026-11-28T02:00:00Z');
  const credential = issueGatewayIdentity(createDevCa({ now, keyType: 'ec' }), { now }).credential;
  const clock = new TestClock(now);

  it('sends an S/MIME-signed mail with the signed document attached byte for byte, a Chinese-first summary and the delivery tag', async () => {
    const transport = createTransport({ streamTransport: true, buffer: true });
    const sent: Buffer[] = [];
    const options: SendMailOptions[] = [];
    const mailer = nodemailerMailer({ from: 'gateway@gw.example', credential, clock, transport: { sendMail: async (m) => { options.push(m); const i = await transport.sendMail(m); sent.push(i.message as Buffer); return i; } } });
    const bytes = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<Message>签名 \r\n kept as is</Message>\n', 'utf8');
    await mailer.send({ to: 'duty@ca11.example.cn', deliveryId: 'dlv-00000007', messageId: 'op-cmcc-20261128-0007', type: 'IncidentReport', format: 'xml', bytes });
    expect(sent).toHaveLength(1);
    const parsed = await simpleParser(sent[0]!);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : '').toBe('duty@ca11.example.cn');
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/signed', params: { protocol: 'application/pkcs7-signature', micalg: 'sha-256' } });
    const doc = parsed.attachments.find((a) => a.filename === 'op-cmcc-20261128-0007.xml');
    expect(doc?.content.equals(bytes)).toBe(true);
    expect(parsed.attachments.find((a) => a.contentType === 'application/pkcs7-signature')?.filename).toBe('smime.p7s');
    const text = parsed.text ?? '';
    expect(text).toContain('op-cmcc-20261128-0007');
    expect(text.indexOf('报文编号')).toBeLessThan(text.indexOf('A new'));
    expect(parsed.headers.get('x-mmgw-delivery')).toBe('dlv-00000007');
    expect(parsed.date?.toISOString()).toBe(now.toISOString());
    // The Message-ID and the DSN envelope id carry a tag only this gateway's key makes.
    const key = correlationKey(credential);
    expect(verifiedDeliveryIds(key, parsed.messageId ?? '').ids).toEqual(['dlv-00000007']);
    expect(options[0]!.envelope).toEqual({ from: 'gateway@gw.example', to: ['duty@ca11.example.cn'] });
    expect(verifiedDeliveryIds(key, String((options[0]!.dsn as { id: string }).id)).ids).toEqual(['dlv-00000007']);
    const otherKey = correlationKey(issueGatewayIdentity(createDevCa({ now, keyType: 'ec' }), { now }).credential);
    expect(verifiedDeliveryIds(otherKey, parsed.messageId ?? '')).toEqual({ ids: [], forged: 1 });
  });

  it('mails an alert S/MIME-signed, its text in the body and the alert as JSON attached', async () => {
    const transport = createTransport({ streamTransport: true, buffer: true });
    const sent: Buffer[] = [];
    const mailer = nodemailerMailer({ from: 'gateway@gw.example', credential, clock, transport: { sendMail: async (m) => { const i = await transport.sendMail(m); sent.push(i.message as Buffer); return i; } } });
    const json = Buffer.from('{"alertId":"alr-00000003","kind":"reminder"}');
    await mailer.sendAlert({ to: 'duty@op.example', alertId: 'alr-00000003', recipient: 'op-cmcc', kind: 'reminder', subject: '时限提醒 / deadline reminder', text: '请于今日 12:00 前反馈。\nFeedback due today 12:00.', json });
    const parsed = await simpleParser(sent[0]!);
    expect(parsed.subject).toBe('时限提醒 / deadline reminder');
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/signed' });
    expect(parsed.text).toContain('请于今日 12:00 前反馈');
    expect(parsed.attachments.find((a) => a.filename === 'alr-00000003.json')?.content.equals(json)).toBe(true);
    expect(parsed.headers.get('x-mmgw-alert')).toBe('alr-00000003');
  });

  it('rejects when the transport does not take the mail, so the worker retries', async () => {
    const mailer = nodemailerMailer({ from: 'g@gw.example', credential, clock, transport: { sendMail: () => Promise.reject(new Error('connection refused')) } });
    await expect(mailer.send({ to: 'x@y.example', deliveryId: 'dlv-00000001', messageId: 'm', type: 'IncidentReport', format: 'json', bytes: Buffer.from('{}') })).rejects.toThrow('connection refused');
  });
});
