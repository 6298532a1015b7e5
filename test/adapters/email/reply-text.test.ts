import { formByName } from '../../../contracts/forms';
import { processMail } from '../../../adapters/email/process-mail';
import { beijingTime, emergencyNoticeReply, replyFor } from '../../../adapters/email/reply-text';
import { boundary, compose, crlf, fakeIntake, fakeUnsigned, signedCorpus, testContacts, type SignedCorpus } from './fixtures';

/** The replies' text: Chinese first, then English; every fact the sender needs, nothing from unverified headers. */
describe('reply text', () => {
  let corpus: SignedCorpus;
  beforeAll(async () => { corpus = await signedCorpus(); });
  const receivedAt = new Date('2026-11-28T02:52:01Z');
  const ctx = { originalSubject: '事件报告 report', receivedAt };
  const deps = () => ({ intake: fakeIntake(corpus.trust), contacts: testContacts, unsigned: fakeUnsigned() });
  const mailWith = (attachments: { content: string; contentType: string }[], from = 'x@example.org', text = 't') => compose({ from, subject: '事件报告 report', text, attachments });

  /** The Chinese part ends where the first Latin sentence starts; it must contain all Chinese text. */
  function expectChineseFirst(text: string): void {
    const firstEnglish = text.search(/The (gateway|mail)/);
    expect(firstEnglish).toBeGreaterThan(0);
    expect(/[\u4e00-\u9fff]/.test(text.slice(firstEnglish).replace(/《[^》]*》|[\u4e00-\u9fff]+ report/g, ''))).toBe(false);
    expect(/[\u4e00-\u9fff]/.test(text.slice(0, firstEnglish))).toBe(true);
  }

  it('Receipt: the form by its Chinese and English title, its id, the Beijing time; Chinese first', async () => {
    const report = await processMail(await mailWith([{ content: corpus.incidentXml, contentType: 'application/xml' }]), deps());
    const reply = replyFor(report, ctx)!;
    const form = formByName('IncidentReport')!;
    expect(reply.subject).toBe('[回执 / Receipt]: 事件报告 report');
    expect(reply.text).toContain(`《${form.title}》，编号 op-cmcc-20261128-0007`);
    expect(reply.text).toContain(`${form.titleEn} (IncidentReport), id op-cmcc-20261128-0007`);
    expect(reply.text).toContain('2026-11-28 10:52:01 (UTC+8)');
    expect(reply.text.indexOf('收到并受理')).toBeLessThan(reply.text.indexOf('received and accepted'));
    expectChineseFirst(reply.text);
  });

  it('a mail cut in transit: the Receipt of the intact form also says, in both languages, that part of the mail was lost', async () => {
    const b = boundary();
    const raw = Buffer.from(crlf(`From: x@example.org\nSubject: cut\nContent-Type: multipart/mixed; boundary="${b}"\n\n--${b}\nContent-Type: application/xml\n\n${corpus.incidentXml}\n--${b}\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nQUJDREVG`));
    const report = await processMail(raw, deps());
    const reply = replyFor(report, { ...ctx, originalSubject: 'cut' })!;
    expect(reply.subject).toBe('[回执 / Receipt]: cut');
    const zh = reply.text.indexOf('注意：邮件有部分内容未能读取');
    const en = reply.text.indexOf('Note: part of the mail could not be read');
    expect(zh).toBeGreaterThan(reply.text.indexOf('收到并受理'));
    expect(zh).toBeLessThan(reply.text.indexOf('received and accepted'));
    expect(en).toBeGreaterThan(reply.text.indexOf('received and accepted'));
    expect(reply.text.slice(en)).toContain(`email.truncated-part: the multipart body with boundary "${b}" has no closing boundary`);
    expectChineseFirst(reply.text);
  });

  it('Rejection: the stable reason code in both languages, how to send it again', async () => {
    const report = await processMail(await mailWith([{ content: corpus.incidentXml.replace('GhostPush', 'GhostPusH'), contentType: 'application/xml' }]), deps());
    const reply = replyFor(report, ctx)!;
    expect(reply.subject).toBe('[退回 / Rejection]: 事件报告 report');
    expect(reply.text).toContain('原因代码 signature.tampered');
    expect(reply.text).toContain('refused, code signature.tampered: ');
    expect(reply.text.indexOf('重新发送')).toBeLessThan(reply.text.indexOf('send the signed form again'));
  });

  it('a mail refused as too large gets a Rejection with email.too-large and why', async () => {
    const report = await processMail(await compose({ from: 'x@example.org', subject: 'big', text: 'x'.repeat(3000) }), { ...deps(), parse: { maxMailBytes: 1000 } });
    const reply = replyFor(report, { ...ctx, originalSubject: 'big' })!;
    expect(reply.text).toContain('原因代码 email.too-large');
    expect(reply.text).toMatch(/code email\.too-large: the mail has \d+ bytes, over the 1000/);
  });

  it('one form accepted and one refused: "partly accepted", all Chinese before all English', async () => {
    const report = await processMail(await mailWith([
      { content: corpus.incidentXml, contentType: 'application/xml' },
      { content: corpus.incidentXml.replace('GhostPush', 'GhostPusH'), contentType: 'application/xml' },
    ]), deps());
    const reply = replyFor(report, ctx)!;
    expect(reply.subject).toBe('[部分受理 / Partly accepted]: 事件报告 report');
    expect(reply.text.indexOf('未被受理')).toBeLessThan(reply.text.indexOf('received and accepted'));
    expectChineseFirst(reply.text);
  });

  it('EmergencyNotice acknowledgement: recorded under Art. 15, provisional, the follow-up deadline and how to send the signed form', async () => {
    const report = await processMail(await compose({ from: 'security@chinamobile.example.cn', subject: '紧急', text: '已封堵' }), deps());
    const due = new Date('2026-11-30T10:00:00Z');
    const reply = replyFor(report, { ...ctx, originalSubject: '紧急' }, { followupDue: due })!;
    expect(reply.subject).toBe('[紧急通报已登记 / Emergency notice recorded]: 紧急');
    expect(reply.text).toContain('第十五条');
    expect(reply.text).toContain('编号 en-1');
    expect(reply.text).toContain('临时');
    expect(reply.text).toContain(`请于 ${beijingTime(due)} 前补发经电子签名的统一书面表单`);
    expect(reply.text).toContain('(Art. 15), id en-1');
    expect(reply.text).toContain(`by ${beijingTime(due)}`);
    expect(reply.text.indexOf('op-cmcc 登记联系人')).toBeLessThan(reply.text.indexOf('registered contact of op-cmcc'));
    expect(emergencyNoticeReply(ctx, { messageId: 'en-9', institution: 'op-cmcc' }).text).toContain('请尽快补发');
  });

  it('no reply to a quarantined mail (unknown sender): an alert instead, never an answer to an unverified address', async () => {
    const report = await processMail(await compose({ from: 'stranger@example.org', subject: 'hi', text: 'hello' }), deps());
    expect(report.folder).toBe('quarantine');
    expect(replyFor(report, ctx)).toBeUndefined();
  });

  it('Beijing time is UTC+8 whatever the process time zone', () => {
    expect(beijingTime(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01 00:30:00 (UTC+8)');
  });
});
