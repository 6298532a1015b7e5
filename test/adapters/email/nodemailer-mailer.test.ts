import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { nodemailerMailer } from '../../../adapters/email';

describe('nodemailerMailer', () => {
  it('sends the signed document attached byte for byte with a Chinese-first summary to the recipient', async () => {
    const transport = createTransport({ streamTransport: true, buffer: true });
    const sent: Buffer[] = [];
    const mailer = nodemailerMailer({ from: 'gateway@gw.example', transport: { sendMail: async (m) => { const i = await transport.sendMail(m); sent.push(i.message as Buffer); return i; } } });
    const bytes = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<Message>签名 \r\n kept as is</Message>\n', 'utf8');
    await mailer.send({ to: 'duty@ca11.example.cn', deliveryId: 'd-1', messageId: 'op-cmcc-20261128-0007', type: 'IncidentReport', format: 'xml', bytes });
    expect(sent).toHaveLength(1);
    const parsed = await simpleParser(sent[0]!);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : '').toBe('duty@ca11.example.cn');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]?.filename).toBe('op-cmcc-20261128-0007.xml');
    expect(parsed.attachments[0]?.content.equals(bytes)).toBe(true);
    const text = parsed.text ?? '';
    expect(text).toContain('op-cmcc-20261128-0007');
    expect(text.indexOf('报文编号')).toBeLessThan(text.indexOf('A new'));
    expect(parsed.headers.get('x-mmgw-delivery')).toBe('d-1');
  });

  it('rejects when the transport does not take the mail, so the worker retries', async () => {
    const mailer = nodemailerMailer({ from: 'g@gw.example', transport: { sendMail: () => Promise.reject(new Error('connection refused')) } });
    await expect(mailer.send({ to: 'x@y.example', deliveryId: 'd', messageId: 'm', type: 'IncidentReport', format: 'json', bytes: Buffer.from('{}') })).rejects.toThrow('connection refused');
  });
});
