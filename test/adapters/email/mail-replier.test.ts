import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { contactDirectoryFor, intakePortFor, mailReplier, processMail, type MailReport } from '../../../adapters/email';
import { ContactPersonEntity } from '../../../gateway/contacts/entities';
import { example, openWorld, signed, sqliteUrls, type World } from '../../gateway/intake/world';

const urls = sqliteUrls();
let w: World;
beforeAll(async () => {
  w = await openWorld(urls() ?? '');
  await w.ds.getRepository(ContactPersonEntity).save({ institutionCode: 'op-cmcc', role: 'contact', position: 0, name: '李强', phone: null, mobile: null, email: 'security@chinamobile.example.cn' });
});
afterAll(async () => { await w.ds.destroy(); });

/** A mail from `from` carrying `form` as an attachment, as raw bytes. */
async function mailWith(from: string, form: Buffer): Promise<Buffer> {
  const info = await createTransport({ streamTransport: true, buffer: true }).sendMail({ from, to: 'intake@gw.example', subject: '事件报告', text: '见附件', attachments: [{ filename: 'report.xml', content: form, contentType: 'application/xml' }] });
  return info.message as Buffer;
}

async function handle(raw: Buffer): Promise<{ report: MailReport; sent: Awaited<ReturnType<typeof simpleParser>> }> {
  const contacts = contactDirectoryFor(w.ds);
  const report = await processMail(raw, { intake: intakePortFor(w.intake), contacts, unsigned: { recordUnsigned: () => Promise.reject(new Error('not expected')) } });
  const transport = createTransport({ streamTransport: true, buffer: true });
  let out: Buffer | undefined;
  await mailReplier({ transport: { sendMail: async (m) => { const i = await transport.sendMail(m); out = i.message as Buffer; return i; } }, from: 'gateway@gw.example', contacts, clock: w.clock })(report);
  if (out === undefined) throw new Error('no reply sent');
  return { report, sent: await simpleParser(out) };
}

describe('mailReplier', () => {
  it('answers an accepted form to the sender and to the institution’s registered address, the signed Receipt attached unchanged, Chinese first', async () => {
    const { report, sent } = await handle(await mailWith('someone@elsewhere.example', await signed(w, example('incident-report'), 'xml')));
    expect(report.folder).toBe('processed');
    const to = (Array.isArray(sent.to) ? sent.to : [sent.to]).flatMap((t) => t?.value.map((v) => v.address) ?? []);
    expect(to.sort()).toEqual(['security@chinamobile.example.cn', 'someone@elsewhere.example']);
    const first = report.outcomes[0]?.outcome;
    if (first?.outcome !== 'accepted' || first.document === undefined) throw new Error('not accepted');
    expect(sent.attachments).toHaveLength(1);
    expect(sent.attachments[0]?.filename).toBe(`receipt-${first.messageId}.xml`);
    expect(sent.attachments[0]?.content.equals(first.document.bytes)).toBe(true);
    const text = sent.text ?? '';
    expect(text).toContain(first.messageId);
    expect(text.search(/[\u4e00-\u9fff]/)).toBeLessThan(text.search(/[A-Za-z]{4}/));
  });

  it('answers a tampered form to the sender only, with the signed Rejection attached', async () => {
    const good = await signed(w, example('incident-report'), 'xml');
    const tampered = Buffer.from(good.toString('utf8').replace('<reporter>李强</reporter>', '<reporter>李四</reporter>'));
    const { report, sent } = await handle(await mailWith('someone@elsewhere.example', tampered));
    expect(report.folder).toBe('rejected');
    expect(sent.to && !Array.isArray(sent.to) ? sent.to.value.map((v) => v.address) : []).toEqual(['someone@elsewhere.example']);
    expect(sent.attachments.map((a) => a.filename)).toEqual(['rejection-1.xml']);
    expect(sent.attachments[0]?.content.toString('utf8')).toContain('Rejection');
  });
});
