import { validate } from '../../../contracts/validation';
import { draftMonthlyGeneralSummary } from '../../../gateway/monthly';
import { MessageEntity } from '../../../gateway/store/entities/message';
import { accepted, bj, useFixture } from '../obligations/support';

/** A level IV IncidentReport to cncert (figures below every threshold). */
const levelIv = (id: string, from: string, discoveredAt: string, receivedAt: string, extra: Record<string, unknown> = {}) => accepted('incident-report', receivedAt, {
  id, from, to: ['cncert'], cc: [],
  body: { level: 'IV', lossYuan: 99.5, infectedNumbers24h: 120, infectedDevices: 130, discoveredAt, occurredAt: discoveredAt, provinces: ['31'], malwareName: 'a.remote.Spyzone.b', ...extra },
});

describe('draftMonthlyGeneralSummary (issue 6, item 6; Art. 10(3))', () => {
  const f = useFixture();
  const now = new Date(bj('2026-12-03T10:00'));

  beforeAll(async () => {
    // op-cmcc's batch (two events discovered 27 Nov), accepted 28 Nov.
    await f.accept(accepted('incident-report-batch', bj('2026-11-28T17:30')));
    // op-cucc's level IV report of 20 Nov; one of 31 Oct (reported 1 Nov) and one of 1 Dec: other months.
    await f.accept(levelIv('op-cucc-20261120-0001', 'op-cucc', bj('2026-11-20T08:15'), bj('2026-11-20T09:00')));
    await f.accept(levelIv('op-cucc-20261101-0001', 'op-cucc', bj('2026-10-31T23:00'), bj('2026-11-01T08:00')));
    await f.accept(levelIv('op-cucc-20261201-0001', 'op-cucc', bj('2026-12-01T00:30'), bj('2026-12-01T09:00')));
    // op-ctcc's level IV report, re-graded to III by its follow-up: no longer a level IV event.
    await f.accept(levelIv('op-ctcc-20261110-0001', 'op-ctcc', bj('2026-11-10T08:00'), bj('2026-11-10T09:00')));
    await f.accept(accepted('incident-notice', bj('2026-11-10T10:00'), { id: 'cncert-20261110-0001', to: ['op-ctcc'], cc: ['miit'], taskNumber: 'CNCERT-2026-1110-001', inReplyTo: 'op-ctcc-20261110-0001', body: { level: 'IV' } }));
    await f.accept(accepted('incident-report', bj('2026-11-10T12:00'), { id: 'op-ctcc-20261110-0002', from: 'op-ctcc', taskNumber: 'CNCERT-2026-1110-001', body: { level: 'III', lossYuan: 1500000, infectedNumbers24h: 200 } }));
  });

  it('lists the month\'s level IV events by occurrence with the summed counts, addressed to the reporting units and copied to miit — a valid, unsigned document', async () => {
    const { document, omitted } = await draftMonthlyGeneralSummary(f.ds, { period: '2026-11', now, compiledBy: '陈静' });
    expect(omitted).toEqual([]);
    expect(validate(document).ok).toBe(true);
    expect(document).toMatchObject({ type: 'MonthlyGeneralSummary', from: 'cncert', to: ['op-cmcc', 'op-cucc'], cc: ['miit'], sentAt: '2026-12-03T10:00:00+08:00' });
    expect(String(document.id)).toMatch(/^cncert-20261203-[0-9a-f]{8}$/);
    expect(document).not.toHaveProperty('signature');
    const body = document.body as { month: string; compiledBy: string; compiledAt: string; counts: Record<string, number>; events: Array<Record<string, unknown>> };
    expect([body.month, body.compiledBy, body.compiledAt]).toEqual(['2026-11', '陈静', '2026-12-03T10:00:00+08:00']);
    expect(body.events.map((e) => [e.seq, e.reportId, e.reportingUnit, e.occurredAt, e.malwareName])).toEqual([
      [1, 'op-cucc-20261120-0001', 'op-cucc', '2026-11-20T08:15:00+08:00', 'a.remote.Spyzone.b'],
      [2, 'op-cmcc-20261128-0008', 'op-cmcc', '2026-11-26T20:30:00+08:00', 's.payment.sysantirus.g.[伪系统杀毒]'],
      [3, 'op-cmcc-20261128-0008', 'op-cmcc', '2026-11-27T08:00:00+08:00', 'a.privacy.emial.d'],
    ]);
    expect(body.events[1]).toMatchObject({ provinces: ['44', '45'], infectedDevices: 47, infectedNumbers24h: 47, lossYuan: 1270.4 });
    // 1270.4 + 0 + 99.5, summed to the fen.
    expect(body.counts).toEqual({ events: 3, infectedDevices: 130 + 47 + 312, infectedNumbers: 120 + 47 + 298, lossYuan: 1369.9 });
  });

  it('a month without level IV events is an empty summary to miit; a report whose content was purged is named, not guessed', async () => {
    const empty = await draftMonthlyGeneralSummary(f.ds, { period: '2026-09', now });
    expect(empty.document).toMatchObject({ to: ['miit'], body: { compiledBy: 'CNCERT', counts: { events: 0, infectedDevices: 0, infectedNumbers: 0, lossYuan: 0 }, events: [] } });
    expect(empty.document).not.toHaveProperty('cc');
    expect(validate(empty.document).ok).toBe(true);

    await f.ds.manager.update(MessageEntity, { id: 'op-cucc-20261120-0001' }, { bytes: Buffer.alloc(0) });
    const { document, omitted } = await draftMonthlyGeneralSummary(f.ds, { period: '2026-11', now });
    expect(omitted).toEqual(['IncidentReport op-cucc-20261120-0001: its content is purged (Art. 12)']);
    expect((document.body as { counts: { events: number } }).counts.events).toBe(2);
  });

  it('refuses a period that is not YYYY-MM, naming it', async () => {
    for (const period of ['2026-13', '2026-1', '11/2026', '']) {
      await expect(draftMonthlyGeneralSummary(f.ds, { period, now })).rejects.toMatchObject({ code: 'monthly.bad-period', facts: expect.objectContaining({ field: 'period' }) as unknown });
    }
  });
});
