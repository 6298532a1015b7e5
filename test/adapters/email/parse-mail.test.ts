import { verifyDocument } from '../../../gateway/signing/documents';
import { classifyMail, type ContactDirectory } from '../../../adapters/email/classify-mail';
import { isRefused, parseMail, type ParsedMail, type RefusedMail } from '../../../adapters/email/parse-mail';
import { base64Lines, boundary, compose, crlf, minimalXlsx, signedCorpus, type SignedCorpus } from './fixtures';

/** The corpus of difficult mails (issue 7): each is read without loss, or refused with a code. */
describe('parseMail: the corpus of difficult mails', () => {
  let corpus: SignedCorpus;
  beforeAll(async () => { corpus = await signedCorpus(); });

  const contacts: ContactDirectory = {
    institutionOfContact: async (address) => ({ 'security@chinamobile.example.cn': 'op-cmcc', 'boss@miit.example.cn': 'miit' } as Record<string, string>)[address],
  };
  const parsed = (m: ParsedMail | RefusedMail): ParsedMail => {
    if (isRefused(m)) throw new Error(`refused: ${m.refused} ${m.message}`);
    return m;
  };

  it('GB2312 subject (RFC 2047) and GBK body, GB18030 four-byte characters, all decoded to the same text', async () => {
    // 你好 in GB2312 = C4E3 BAC3; 中国移动 in GBK = D6D0 B9FA D2C6 B6AF; U+20000 in GB18030 = 95328236.
    const gbkBody = Buffer.from([0xd6, 0xd0, 0xb9, 0xfa, 0xd2, 0xc6, 0xb6, 0xaf]);
    const gb18030Body = Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x95, 0x32, 0x82, 0x36]);
    expect(new TextDecoder('gbk').decode(gbkBody)).toBe('中国移动');
    const b = boundary();
    const raw = Buffer.concat([
      Buffer.from(crlf(`From: =?GB2312?B?${Buffer.from([0xc4, 0xe3, 0xba, 0xc3]).toString('base64')}?= <Someone@Example.CN>\nTo: gw@mmgw.example\nSubject: =?GB2312?B?${Buffer.from([0xc4, 0xe3, 0xba, 0xc3]).toString('base64')}?= =?UTF-8?Q?_=E6=8A=A5=E5=91=8A?=\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="${b}"\n\n--${b}\nContent-Type: text/plain; charset=GBK\nContent-Transfer-Encoding: 8bit\n\n`), 'latin1'),
      gbkBody,
      Buffer.from(crlf(`\n--${b}\nContent-Type: text/plain; charset=GB18030\nContent-Transfer-Encoding: base64\n\n${gb18030Body.toString('base64')}\n--${b}--\n`), 'latin1'),
    ]);
    const m = parsed(await parseMail(raw));
    expect(m.subject).toBe('你好 报告');
    expect(m.headerFrom).toEqual({ address: 'someone@example.cn', name: '你好' });
    expect(m.text).toContain('中国移动');
    expect(m.problems).toEqual([]);
    const alone = parsed(await parseMail(Buffer.from(crlf(`From: a@b.example\nSubject: x\nContent-Type: text/plain; charset=gb18030\nContent-Transfer-Encoding: base64\n\n${gb18030Body.toString('base64')}\n`))));
    expect(alone.text.trim()).toBe('你好𠀀');
  });

  it('finds a signed XML form in an attachment without a file name, its bytes unchanged', async () => {
    const b = boundary();
    const raw = Buffer.from(crlf(`From: security@chinamobile.example.cn\nTo: gw@mmgw.example\nSubject: report\nContent-Type: multipart/mixed; boundary="${b}"\n\n--${b}\nContent-Type: text/plain; charset=utf-8\n\n见附件\n--${b}\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n${base64Lines(Buffer.from(corpus.incidentXml, 'utf8'))}\n--${b}--\n`));
    const m = parsed(await parseMail(raw));
    expect(m.forms).toHaveLength(1);
    const [form] = m.forms;
    expect(form!.source.filename).toBeUndefined();
    expect(form!).toMatchObject({ format: 'xml', signature: 'xml-dsig', formType: 'IncidentReport', documentFrom: 'op-cmcc' });
    expect(form!.bytes.equals(Buffer.from(corpus.incidentXml, 'utf8'))).toBe(true);
    await expect(verifyDocument(form!.bytes, { trust: corpus.trust })).resolves.toMatchObject({ ok: true, institution: 'op-cmcc' });
    expect(m.text.trim()).toBe('见附件');
  });

  it('finds a form inside a forwarded mail (message/rfc822), attached or inline', async () => {
    const inner = await compose({ from: 'ops@example.cn', to: 'someone@example.cn', subject: '处置反馈', text: '请转发', attachments: [{ filename: 'feedback.json', content: corpus.feedbackJws, contentType: 'application/json' }] });
    const attached = await compose({ from: 'someone@example.cn', to: 'gw@mmgw.example', subject: 'Fwd: 处置反馈', text: 'forwarding', attachments: [{ content: inner, contentType: 'message/rfc822', contentDisposition: 'attachment' }] });
    const m = parsed(await parseMail(attached));
    expect(m.forms).toHaveLength(1);
    expect(m.forms[0]).toMatchObject({ format: 'json', signature: 'jws', formType: 'DisposalFeedback', documentFrom: corpus.feedbackFrom, source: { nesting: 1, path: '1.1', filename: 'feedback.json' } });
    expect(m.forms[0]!.bytes.toString('utf8')).toBe(corpus.feedbackJws);
    expect(m.text.trim()).toBe('forwarding');
    // Forwarded inline, mailparser itself opens the inner mail: its form is found all the same.
    const inline = await compose({ from: 'someone@example.cn', to: 'gw@mmgw.example', subject: 'Fwd', text: 'forwarding', attachments: [{ content: inner, contentType: 'message/rfc822', contentDisposition: 'inline' }] });
    const n = parsed(await parseMail(inline));
    expect(n.forms.map((f) => f.bytes.toString('utf8'))).toEqual([corpus.feedbackJws]);
  });

  it('refuses to open forwarded mails nested deeper than the limit, and says so', async () => {
    let mail = await compose({ from: 'a@example.cn', to: 'b@example.cn', subject: 'deep', text: 'x', attachments: [{ content: corpus.feedbackJws, contentType: 'application/json' }] });
    for (let i = 0; i < 3; i++) mail = await compose({ from: 'a@example.cn', to: 'b@example.cn', subject: `fwd ${i}`, text: 'x', attachments: [{ content: mail, contentType: 'message/rfc822', contentDisposition: 'attachment' }] });
    expect(parsed(await parseMail(mail)).forms).toHaveLength(1);
    const limited = parsed(await parseMail(mail, { maxNesting: 2 }));
    expect(limited.forms).toHaveLength(0);
    expect(limited.problems.map((p) => p.code)).toEqual(['email.nested-too-deep']);
  });

  it('finds two forms in one mail, XML-DSig and JWS, each verifying as its own signer', async () => {
    const raw = await compose({ from: 'x@example.cn', to: 'gw@mmgw.example', subject: 'two', text: 'two forms', attachments: [
      { filename: 'a.xml', content: corpus.incidentXml, contentType: 'application/xml' },
      { filename: 'b.txt', content: corpus.feedbackJws, contentType: 'text/plain', contentDisposition: 'attachment' },
    ] });
    const m = parsed(await parseMail(raw));
    expect(m.forms.map((f) => f.formType)).toEqual(['IncidentReport', 'DisposalFeedback']);
    expect(m.problems).toEqual([]); // nodemailer's boundaries start with "--": still seen as closed
    const signers = await Promise.all(m.forms.map(async (f) => { const v = await verifyDocument(f.bytes, { trust: corpus.trust }); return v.ok ? v.institution : v.code; }));
    expect(signers).toEqual(['op-cmcc', corpus.feedbackFrom]);
  });

  it('reads a mail cut inside a MIME part without crashing, keeps the intact form and reports the cut', async () => {
    const b = boundary();
    const raw = Buffer.from(crlf(`From: a@example.cn\nSubject: cut\nContent-Type: multipart/mixed; boundary="${b}"\n\n--${b}\nContent-Type: application/xml\n\n${corpus.incidentXml}\n--${b}\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n${base64Lines(Buffer.from(corpus.feedbackJws)).slice(0, 150)}`));
    const m = parsed(await parseMail(raw));
    expect(m.forms.map((f) => f.formType)).toEqual(['IncidentReport']);
    expect(m.problems).toEqual([expect.objectContaining({ code: 'email.truncated-part', message: expect.stringContaining(b) as string })]);
  });

  describe('a 30 MB attachment', () => {
    let big: Buffer;
    beforeAll(async () => {
      big = await compose({ from: 'a@example.cn', to: 'gw@mmgw.example', subject: 'big', text: 'big', attachments: [
        { filename: 'dump.bin', content: Buffer.alloc(30 * 1024 * 1024, 7), contentType: 'application/octet-stream' },
        { content: corpus.incidentXml, contentType: 'application/xml' },
      ] });
    });

    it('is refused with email.too-large under the default limit, without being parsed', async () => {
      const m = await parseMail(big);
      expect(isRefused(m) && m.refused).toBe('email.too-large');
      expect(isRefused(m) && m.message).toContain(String(big.length));
      await expect(classifyMail(m, contacts)).resolves.toMatchObject({ kind: 'refused', code: 'email.too-large' });
    });

    it('is read within a raised limit: the form beside it is found, memory stays within a few times the mail', async () => {
      const before = process.memoryUsage().rss;
      const m = parsed(await parseMail(big, { maxMailBytes: 64 * 1024 * 1024 }));
      const grown = process.memoryUsage().rss - before;
      expect(m.forms.map((f) => f.formType)).toEqual(['IncidentReport']);
      expect(m.otherAttachments).toEqual([expect.objectContaining({ filename: 'dump.bin' })]);
      expect(grown).toBeLessThan(6 * big.length);
    }, 60_000); // parsing 30 MB takes seconds on a loaded CI machine: a deadline, not a timing
  });

  it('a valid signed form under a forged From: the header is information only, the signer is the sender', async () => {
    const raw = await compose({ from: '工信部 <boss@miit.example.cn>', to: 'gw@mmgw.example', subject: 'forged', text: 'x', attachments: [{ content: corpus.incidentXml, contentType: 'application/xml' }] });
    const m = parsed(await parseMail(raw));
    expect(m.headerFrom?.address).toBe('boss@miit.example.cn');
    expect(m.forms[0]!.documentFrom).toBe('op-cmcc');
    await expect(verifyDocument(m.forms[0]!.bytes, { trust: corpus.trust })).resolves.toMatchObject({ ok: true, institution: 'op-cmcc' });
    // The From address is a registered contact of miit, yet the mail is classified by its form alone.
    const c = await classifyMail(m, contacts);
    expect(c.kind).toBe('forms');
    expect(JSON.stringify(c)).not.toContain('"miit"');
  });

  it('an invalid signature is still a form (intake refuses it with the signature reason), never dropped', async () => {
    const tampered = corpus.incidentXml.replace('GhostPush', 'GhostPusH');
    expect(tampered).not.toBe(corpus.incidentXml);
    const m = parsed(await parseMail(await compose({ from: 'a@example.cn', subject: 't', text: 'x', attachments: [{ content: tampered, contentType: 'text/xml' }] })));
    expect(m.forms).toHaveLength(1);
    const v = await verifyDocument(m.forms[0]!.bytes, { trust: corpus.trust });
    expect(v.ok).toBe(false);
  });

  it('an unsigned mail: from a registered contact a candidate EmergencyNotice, from an unknown address unintelligible', async () => {
    const fromContact = parsed(await parseMail(await compose({ from: 'Security <SECURITY@chinamobile.example.cn>', subject: '紧急', text: '控制服务器已封堵，书面反馈随后补报。' })));
    await expect(classifyMail(fromContact, contacts)).resolves.toMatchObject({ kind: 'unsigned-from-contact', institution: 'op-cmcc', address: 'security@chinamobile.example.cn', text: '控制服务器已封堵，书面反馈随后补报。' });
    const unknown = parsed(await parseMail(await compose({ from: 'stranger@example.org', subject: 'hi', text: 'hello' })));
    await expect(classifyMail(unknown, contacts)).resolves.toMatchObject({ kind: 'unintelligible', code: 'email.unknown-sender', reason: expect.stringContaining('stranger@example.org') as string });
  });

  it('an .xlsx attachment is recognised by content (no name, generic type) as a spreadsheet candidate, not a form', async () => {
    const xlsx = minimalXlsx();
    const b = boundary();
    const raw = Buffer.from(crlf(`From: security@chinamobile.example.cn\nSubject: 月报\nContent-Type: multipart/mixed; boundary="${b}"\n\n--${b}\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n${base64Lines(xlsx)}\n--${b}--\n`));
    const m = parsed(await parseMail(raw));
    expect(m.forms).toEqual([]);
    expect(m.spreadsheets).toHaveLength(1);
    expect(m.spreadsheets[0]!.bytes.equals(xlsx)).toBe(true);
    await expect(classifyMail(m, contacts)).resolves.toMatchObject({ kind: 'unsigned-from-contact', institution: 'op-cmcc', spreadsheets: [expect.anything()] });
  });

  it('a mail with nothing in it, and bytes that are not a mail, are unintelligible with their own codes', async () => {
    const empty = await parseMail(await compose({ from: 'security@chinamobile.example.cn', subject: 'empty' }));
    await expect(classifyMail(empty, contacts)).resolves.toMatchObject({ kind: 'unintelligible', code: 'email.no-content' });
    const notMail = await parseMail(Buffer.from('\x00\x01binary junk'));
    expect(isRefused(notMail) && notMail.refused).toBe('email.unreadable');
    await expect(classifyMail(notMail, contacts)).resolves.toMatchObject({ kind: 'unintelligible', code: 'email.unreadable' });
  });

  it('a form pasted as the whole text body is found too', async () => {
    const m = parsed(await parseMail(await compose({ from: 'a@example.cn', subject: 'pasted', text: corpus.feedbackJws })));
    expect(m.forms.map((f) => f.signature)).toEqual(['jws']);
  });
});

describe('parseMail: mails mailparser itself refuses', () => {
  const deep = (depth: number, from = 'a@example.cn') => {
    let s = `From: ${from}\r\nSubject: deep\r\n`;
    for (let i = 0; i < depth; i++) s += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
    s += 'Content-Type: text/plain\r\n\r\nhi\r\n';
    for (let i = depth - 1; i >= 0; i--) s += `--b${i}--\r\n`;
    return Buffer.from(s);
  };
  const contacts = { institutionOfContact: async () => 'op-cmcc' };

  it('a multipart nested thousands deep is email.unreadable (→ Quarantine), never an exception that would block the mailbox', async () => {
    const m = await parseMail(deep(5000));
    expect(isRefused(m) && m.refused).toBe('email.unreadable');
    expect(isRefused(m) && m.message).toContain('mailparser cannot read it');
    await expect(classifyMail(m, contacts)).resolves.toMatchObject({ kind: 'unintelligible', code: 'email.unreadable' });
  });

  it('the same inside a forwarded mail: the outer mail is kept, the problem reported', async () => {
    const outer = await compose({ from: 'a@example.cn', subject: 'fwd', text: 'see the forwarded mail', attachments: [{ content: deep(5000), contentType: 'message/rfc822', contentDisposition: 'attachment' }] });
    const m = await parseMail(outer);
    if (isRefused(m)) throw new Error(m.message);
    expect(m.text.trim()).toBe('see the forwarded mail');
    expect(m.problems).toEqual([expect.objectContaining({ code: 'email.unreadable', message: expect.stringContaining('forwarded mail 1: mailparser cannot read it') as string })]);
  });
});
