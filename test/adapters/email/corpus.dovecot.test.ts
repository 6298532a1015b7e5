import type { Transporter } from 'nodemailer';
import type { ContactDirectory } from '../../../adapters/email/classify-mail';
import { ImapIntake } from '../../../adapters/email/imap-intake';
import { memoryCursorStore } from '../../../adapters/email/ports';
import type { MailReport } from '../../../adapters/email/process-mail';
import { replyFor } from '../../../adapters/email/reply-text';
import { imapOptions, smtpTransport, subjectsIn, useMailServers, waitFor, type TestMailbox } from '../../support/mail-servers';
import { base64Lines, boundary, compose, crlf, fakeIntake, fakeUnsigned, signedCorpus, type SignedCorpus } from './fixtures';

// Deadlines, not timings: a 30 MB mail through Postfix and Dovecot on a loaded CI machine takes a while.
jest.setTimeout(240_000);

/**
 * The corpus of difficult mails end to end (issue 7, Done when): each mail goes through a real
 * Postfix into a real Dovecot, the intake loop reads it over IMAP, and each ends in the right
 * folder with the right reply (delivered back through Postfix to the sender's mailbox).
 */
describe('the corpus of difficult mails through Postfix → Dovecot → ImapIntake', () => {
  const mail = useMailServers(__filename);
  let corpus: SignedCorpus;
  let smtp: Transporter;
  beforeAll(async () => {
    corpus = await signedCorpus();
    if (mail.available) smtp = smtpTransport(mail.servers);
  });
  afterAll(() => smtp?.close());

  const imapOf = (box: TestMailbox) => imapOptions(mail.servers, box);

  const subjects = async (box: TestMailbox, folder: string) => (await subjectsIn(mail.servers, box, folder)).sort();

  const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 150_000): Promise<void> => void (await waitFor(mail.servers, what, check, { timeoutMs, tolerateErrors: true }));

  it('every mail ends in the right folder with the right reply; none is dropped', async () => {
    if (!mail.available) return;
    const s = mail.servers;
    const gw = s.createMailbox('gw');
    const sender = (name: string) => s.createMailbox(name);
    const senders = {
      gbk: sender('gbk'), nameless: sender('noname'), forwarded: sender('fwd'), two: sender('two'), truncated: sender('cut'),
      big: sender('big'), forged: sender('forged'), tampered: sender('bad'), stranger: sender('stranger'), contact: sender('contact'),
    };
    const contacts: ContactDirectory = { institutionOfContact: async (a) => (a === senders.contact.address ? 'op-cmcc' : undefined) };
    const send = (from: TestMailbox, raw: Buffer) => smtp.sendMail({ envelope: { from: from.address, to: [gw.address] }, raw });
    const b = boundary();
    const gbkSubject = Buffer.from([0xd6, 0xd0, 0xb9, 0xfa, 0xd2, 0xc6, 0xb6, 0xaf]).toString('base64'); // 中国移动
    const signed = Object.fromEntries(await Promise.all(['gbk', 'nameless', 'fwd', 'two', 'cut', 'forged'].map(async (k) => [k, await corpus.signIncident(`e2e-${k}`)] as const)));

    await send(senders.gbk, Buffer.concat([
      Buffer.from(crlf(`From: ${senders.gbk.address}\nTo: ${gw.address}\nSubject: =?GBK?B?${gbkSubject}?=\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="${b}"\n\n--${b}\nContent-Type: text/plain; charset=GBK\nContent-Transfer-Encoding: 8bit\n\n`), 'latin1'),
      Buffer.from([0xd6, 0xd0, 0xb9, 0xfa, 0xd2, 0xc6, 0xb6, 0xaf]),
      Buffer.from(crlf(`\n--${b}\nContent-Type: application/xml; name="=?GBK?B?${gbkSubject}?=.xml"\nContent-Transfer-Encoding: base64\n\n${base64Lines(Buffer.from(signed.gbk!))}\n--${b}--\n`), 'latin1'),
    ]));
    await send(senders.nameless, Buffer.from(crlf(`From: ${senders.nameless.address}\nTo: ${gw.address}\nSubject: nameless\nContent-Type: multipart/mixed; boundary="${b}"\n\n--${b}\nContent-Type: text/plain\n\nsee attachment\n--${b}\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n${base64Lines(Buffer.from(signed.nameless!))}\n--${b}--\n`)));
    const inner = await compose({ from: 'ops@example.cn', to: 'x@example.cn', subject: 'inner', text: 'inner', attachments: [{ content: signed.fwd!, contentType: 'application/xml' }] });
    await send(senders.forwarded, await compose({ from: senders.forwarded.address, to: gw.address, subject: 'forwarded', text: 'fwd', attachments: [{ content: inner, contentType: 'message/rfc822', contentDisposition: 'attachment' }] }));
    await send(senders.two, await compose({ from: senders.two.address, to: gw.address, subject: 'two forms', text: 'two', attachments: [{ content: signed.two!, contentType: 'application/xml' }, { content: corpus.feedbackJws, contentType: 'application/json' }] }));
    await send(senders.truncated, Buffer.from(crlf(`From: ${senders.truncated.address}\nTo: ${gw.address}\nSubject: truncated\nContent-Type: multipart/mixed; boundary="${b}"\n\n--${b}\nContent-Type: application/xml\n\n${signed.cut!}\n--${b}\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nQUJDREVG`)));
    await send(senders.big, await compose({ from: senders.big.address, to: gw.address, subject: 'big', text: 'big', attachments: [{ filename: 'dump.bin', content: Buffer.alloc(30 * 1024 * 1024, 1) }, { content: corpus.incidentXml, contentType: 'application/xml' }] }));
    await send(senders.forged, await compose({ from: `工信部 <${senders.forged.address}>`, to: gw.address, subject: 'forged from', text: 'x', attachments: [{ content: signed.forged!, contentType: 'application/xml' }] }));
    await send(senders.tampered, await compose({ from: senders.tampered.address, to: gw.address, subject: 'tampered', text: 'x', attachments: [{ content: corpus.incidentXml.replace('GhostPush', 'GhostPusH'), contentType: 'application/xml' }] }));
    await send(senders.stranger, await compose({ from: senders.stranger.address, to: gw.address, subject: 'stranger', text: 'hello, unsigned' }));
    await send(senders.contact, await compose({ from: senders.contact.address, to: gw.address, subject: 'emergency', text: '控制服务器已封堵，书面反馈随后补报。' }));

    const intake = fakeIntake(corpus.trust);
    const unsigned = fakeUnsigned();
    const reports: MailReport[] = [];
    const receivedAt = new Date('2026-11-28T02:52:01Z');
    const loop = new ImapIntake({
      imap: imapOf(gw), cursor: memoryCursorStore(), deps: { intake, contacts, unsigned },
      onHandled: async (report) => {
        reports.push(report);
        const reply = replyFor(report, { originalSubject: report.subject ?? '', receivedAt });
        if (reply && report.replyTo) await smtp.sendMail({ from: gw.address, to: report.replyTo.address, subject: reply.subject, text: reply.text });
      },
    });
    const started = Date.now();
    loop.start();
    try {
      await until('all ten mails handled', async () => reports.length === 10 && (await subjects(gw, 'INBOX')).length === 0);
    } finally { await loop.stop(); }
    const seconds = (Date.now() - started) / 1000;

    expect(await subjects(gw, 'Processed')).toEqual(['emergency', 'forged from', 'forwarded', 'nameless', 'truncated', 'two forms', '中国移动'].sort());
    expect(await subjects(gw, 'Rejected')).toEqual(['big', 'tampered']);
    expect(await subjects(gw, 'Quarantine')).toEqual(['stranger']);
    expect(intake.completed.sort()).toEqual(['e2e-cut', 'e2e-forged', 'e2e-fwd', 'e2e-gbk', 'e2e-nameless', 'e2e-two', (JSON.parse(Buffer.from((JSON.parse(corpus.feedbackJws) as { payload: string }).payload, 'base64url').toString()) as { id: string }).id, 'op-cmcc-20261128-0007'].sort());
    expect(unsigned.recorded).toEqual([senders.contact.address]);
    expect(reports.find((r) => r.subject === 'truncated')?.mail?.problems.map((p) => p.code)).toEqual(['email.truncated-part']);
    expect(reports.find((r) => r.subject === 'big')).toMatchObject({ classification: { code: 'email.too-large' }, replyTo: { address: senders.big.address } });

    const expectedReply: Record<keyof typeof senders, string | undefined> = {
      gbk: '[回执 / Receipt]: 中国移动', nameless: '[回执 / Receipt]: nameless', forwarded: '[回执 / Receipt]: forwarded', two: '[回执 / Receipt]: two forms',
      truncated: '[回执 / Receipt]: truncated', big: '[退回 / Rejection]: big', forged: '[回执 / Receipt]: forged from', tampered: '[退回 / Rejection]: tampered',
      stranger: undefined, contact: '[紧急通报已登记 / Emergency notice recorded]: emergency',
    };
    for (const [key, subject] of Object.entries(expectedReply) as [keyof typeof senders, string | undefined][]) {
      if (subject) await until(`the reply to ${key}`, async () => (await subjects(senders[key], 'INBOX')).includes(subject), 30_000);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await subjects(senders.stranger, 'INBOX')).toEqual([]);
    console.log(`corpus: 10 difficult mails (one of 30 MB) handled over IMAP in ${seconds.toFixed(2)} s`);
  });
});
