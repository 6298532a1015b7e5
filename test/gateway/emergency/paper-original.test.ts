import { AuditEntryEntity, transaction } from '../../../gateway/store';
import { emergencyNoticeOf, logPhoneCall, PaperOriginalEntity, parseBeijingTime, registerPaperOriginal, type PaperOriginalInput, type PhoneCallInput } from '../../../gateway/emergency';
import { obligationHooks } from '../../../gateway/obligations/hooks';
import { ObligationEntity } from '../../../gateway/obligations/entities';
import { createHash } from 'node:crypto';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { counts, example, openWorld, signed, sqliteUrls, type World } from '../intake/world';

/**
 * Art. 15 "后补书面材料" on the real store and obligations hooks (SQLite; the other emergency
 * tests run on SQLite only too): a clerk logs a phone call (logPhoneCall → EmergencyNotice,
 * written-followup open), then registers the paper original (document number, received time,
 * scan) which closes the follow-up — met, or met late after its due time — in one transaction.
 * Every bad input is refused with its field named and changes nothing.
 */
const urls = sqliteUrls();
const hooks = obligationHooks();
let w: World;
beforeEach(async () => { w = await openWorld(urls() ?? ''); });
afterEach(async () => { await w.ds.destroy(); });

const deps = () => ({ dataSource: w.ds, identity: w.identity, clock: w.clock, hooks });
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(16)]);

// The world's clock: Sat 28 Nov 2026 11:00 Beijing time. The call at 10:58.
const call = (change: Partial<PhoneCallInput> = {}): PhoneCallInput => ({
  institution: 'op-cmcc', callerName: '李强', callerPhone: '010-66006688', calledAt: '2026-11-28T10:58', summary: 'GhostPush 控制服务器已封堵，书面报告随后补报。',
  recordedBy: 'clerk', entryId: `e-${Math.random().toString(36).slice(2)}`, ...change,
});
const paper = (noticeId: string, change: Partial<PaperOriginalInput> = {}): PaperOriginalInput => ({
  noticeId, documentNumber: '移动〔2026〕117号', receivedAt: '2026-11-28 10:59', scan: { name: 'scan.pdf', bytes: PDF }, registeredBy: 'clerk', ...change,
});
const followups = () => w.ds.manager.find(ObligationEntity, { where: { obligation: 'written-followup' }, order: { id: 'ASC' } });
const snapshot = async (): Promise<Record<string, number | string>> => ({ ...(await counts(w)), obligations: JSON.stringify(await w.ds.manager.find(ObligationEntity, { order: { id: 'ASC' } })), papers: await w.ds.manager.count(PaperOriginalEntity) });
async function refusal(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}
const fields = (e: GatewayError) => (e.facts.errors as { field: string }[]).map((x) => x.field);

describe('logPhoneCall', () => {
  it('records the call as a phone EmergencyNotice: a first report (no clock open yet), written-followup open, due 1 wd', async () => {
    const logged = await logPhoneCall(deps(), call({ level: 'II' }));
    expect(logged).toMatchObject({ duplicate: false, standsFor: 'IncidentReport', to: ['op-cmcc'] });
    expect(logged.followupDue?.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    const view = await emergencyNoticeOf(w.ds, logged.messageId, w.clock.now());
    expect(view).toMatchObject({ channel: 'phone', institution: 'op-cmcc', caller: { name: '李强', phone: '010-66006688' }, recordedBy: 'clerk', level: 'II', standing: 'open' });
    expect(view?.at.toISOString()).toBe('2026-11-28T02:58:00.000Z');
    expect(view?.met).toEqual([]);
    // The same form posted twice (same entry id) is one notice.
    const again = await logPhoneCall(deps(), { ...call(), entryId: 'same' });
    const twice = await logPhoneCall(deps(), { ...call(), entryId: 'same' });
    expect(twice).toMatchObject({ duplicate: true, messageId: again.messageId });
  });

  it('refuses every bad field at once and records nothing: empty caller and summary, unknown institution, a bad level and form', async () => {
    const before = await snapshot();
    const e = await refusal(logPhoneCall(deps(), call({ callerName: ' ', summary: '', institution: 'op-nobody', level: 'V', standsFor: 'SampleReport' })));
    expect(e.code).toBe('emergency.bad-phone-log');
    expect(fields(e).sort()).toEqual(['callerName', 'institution', 'level', 'standsFor', 'summary']);
    expect((e.facts.errors as { code: string }[]).find((x) => x.code === 'emergency.unknown-institution')).toBeDefined();
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a call time in the future beyond 5 minutes, or unparseable, or not a real date; accepts one 4 minutes ahead', async () => {
    const before = await snapshot();
    expect(fields(await refusal(logPhoneCall(deps(), call({ calledAt: '2026-11-28T11:06' }))))).toEqual(['calledAt']);
    expect(fields(await refusal(logPhoneCall(deps(), call({ calledAt: 'yesterday at ten' }))))).toEqual(['calledAt']);
    expect(fields(await refusal(logPhoneCall(deps(), call({ calledAt: '2026-02-30T10:00' }))))).toEqual(['calledAt']);
    expect(fields(await refusal(logPhoneCall(deps(), call({ calledAt: '' }))))).toEqual(['calledAt']);
    expect(await snapshot()).toEqual(before);
    expect((await logPhoneCall(deps(), call({ calledAt: '2026-11-28 11:04' }))).recorded).toBe(true);
  });

  it('maps the form\'s own refusal to the field: a malformed phone number', async () => {
    const before = await snapshot();
    const e = await refusal(logPhoneCall(deps(), call({ callerPhone: 'call me maybe' })));
    expect(e.code).toBe('emergency.bad-phone-log');
    expect(fields(e)).toEqual(['callerPhone']);
    // recordEmergencyNotice writes its `reject` audit entry; nothing else changes.
    expect({ ...(await snapshot()), audit: before.audit }).toEqual(before);
  });

  it('a call named DisposalFeedback without a case does not meet the unit\'s monthly level IV feedback (a spreadsheet, not an Art. 15 written form)', async () => {
    const start = new Date('2026-11-20T01:00:00Z');
    await w.ds.manager.insert(ObligationEntity, {
      key: 'disposal-feedback|op-cmcc||month:2026-11', obligation: 'disposal-feedback', party: 'op-cmcc', counterparty: 'cncert', caseKey: null, subject: 'month:2026-11', level: 'IV', openedBy: null,
      start, due: new Date('2026-12-10T16:00:00Z'), dueProvisional: false, specialPeriod: null, state: 'open', waivedReason: null, closedBy: null, closedAt: null,
      provisional: false, levelHistory: [], nextAlertAt: null, openedAt: start,
    });
    const logged = await logPhoneCall(deps(), call({ standsFor: 'DisposalFeedback' }));
    expect(logged.standsFor).toBe('DisposalFeedback');
    expect(await w.ds.manager.findOneByOrFail(ObligationEntity, { obligation: 'disposal-feedback', subject: 'month:2026-11' })).toMatchObject({ state: 'open', closedBy: null, provisional: false });
    expect((await emergencyNoticeOf(w.ds, logged.messageId, w.clock.now()))?.met).toEqual([]);
  });
});

describe('the signed report after the call and its paper original', () => {
  it('meets the event-report clock at the call when the paper original came first, not late at the electronic copy; a call from before the discovery answers for nothing', async () => {
    // A call at 09:10, before the event (discovered 09:20) — about something else; the report's call at 10:58; its paper at 10:59.
    await logPhoneCall(deps(), call({ calledAt: '2026-11-28T09:10', level: 'II' }));
    const logged = await logPhoneCall(deps(), call({ level: 'II' }));
    await registerPaperOriginal(deps(), paper(logged.messageId));
    // The electronic IncidentReport arrives at 15:00, past the 2 h of a level II event (due 11:20).
    w.clock.set(new Date('2026-11-28T07:00:00Z'));
    const report = example('incident-report');
    expect((await w.intakeWith({ hooks }).submit({ bytes: await signed(w, report, 'json') })).accepted).toBe(true);
    const clock = await w.ds.manager.find(ObligationEntity, { where: { obligation: 'event-report', party: 'op-cmcc' } });
    expect(clock.map((o) => [o.state, o.closedBy, o.closedAt?.toISOString()])).toEqual([['met', report.id, '2026-11-28T02:58:00.000Z']]);
  });
});

describe('parseBeijingTime', () => {
  it('reads a datetime-local value as Beijing time and an ISO time with its offset', () => {
    expect(parseBeijingTime('2026-11-28T10:58')?.toISOString()).toBe('2026-11-28T02:58:00.000Z');
    expect(parseBeijingTime('2026-11-28 10:58:30')?.toISOString()).toBe('2026-11-28T02:58:30.000Z');
    expect(parseBeijingTime('2026-11-28T02:58:00Z')?.toISOString()).toBe('2026-11-28T02:58:00.000Z');
    expect(parseBeijingTime('2026-11-28T24:10')).toBeUndefined();
    expect(parseBeijingTime('28/11/2026 10:58')).toBeUndefined();
  });
});

describe('registerPaperOriginal', () => {
  it('closes written-followup on time (met), confirms the disposal-feedback clock the call met provisionally, keeps the scan with its SHA-256, audited', async () => {
    // A case whose DisposalFeedback op-cmcc owes cncert (as in record-emergency-notice.test.ts).
    const intake = w.intakeWith({ hooks });
    const report = example('incident-report');
    expect((await intake.submit({ bytes: await signed(w, report, 'json') })).accepted).toBe(true);
    const n = example('incident-notice', (d) => { (d.references as Record<string, string>).inReplyTo = String(report.id); });
    expect((await intake.submit({ bytes: await signed(w, n, 'json') })).accepted).toBe(true);
    await transaction(w.ds, (m) => hooks.onDeliveryAcknowledged(m, { messageId: String(n.id), deliveryId: 'dlv-1', recipientCode: 'op-cmcc', acknowledgedAt: new Date('2026-11-28T02:40:00Z') }, new Date('2026-11-28T02:40:00Z')));
    const logged = await logPhoneCall(deps(), call({ standsFor: 'DisposalFeedback', taskNumber: 'CNCERT-2026-1128-017' }));
    expect(logged).toMatchObject({ standsFor: 'DisposalFeedback', taskNumber: 'CNCERT-2026-1128-017' });
    expect((await emergencyNoticeOf(w.ds, logged.messageId, w.clock.now()))?.met.map((o) => [o.obligation, o.state, o.provisional])).toEqual([['disposal-feedback', 'met', true]]);
    w.clock.set(new Date('2026-11-30T02:00:00Z'));
    const r = await registerPaperOriginal(deps(), paper(logged.messageId, { receivedAt: '2026-11-30 09:30' }));
    expect(r).toMatchObject({ noticeId: logged.messageId, institution: 'op-cmcc', mediaType: 'application/pdf' });
    expect(r.followup).toMatchObject({ state: 'met', closedBy: 'paper:移动〔2026〕117号' });
    expect(r.followup.closedAt?.toISOString()).toBe('2026-11-30T01:30:00.000Z');
    const row = await w.ds.manager.findOneByOrFail(PaperOriginalEntity, { noticeId: logged.messageId });
    expect(row.bytes.equals(PDF)).toBe(true);
    expect(row.sha256).toBe(createHash('sha256').update(PDF).digest('hex'));
    const view = await emergencyNoticeOf(w.ds, logged.messageId, w.clock.now());
    expect(view).toMatchObject({ standing: 'met', paper: { documentNumber: '移动〔2026〕117号', registeredBy: 'clerk' } });
    expect(view?.met.map((o) => [o.obligation, o.state, o.provisional, o.closedAt?.toISOString()])).toEqual([['disposal-feedback', 'met', false, '2026-11-28T02:58:00.000Z']]);
    const audit = await w.ds.manager.find(AuditEntryEntity, { where: { kind: 'paper-original' } });
    expect(audit.map((a) => [a.actor, a.subject])).toEqual([['clerk', logged.messageId]]);
  });

  it('is met late after the due time (end of the next working day) and takes a PNG scan', async () => {
    const logged = await logPhoneCall(deps(), call());
    w.clock.set(new Date('2026-12-01T03:00:00Z'));
    const r = await registerPaperOriginal(deps(), paper(logged.messageId, { receivedAt: '2026-12-01 10:00', scan: { name: 'scan.png', bytes: PNG } }));
    expect(r.followup.state).toBe('met-late');
    expect(r.mediaType).toBe('image/png');
  });

  it('refuses a second registration for the same notice, and a notice whose signed form closed it already; nothing changes', async () => {
    const logged = await logPhoneCall(deps(), call());
    await registerPaperOriginal(deps(), paper(logged.messageId));
    const before = await snapshot();
    expect((await refusal(registerPaperOriginal(deps(), paper(logged.messageId, { documentNumber: '另一个文号' })))).code).toBe('emergency.paper-original-exists');
    expect(await snapshot()).toEqual(before);

    // The signed IncidentReport arrives for another phone call first: the paper is not needed any more.
    const second = await logPhoneCall(deps(), call({ institution: 'op-cucc', callerName: '张伟' }));
    const intake = w.intakeWith({ hooks });
    expect((await intake.submit({ bytes: await signed(w, example('incident-report', (d) => { d.from = 'op-cucc'; (d.body as Record<string, unknown>).reportingUnit = '中国联通'; }), 'json') })).accepted).toBe(true);
    expect((await followups()).find((o) => o.openedBy === second.messageId)?.state).toBe('met');
    const mid = await snapshot();
    const closed = await refusal(registerPaperOriginal(deps(), paper(second.messageId)));
    expect(closed.code).toBe('emergency.followup-closed');
    expect(await snapshot()).toEqual(mid);
  });

  it('refuses an unknown notice, a message that is no EmergencyNotice, and every bad field at once; nothing changes', async () => {
    const logged = await logPhoneCall(deps(), call());
    const before = await snapshot();
    expect((await refusal(registerPaperOriginal(deps(), paper('mmgw-en-nosuchnotice')))).code).toBe('emergency.unknown-notice');
    const e = await refusal(registerPaperOriginal(deps(), paper(logged.messageId, { documentNumber: ' ', receivedAt: '2026-11-28 10:00', scan: { name: 'x.pdf', bytes: Buffer.alloc(0) } })));
    expect(e.code).toBe('emergency.bad-paper-original');
    expect(fields(e)).toEqual(['documentNumber', 'receivedAt', 'scan']); // received before the call, an empty scan
    expect(fields(await refusal(registerPaperOriginal(deps(), paper(logged.messageId, { receivedAt: '2026-11-28 11:30' }))))).toEqual(['receivedAt']); // the future
    expect(fields(await refusal(registerPaperOriginal(deps(), paper(logged.messageId, { receivedAt: 'soon' }))))).toEqual(['receivedAt']);
    const { scan: _none, ...noScan } = paper(logged.messageId);
    expect(fields(await refusal(registerPaperOriginal(deps(), noScan)))).toEqual(['scan']);
    const wrongType = await refusal(registerPaperOriginal(deps(), paper(logged.messageId, { scan: { name: 'scan.pdf', bytes: Buffer.from('MZ\x90\x00 not a pdf at all') } })));
    expect((wrongType.facts.errors as { message: string }[])[0]?.message).toMatch(/not a PDF, JPEG or PNG/);
    const big = await refusal(registerPaperOriginal(deps(), paper(logged.messageId, { scan: { name: 'big.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(2048)]) } }), { maxScanBytes: 1024 }));
    expect((big.facts.errors as { field: string; message: string }[])[0]).toMatchObject({ field: 'scan', message: expect.stringMatching(/more than the limit of 1024/) });
    expect(await snapshot()).toEqual(before);
    expect((await followups()).map((o) => o.state)).toEqual(['open']);
  });
});
