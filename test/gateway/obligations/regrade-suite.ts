import { transaction } from '../../../gateway/store';
import { OutboxEntity } from '../../../gateway/store/entities/outbox';
import { AuditEntryEntity } from '../../../gateway/store/entities/audit-entry';
import { CaseEntity } from '../../../gateway/obligations/entities';
import { declareSpecialPeriod, listObligations, listSpecialPeriods, runScheduler } from '../../../gateway/obligations';
import { accepted, bj, iso, useFixture } from './support';

const TASK = 'CNCERT-2026-1128-017';
const III = { level: 'III', lossYuan: 1850000.5, infectedNumbers24h: 20000 };

/** Re-grading, refusals, special periods and queries on one database (`url` undefined: SQLite). */
export function regradeSuite(url: (() => string) | undefined, available: () => boolean): void {
  const f = useFixture({}, url);

  beforeAll(async () => {
    if (!available()) return;
    await f.accept(accepted('incident-report', bj('2026-11-28T10:53'), { body: III }));
    await f.accept(accepted('incident-notice', bj('2026-11-28T11:31'), { body: { level: 'III' } }));
    await f.ack('cncert-20261128-0003', 'op-cmcc', bj('2026-11-28T11:40'));
  });

  it('re-grades III → I when a follow-up report\'s figures pass the level I threshold: open level clocks restart at the re-grading time', async () => {
    if (!available()) return;
    const before = await f.one({ obligation: 'disposal-feedback', party: 'op-cmcc' });
    expect(iso(before.due)).toBe('2026-11-28T07:40:00.000Z');
    // The operator still says III, but 150,000 infected numbers in 24 h exceed level I's 100,000 (Art. 8).
    await f.accept(accepted('incident-report', bj('2026-11-28T12:30'), { id: 'op-cmcc-20261128-0009', taskNumber: TASK, body: { ...III, infectedNumbers24h: 150000 } }));
    const after = await f.one({ obligation: 'disposal-feedback', party: 'op-cmcc' });
    expect(after).toMatchObject({ level: 'I', state: 'open' });
    expect(iso(after.start)).toBe('2026-11-28T04:30:00.000Z');
    expect(iso(after.due)).toBe('2026-11-28T06:30:00.000Z'); // 12:30 + 2 h
    expect(after.levelHistory).toEqual([{ from: 'III', to: 'I', at: '2026-11-28T04:30:00.000Z', previousDue: '2026-11-28T07:40:00.000Z', messageId: 'op-cmcc-20261128-0009' }]);
    // The event-report was met already: not re-timed.
    expect(await f.one({ obligation: 'event-report' })).toMatchObject({ level: 'III', state: 'met' });
    const c = await f.ds.manager.findOneByOrFail(CaseEntity, { taskNumber: TASK });
    expect(c.level).toBe('I');
    expect(c.levelHistory.map((h) => `${h.from}→${h.to}`)).toEqual(['null→III', 'III→I']);
    const notices = await f.ds.manager.findBy(OutboxEntity, { topic: 'case.regraded' });
    expect(notices).toHaveLength(1);
    const payload = JSON.parse((notices[0] as { payload: Buffer }).payload.toString()) as { from: string; to: string; taskNumber: string; parties: string[]; retimed: unknown[] };
    expect(payload).toMatchObject({ from: 'III', to: 'I', taskNumber: TASK, retimed: [{ obligation: 'disposal-feedback', party: 'op-cmcc' }] });
    expect(payload.parties).toEqual(expect.arrayContaining(['op-cmcc', 'miit', 'cncert', 'ca-11', 'ca-44']));
    expect(await f.ds.manager.countBy(AuditEntryEntity, { kind: 'regrade' })).toBe(1);
    // A later message with lower figures never downgrades.
    await f.accept(accepted('incident-report', bj('2026-11-28T12:40'), { id: 'op-cmcc-20261128-0010', taskNumber: TASK, body: III }));
    expect((await f.ds.manager.findOneByOrFail(CaseEntity, { taskNumber: TASK })).level).toBe('I');
    expect(await f.ds.manager.countBy(OutboxEntity, { topic: 'case.regraded' })).toBe(1);
    // The restarted clock gets its own reminders: 50 % of 12:30 → 14:30 is 13:30.
    expect(await runScheduler(f.ds, new Date(bj('2026-11-28T13:29')))).toEqual([]);
    expect((await runScheduler(f.ds, new Date(bj('2026-11-28T13:30')))).map((a) => `${a.obligation}:${a.party}:${a.kind}:${a.fraction}`)).toEqual(['disposal-feedback:op-cmcc:reminder:0.5']);
  });

  it('refuses a DisposalFeedback for a task number no IncidentNotice opened, changing nothing', async () => {
    if (!available()) return;
    const before = await f.counts();
    const error = await f.accept(accepted('disposal-feedback', bj('2026-11-28T13:00'), { id: 'op-cmcc-x1', taskNumber: 'CNCERT-2026-9999-001', body: { taskNumber: 'CNCERT-2026-9999-001' } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'obligation.unknown-task', facts: expect.objectContaining({ taskNumber: 'CNCERT-2026-9999-001', field: 'taskNumber' }) });
    expect(await f.counts()).toEqual(before);
    expect(await f.one({ obligation: 'disposal-feedback', party: 'op-cmcc' })).toMatchObject({ state: 'open' });
  });

  it('refuses a VerificationResult from anyone but cncert, and a SampleIdentification answering no SampleReport', async () => {
    if (!available()) return;
    const before = await f.counts();
    await expect(f.accept(accepted('verification-result', bj('2026-11-28T13:00'), { id: 'op-cmcc-x2', from: 'op-cmcc' }))).rejects.toMatchObject({ code: 'obligation.not-responsible', facts: expect.objectContaining({ article: 'Art. 11(5)' }) });
    await expect(f.accept(accepted('sample-identification', bj('2026-11-28T13:00'), { inReplyTo: 'op-cmcc-nothing' }))).rejects.toMatchObject({ code: 'obligation.unknown-task' });
    expect(await f.counts()).toEqual(before);
  });

  it('stores Art. 16 special periods: refuses one that ends before it starts; one that halves hour deadlines governs obligations starting inside it', async () => {
    if (!available()) return;
    const admin = (spec: Parameters<typeof declareSpecialPeriod>[1]) => transaction(f.ds, (m) => declareSpecialPeriod(m, spec, 'admin:wang', new Date(bj('2026-11-28T00:00'))));
    await expect(admin({ id: 'backwards', name: 'wrong way round', start: new Date(bj('2026-12-05T00:00')), end: new Date(bj('2026-12-01T00:00')), hourFactor: 0.5 }))
      .rejects.toMatchObject({ code: 'special-period.ends-before-start', facts: expect.objectContaining({ article: 'Art. 16' }) });
    expect(await listSpecialPeriods(f.ds.manager)).toEqual([]);
    await admin({ id: 'summit-2026', name: '2026 summit', start: new Date(bj('2026-12-01T00:00')), end: new Date(bj('2026-12-08T00:00')), hourFactor: 0.5 });
    await expect(admin({ id: 'summit-2026', name: 'again', start: new Date(bj('2026-12-01T00:00')), end: new Date(bj('2026-12-02T00:00')) })).rejects.toMatchObject({ code: 'obligation.duplicate-period' });
    expect(await f.ds.manager.countBy(AuditEntryEntity, { kind: 'special-period' })).toBe(1);
    // An event discovered inside the period: level III's 4 h becomes 2 h, so a report 2 h 1 min later is late.
    await f.accept(accepted('incident-report', bj('2026-12-02T11:01'), { id: 'op-cucc-20261202-0001', from: 'op-cucc', body: { ...III, discoveredAt: bj('2026-12-02T09:00') } }));
    const inside = await f.one({ obligation: 'event-report', party: 'op-cucc' });
    expect(inside).toMatchObject({ specialPeriod: 'summit-2026', state: 'met-late' });
    expect(iso(inside.due)).toBe('2026-12-02T03:00:00.000Z');
    // Discovered before the period started: the normal 4 h.
    await f.accept(accepted('incident-report', bj('2026-12-01T01:00'), { id: 'op-ctcc-20261130-0001', from: 'op-ctcc', body: { ...III, discoveredAt: bj('2026-11-30T23:00') } }));
    const outside = await f.one({ obligation: 'event-report', party: 'op-ctcc' });
    expect(outside).toMatchObject({ specialPeriod: null, state: 'met' });
    expect(iso(outside.due)).toBe('2026-11-30T19:00:00.000Z');
  });

  it('lists obligations by party and overdue at an instant', async () => {
    if (!available()) return;
    const mine = await listObligations(f.ds.manager, { party: 'op-cmcc', now: new Date(bj('2026-11-28T14:00')) });
    expect(mine.map((o) => `${o.obligation}:${o.state}:${o.overdue}:${iso(o.due)}`)).toEqual([
      'event-report:met:false:2026-11-28T05:20:00.000Z', 'disposal-feedback:open:false:2026-11-28T06:30:00.000Z',
    ]);
    const overdue = await listObligations(f.ds.manager, { overdue: true, now: new Date(bj('2026-11-28T15:00')) });
    expect(overdue.map((o) => `${o.obligation}:${o.party}:${o.overdue}`)).toEqual(['disposal-feedback:op-cmcc:true']);
    expect(await listObligations(f.ds.manager, { party: 'op-cmcc', overdue: true, now: new Date(bj('2026-11-28T14:29')) })).toEqual([]);
    await expect(listObligations(f.ds.manager, { party: 'OP CMCC' })).rejects.toMatchObject({ code: 'obligation.bad-query', facts: { field: 'party', value: 'OP CMCC' } });
    await expect(listObligations(f.ds.manager, { overdue: true })).rejects.toMatchObject({ code: 'obligation.bad-query', facts: { field: 'now' } });
  });
}
