import { transaction } from '../../../gateway/store';
import { DeliveryEntity } from '../../../gateway/store/entities/delivery';
import { AuditEntryEntity } from '../../../gateway/store/entities/audit-entry';
import { runScheduler, waiveObligation } from '../../../gateway/obligations';
import { accepted, bj, iso, useFixture } from './support';

describe('waiving, and a level IV notice (SQLite)', () => {
  const f = useFixture();

  it('a level IV IncidentNotice opens each unit\'s MONTHLY disposal-feedback from its acknowledgement, not an hour clock', async () => {
    await f.accept(accepted('incident-report', bj('2026-11-28T10:53'), { to: ['cncert'], cc: [], body: { level: 'IV', lossYuan: 100, infectedNumbers24h: 100 } }));
    await f.accept(accepted('incident-notice', bj('2026-11-28T11:31'), { to: ['op-cucc'], body: { level: 'IV' } }));
    await f.ack('cncert-20261128-0003', 'op-cucc', bj('2026-11-28T11:40'));
    const monthly = await f.one({ obligation: 'disposal-feedback', party: 'op-cucc' });
    expect(monthly).toMatchObject({ subject: 'month:2026-11', level: 'IV', caseKey: null, state: 'open' });
    expect(iso(monthly.due)).toBe('2026-12-10T16:00:00.000Z');
    // A second acknowledgement in the month (redelivered, or another notice) opens nothing more.
    await f.ack('cncert-20261128-0003', 'op-cucc', bj('2026-11-28T12:00'));
    expect(await f.obligations({ obligation: 'disposal-feedback', party: 'op-cucc' })).toHaveLength(1);
  });

  it('waives an open obligation with its reason and an audit entry; it gets no alerts; a closed one cannot be waived', async () => {
    const open = await f.one({ obligation: 'disposal-feedback', party: 'op-cucc' });
    const at = new Date(bj('2026-11-29T09:00'));
    await expect(transaction(f.ds, (m) => waiveObligation(m, open.id, ' ', 'admin:wang', at))).rejects.toMatchObject({ code: 'obligation.bad-body', facts: { field: 'reason' } });
    const waived = await transaction(f.ds, (m) => waiveObligation(m, open.id, 'op-cucc has no level IV disposal in November (notice sent by mistake)', 'admin:wang', at));
    expect(waived).toMatchObject({ state: 'waived', waivedReason: 'op-cucc has no level IV disposal in November (notice sent by mistake)' });
    expect(await f.one({ obligation: 'disposal-feedback', party: 'op-cucc' })).toMatchObject({ state: 'waived', nextAlertAt: null });
    expect(await f.ds.manager.countBy(AuditEntryEntity, { kind: 'waive' })).toBe(1);
    expect((await runScheduler(f.ds, new Date(bj('2026-12-20T00:00')))).filter((a) => a.party === 'op-cucc')).toEqual([]);
    const met = await f.one({ obligation: 'event-report' });
    await expect(transaction(f.ds, (m) => waiveObligation(m, met.id, 'no', 'admin:wang', at))).rejects.toMatchObject({ code: 'obligation.not-open', facts: { state: 'met' } });
  });

  it('re-graded from IV to III, each unit that acknowledged the notice owes a per-case disposal-feedback from the re-grading time', async () => {
    await f.ds.manager.insert(DeliveryEntity, {
      messageId: 'cncert-20261128-0003', recipientCode: 'op-cucc', role: 'to', channel: 'mailbox', status: 'acknowledged', attempts: 1, lastErrorCode: null,
      queuedAt: new Date(bj('2026-11-28T11:31')), sentAt: new Date(bj('2026-11-28T11:32')), acknowledgedAt: new Date(bj('2026-11-28T11:40')), ackReceiptId: null, nextAttemptAt: null, statusSince: new Date(bj('2026-11-28T11:40')),
    });
    await f.accept(accepted('incident-report', bj('2026-11-29T10:00'), { id: 'op-cmcc-followup', to: ['cncert'], cc: [], taskNumber: 'CNCERT-2026-1128-017', body: { level: 'IV', lossYuan: 100, infectedNumbers24h: 20000 } }));
    const perCase = await f.one({ obligation: 'disposal-feedback', party: 'op-cucc', state: 'open' });
    expect(perCase).toMatchObject({ level: 'III', caseKey: 'op-cmcc-20261128-0007', subject: 'cncert-20261128-0003' });
    expect([iso(perCase.start), iso(perCase.due)]).toEqual(['2026-11-29T02:00:00.000Z', '2026-11-29T06:00:00.000Z']);
  });
});
