import { Workbook } from 'exceljs';
import { contactDirectoryFor, intakePortFor, processMail, quarantineAlerter, replyAttachments, replyFor, unsignedMailPortFor } from '../../../adapters/email';
import { decode } from '../../../contracts/codec';
import { ContactPersonEntity } from '../../../gateway/contacts/entities';
import { verifyGatewayDocument } from '../../../gateway/identity';
import { obligationHooks } from '../../../gateway/obligations/hooks';
import { ObligationEntity } from '../../../gateway/obligations/entities';
import { AuditEntryEntity, OutboxEntity } from '../../../gateway/store';
import { counts, openWorld, sqliteUrls, type World } from '../../gateway/intake/world';
import { compose } from './fixtures';

/**
 * The e-mail side of Art. 15 on the real gateway (SQLite, demo registry, real obligations hooks):
 * an unsigned mail from a registered contact becomes an EmergencyNotice recorded by the gateway; an
 * unsigned .xlsx is refused with how to sign it; a quarantined mail raises an alert once.
 */
const urls = sqliteUrls();
const hooks = obligationHooks();
let w: World;
beforeEach(async () => {
  w = await openWorld(urls() ?? '');
  await w.ds.getRepository(ContactPersonEntity).save([{ institutionCode: 'op-cmcc', role: 'contact', position: 0, name: '李强', phone: '010-66006688', mobile: null, email: 'security@chinamobile.example.cn' }]);
});
afterEach(async () => { await w.ds.destroy(); });

const deps = () => {
  const contacts = contactDirectoryFor(w.ds);
  return { intake: intakePortFor(w.intakeWith({ hooks })), contacts, unsigned: unsignedMailPortFor({ dataSource: w.ds, identity: w.identity, clock: w.clock, hooks }) };
};
const ctx = () => ({ originalSubject: 'x', receivedAt: w.clock.now() });

async function sheet(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(['序号', '处置时间', '恶意程序名称', '已直接提示的用户数量', '已处置的控制服务器']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('unsignedMailPortFor', () => {
  it('records an unsigned mail from a registered contact as an EmergencyNotice met when the mail arrived; the reply says so in Chinese and English, with the signed notice attached; fetched again it is the same notice', async () => {
    const raw = await compose({ from: '李强 <Security@ChinaMobile.example.cn>', to: 'gw@mmgw.example', subject: '紧急：GhostPush 事件', messageId: '<em-1@chinamobile.example.cn>', text: '发现 GhostPush 大规模传播，书面报告随后补报。' });
    const arrived = new Date('2026-11-28T02:50:00Z');
    const d = deps();
    const before = await counts(w);
    const report = await processMail(raw, d, { at: arrived });
    expect(report.folder).toBe('processed');
    const o = report.outcomes[0]!.outcome;
    expect(o).toMatchObject({ outcome: 'accepted', formType: 'EmergencyNotice', institution: 'op-cmcc', standsFor: 'IncidentReport' });
    if (o.outcome !== 'accepted') throw new Error('refused');
    expect(o.followupDue?.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    const doc = decode(o.document!.bytes).document!;
    expect(doc).toMatchObject({ from: 'mmgw', to: ['op-cmcc'], body: { channel: 'email', at: arrived.toISOString(), caller: { name: '李强', phone: '010-66006688', email: 'security@chinamobile.example.cn' }, recordedBy: 'mmgw e-mail intake 网关邮件接收' } });
    expect(String((doc.body as { summary: string }).summary)).toContain('书面报告随后补报');
    expect(await verifyGatewayDocument(o.document!.bytes, w.identity.credential.certificate)).toMatchObject({ ok: true });
    expect(await w.ds.manager.findOneBy(ObligationEntity, { obligation: 'written-followup', party: 'op-cmcc' })).toMatchObject({ state: 'open', subject: 'IncidentReport' });

    const reply = replyFor(report, ctx())!;
    expect(reply.subject).toBe('[紧急通报已登记 / Emergency notice recorded]: x');
    expect(reply.text).toContain('第十五条');
    expect(reply.text).toContain('2026-12-01 00:00:00 (UTC+8)');
    expect(reply.text).toContain('《较大以上移动互联网恶意程序事件报送表》');
    expect(reply.text).toContain('the Mobile malware incident report (IncidentReport)');
    expect(reply.text).toMatch(/send the signed unified written form.*by 2026-12-01 00:00:00 \(UTC\+8\) \(XML-DSig or JWS/s);
    expect(replyAttachments(report).map((a) => a.filename)).toEqual([`emergency-notice-${o.messageId}.jws.json`]);

    const mid = await counts(w);
    expect(mid.messages).toBe(before.messages + 1);
    const again = await processMail(raw, d, { at: arrived });
    expect(again.outcomes[0]!.outcome).toMatchObject({ outcome: 'accepted', messageId: o.messageId });
    expect(await counts(w)).toEqual(mid);
  });

  it('refuses an unsigned .xlsx from a contact (Art. 15 does not cover the level IV monthly sheet) with a signed Rejection saying what the sheet holds and how to sign it', async () => {
    const good = await sheet([[1, '2026-11-27T18:00:00+08:00', 'a.privacy.emial.d', 298, '203.0.113.88 mail-sync.cn 25']]);
    const bad = await sheet([[1, 'yesterday', 'a.privacy.emial.d', -1, '999.1.1.1']]);
    const d = deps();
    const before = await counts(w);
    const r = await processMail(await compose({ from: 'security@chinamobile.example.cn', subject: '11月处置月报', text: '见附件', attachments: [{ filename: '月报.xlsx', content: good }] }), d);
    expect(r.folder).toBe('rejected');
    const o = r.outcomes[0]!.outcome;
    expect(o).toMatchObject({ outcome: 'rejected', code: 'email.unsigned-spreadsheet' });
    if (o.outcome !== 'rejected') throw new Error('accepted');
    expect(o.reason).toContain('月报.xlsx: sheet Sheet1 read, 1 disposal row valid');
    expect(o.reason).toContain('mmgw sign');
    const rejection = decode(o.document!.bytes).document!;
    expect(rejection).toMatchObject({ type: 'Rejection', from: 'mmgw', body: { errors: [{ code: 'email.unsigned-spreadsheet' }] } });
    const reply = replyFor(r, ctx())!;
    expect(reply.subject).toBe('[退回：电子表格未签名 / Rejection: unsigned spreadsheet]: x');
    expect(reply.text).toContain('mmgw example MonthlyDisposalFeedback');
    expect(reply.text).toContain('1 disposal row valid');
    expect(replyAttachments(r).map((a) => a.filename)).toEqual(['rejection-1.jws.json']);

    const r2 = await processMail(await compose({ from: 'security@chinamobile.example.cn', subject: 'm', text: '', attachments: [{ content: bad, contentType: 'application/octet-stream' }] }), d);
    const o2 = r2.outcomes[0]!.outcome;
    expect(o2).toMatchObject({ outcome: 'rejected', code: 'email.unsigned-spreadsheet' });
    if (o2.outcome !== 'rejected') throw new Error('accepted');
    expect(o2.reason).toMatch(/compliance\.sheet-invalid.*Sheet1!B2/s);
    // Nothing but the two audit entries: no message, no obligation.
    expect(await counts(w)).toEqual({ ...before, audit: before.audit + 2 });
    expect(await w.ds.manager.count(ObligationEntity)).toBe(0);
  });

  it('an unsigned mail from an unknown address goes to Quarantine and raises one alert (audit, bus message, log line), however often it is handled', async () => {
    const lines: string[] = [];
    const alert = quarantineAlerter({ dataSource: w.ds, clock: w.clock, log: (l) => lines.push(l) });
    const report = await processMail(await compose({ from: 'who@example.org', subject: 'hello', messageId: '<q1@example.org>', text: 'unsigned' }), deps());
    expect(report).toMatchObject({ folder: 'quarantine', classification: { code: 'email.unknown-sender' } });
    expect(replyFor(report, ctx())).toBeUndefined();
    await alert(report, 7);
    await alert(report, 7);
    const rows = await w.ds.manager.find(OutboxEntity, { where: { topic: 'email.quarantined' } });
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.payload.toString('utf8'))).toMatchObject({ uid: 7, code: 'email.unknown-sender', from: 'who@example.org', subject: 'hello', recipients: ['mmgw'] });
    expect((await w.ds.manager.find(AuditEntryEntity, { where: { kind: 'email-quarantine' } })).map((a) => a.subject)).toEqual(['mail:<q1@example.org>']);
    expect(lines).toEqual([expect.stringContaining('quarantined mail UID 7 of INBOX from who@example.org: email.unknown-sender') as string]);
    // A processed mail raises nothing.
    await alert({ ...report, folder: 'processed' }, 8);
    expect(await w.ds.manager.count(OutboxEntity, { where: { topic: 'email.quarantined' } })).toBe(1);
  });
});
