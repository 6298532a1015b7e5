import { AuditEntryEntity, MessageEntity, OutboxEntity, transaction } from '../../../gateway/store';
import { recordEmergencyNotice, type EmergencyOutcome, type UnsignedNotice } from '../../../gateway/emergency';
import { obligationHooks } from '../../../gateway/obligations/hooks';
import { ObligationEntity } from '../../../gateway/obligations/entities';
import { verifyGatewayDocument } from '../../../gateway/identity';
import { decode } from '../../../contracts/codec';
import { counts, example, openWorld, signed, sqliteUrls, type World } from '../intake/world';

/**
 * Art. 15 on the real store and obligations hooks: an unsigned notice (e-mail or phone log)
 * recorded by the gateway as an EmergencyNotice meets the clock it answers provisionally and opens
 * `written-followup`; the signed form closes it. Each case runs in its own SQLite world.
 */
const urls = sqliteUrls();
const hooks = obligationHooks();
let w: World;
beforeEach(async () => { w = await openWorld(urls() ?? ''); });
afterEach(async () => { await w.ds.destroy(); });

const deps = () => ({ dataSource: w.ds, identity: w.identity, clock: w.clock, hooks });
const notice = (change: Partial<UnsignedNotice> = {}): UnsignedNotice => ({
  institution: 'op-cmcc', channel: 'email', caller: { name: '李强', email: 'security@chinamobile.example.cn' },
  at: new Date('2026-11-28T02:58:00Z'), summary: 'GhostPush 控制服务器已封堵，书面报告随后补报。', recordedBy: 'mmgw e-mail intake', key: '<m1@chinamobile.example.cn>', ...change,
});
const recorded = (o: EmergencyOutcome) => {
  if (!o.recorded) throw new Error(`refused: ${o.code} ${JSON.stringify(o.errors)}`);
  return o;
};
const obligations = (where: Record<string, unknown>) => w.ds.manager.find(ObligationEntity, { where, order: { id: 'ASC' } });

describe('recordEmergencyNotice', () => {
  it('records a first report by e-mail: gateway-signed, to the institution, cc whom the report is owed; follow-up due 1 wd; the signed IncidentReport closes it and the call met the report clock', async () => {
    const before = await counts(w);
    const out = recorded(await recordEmergencyNotice(deps(), notice()));
    expect(out).toMatchObject({ duplicate: false, standsFor: 'IncidentReport', to: ['op-cmcc'], cc: ['miit', 'cncert'] });
    // The document is the gateway's: a JWS checked against the gateway's certificate as Receipts are, the institution in the body.
    expect(await verifyGatewayDocument(out.document.bytes, w.identity.credential.certificate)).toMatchObject({ ok: true });
    const doc = decode(out.document.bytes).document!;
    expect(doc).toMatchObject({ type: 'EmergencyNotice', from: 'mmgw', to: ['op-cmcc'], body: { channel: 'email', institution: 'op-cmcc', standsFor: 'IncidentReport', at: '2026-11-28T02:58:00.000Z', caller: { name: '李强', email: 'security@chinamobile.example.cn' } } });
    // Sat 28 Nov: 1 wd → end of Mon 30 Nov, Beijing time.
    expect(out.followupDue?.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    // Written the way intake accepts: message, receipt, outbox for routing, audit.
    expect(await counts(w)).toMatchObject({ messages: before.messages + 1, receipts: before.receipts + 1, outbox: before.outbox + 1, audit: before.audit + 1 });
    expect(await w.ds.manager.findOneBy(OutboxEntity, { messageId: `accepted:${out.messageId}` })).toMatchObject({ topic: 'message.accepted.EmergencyNotice' });
    const audit = await w.ds.manager.find(AuditEntryEntity, { where: { subject: out.messageId } });
    expect(audit.map((a) => [a.kind, a.actor])).toEqual([['accept', 'mmgw']]);
    // Owed to miit (the report's addressee), not to the gateway that recorded the notice.
    expect((await obligations({ obligation: 'written-followup' })).map((o) => [o.party, o.counterparty, o.state, o.subject, o.openedBy])).toEqual([['op-cmcc', 'miit', 'open', 'IncidentReport', out.messageId]]);

    // The signed written report arrives later: the follow-up is met, and the event-report clock counts from the mail.
    const intake = w.intakeWith({ hooks });
    w.clock.set(new Date('2026-11-28T06:00:00Z'));
    const report = await intake.submit({ bytes: await signed(w, example('incident-report'), 'json') });
    expect(report.accepted).toBe(true);
    expect((await obligations({ obligation: 'written-followup' })).map((o) => o.state)).toEqual(['met']);
    const er = await obligations({ obligation: 'event-report', party: 'op-cmcc' });
    expect(er.map((o) => [o.state, o.closedAt?.toISOString()])).toEqual([['met', '2026-11-28T02:58:00.000Z']]);
  });

  it('is idempotent: the same institution and key answer the stored notice and write nothing', async () => {
    const first = recorded(await recordEmergencyNotice(deps(), notice()));
    const mid = await counts(w);
    const again = recorded(await recordEmergencyNotice(deps(), notice({ summary: 'fetched again' })));
    expect(again).toMatchObject({ duplicate: true, messageId: first.messageId, standsFor: 'IncidentReport' });
    expect(again.document.bytes.equals(first.document.bytes)).toBe(true);
    expect(again.followupDue).toEqual(first.followupDue);
    expect(await counts(w)).toEqual(mid);
    const other = recorded(await recordEmergencyNotice(deps(), notice({ key: '<m2@chinamobile.example.cn>' })));
    expect(other.messageId).not.toBe(first.messageId);
  });

  it('stands for the DisposalFeedback of the case whose task number the mail names, meeting that clock provisionally; the signed feedback confirms it', async () => {
    const intake = w.intakeWith({ hooks });
    const report = example('incident-report');
    expect((await intake.submit({ bytes: await signed(w, report, 'json') })).accepted).toBe(true);
    const n = example('incident-notice', (d) => { (d.references as Record<string, string>).inReplyTo = String(report.id); });
    const accepted = await intake.submit({ bytes: await signed(w, n, 'json') });
    expect(accepted.accepted).toBe(true);
    await transaction(w.ds, (m) => hooks.onDeliveryAcknowledged(m, { messageId: String(n.id), deliveryId: 'dlv-1', recipientCode: 'op-cmcc', acknowledgedAt: new Date('2026-11-28T03:40:00Z') }, new Date('2026-11-28T03:40:00Z')));
    const fb = await obligations({ obligation: 'disposal-feedback', party: 'op-cmcc' });
    expect(fb.map((o) => o.state)).toEqual(['open']);

    const out = recorded(await recordEmergencyNotice(deps(), notice({ at: new Date('2026-11-28T04:45:00Z'), hint: 'Re: CNCERT-2026-1128-017 已封堵', key: '<fb@x>' })));
    expect(out).toMatchObject({ standsFor: 'DisposalFeedback', taskNumber: 'CNCERT-2026-1128-017', cc: ['cncert'] });
    expect(await obligations({ obligation: 'written-followup' })).toMatchObject([{ party: 'op-cmcc', counterparty: 'cncert', subject: 'DisposalFeedback' }]);
    const met = await obligations({ obligation: 'disposal-feedback', party: 'op-cmcc' });
    expect(met.map((o) => [o.state, o.provisional, o.closedBy, o.closedAt?.toISOString()])).toEqual([['met', true, out.messageId, '2026-11-28T04:45:00.000Z']]);

    w.clock.set(new Date('2026-11-28T05:10:00Z'));
    const written = await intake.submit({ bytes: await signed(w, example('disposal-feedback', (d) => { (d.references as Record<string, string>).inReplyTo = String(n.id); }), 'json') });
    expect(written.accepted).toBe(true);
    expect((await obligations({ obligation: 'written-followup' })).map((o) => o.state)).toEqual(['met']);
    const confirmed = await obligations({ obligation: 'disposal-feedback', party: 'op-cmcc' });
    expect(confirmed.map((o) => [o.state, o.provisional, o.closedAt?.toISOString()])).toEqual([['met', false, '2026-11-28T04:45:00.000Z']]);
  });

  it('meets one clock, the one due first of those started by the call, when several open clocks of the unit outside any case answer to the form it stands for', async () => {
    // Two event-report clocks of op-cmcc outside any case (as a bulk of opened clocks would be); one call reports one matter.
    const open = (key: string, due: string, start = '2026-11-28T01:00:00Z') => ({
      key, obligation: 'event-report', party: 'op-cmcc', counterparty: 'miit', caseKey: null, subject: key, level: 'II', openedBy: null,
      start: new Date(start), due: new Date(due), dueProvisional: false, specialPeriod: null, state: 'open' as const,
      waivedReason: null, closedBy: null, closedAt: null, provisional: false, levelHistory: [], nextAlertAt: null, openedAt: new Date('2026-11-28T01:00:00Z'),
    });
    // A third, due first, started only after the call (02:58): not what the call answered.
    await w.ds.manager.insert(ObligationEntity, [
      open('event-report|op-cmcc|later', '2026-11-28T07:00:00Z'), open('event-report|op-cmcc|sooner', '2026-11-28T06:00:00Z'), open('event-report|op-cmcc|after', '2026-11-28T05:30:00Z', '2026-11-28T03:30:00Z'),
    ]);
    const out = recorded(await recordEmergencyNotice(deps(), notice({ channel: 'phone', recordedBy: '值班员', key: 'call-1' })));
    expect(out.standsFor).toBe('IncidentReport');
    const clocks = await obligations({ obligation: 'event-report', party: 'op-cmcc' });
    expect(clocks.map((o) => [o.subject, o.state, o.provisional, o.closedBy])).toEqual([
      ['event-report|op-cmcc|later', 'open', false, null],
      ['event-report|op-cmcc|sooner', 'met', true, out.messageId],
      ['event-report|op-cmcc|after', 'open', false, null],
    ]);
  });

  it('refuses, writing only an audit entry: an unknown institution, an institution owing no written form, a task no case has', async () => {
    const before = await counts(w);
    const unknown = await recordEmergencyNotice(deps(), notice({ institution: 'op-nobody' }));
    expect(unknown).toMatchObject({ recorded: false, code: 'emergency.unknown-institution', errors: [{ path: 'body.institution' }] });
    const registry = await recordEmergencyNotice(deps(), notice({ institution: 'dr-cnnic', key: 'k2' }));
    expect(registry).toMatchObject({ recorded: false, code: 'emergency.no-written-form' });
    const badCaller = await recordEmergencyNotice(deps(), notice({ caller: { name: '李强', email: 'not an address' }, key: 'k3' }));
    expect(badCaller).toMatchObject({ recorded: false, code: 'emergency.invalid-notice', errors: [{ path: 'body.caller.email' }] });
    const after = await counts(w);
    expect(after).toEqual({ ...before, audit: before.audit + 3 });
    expect(await w.ds.manager.count(MessageEntity)).toBe(before.messages);
    const rejects = await w.ds.manager.find(AuditEntryEntity, { where: { kind: 'reject' } });
    expect(rejects.map((r) => r.actor)).toEqual(['mmgw', 'mmgw', 'mmgw']);
  });

  it('a clerk logging a phone call names the form and the task; a named task no case has is left out rather than refused', async () => {
    const out = recorded(await recordEmergencyNotice(deps(), notice({ channel: 'phone', caller: { name: '王五', phone: '010-66006688' }, standsFor: 'IncidentReport', level: 'I', recordedBy: 'CNCERT值班员 赵磊', key: 'console-log-1', taskNumber: 'NO-SUCH-TASK' })));
    expect(out).toMatchObject({ standsFor: 'IncidentReport', cc: ['miit', 'cncert'] });
    expect(out.taskNumber).toBeUndefined();
    expect(decode(out.document.bytes).document).toMatchObject({ body: { channel: 'phone', level: 'I', recordedBy: 'CNCERT值班员 赵磊', caller: { name: '王五', phone: '010-66006688' } } });
  });
});
