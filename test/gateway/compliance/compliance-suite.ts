import { GatewayError } from '../../../contracts/errors/gateway-error';
import { complianceReport } from '../../../gateway/compliance';
import { accepted, bj, example, useFixture } from '../obligations/support';
import { acceptDocument } from './accept-document';

const II = { level: 'II', lossYuan: 100, infectedNumbers24h: 60000 };

/** The complianceReport (Art. 19) tests on one database (`url` undefined: SQLite). */
export function complianceSuite(url: (() => string) | undefined, available: () => boolean): void {
  const f = useFixture({}, url);
  const now = new Date(bj('2026-12-01T10:00'));

  beforeAll(async () => {
    if (!available()) return;
    const report = (id: string, receivedAt: string, body: Record<string, unknown>) =>
      acceptDocument(f, accepted('incident-report', bj(receivedAt), { id, body: { ...body, discoveredAt: bj('2026-11-28T09:20') } }));
    // Discovered 09:20, level II: due 11:20 Beijing.
    await report('op-cmcc-a', '2026-11-28T10:00', II); // on time
    await report('op-cmcc-b', '2026-11-28T11:50', II); // 30 min late
    await report('op-cmcc-d', '2026-11-28T12:50', II); // 90 min late
    // States III, but 60,000 numbers infected in 24 h call for II (Art. 8): under-graded, sent on time.
    await report('op-cmcc-c', '2026-11-28T10:05', { ...II, level: 'III' });
    // op-cucc acknowledges a level II notice at 12:00 and never feeds back: disposal-feedback due 14:00, open past due.
    await acceptDocument(f, accepted('incident-notice', bj('2026-11-28T11:31'), { id: 'cncert-n1', to: ['op-cucc'], cc: [], taskNumber: 'T-1', inReplyTo: 'op-cmcc-a', body: { taskNumber: 'T-1', level: 'II' } }));
    await f.ack('cncert-n1', 'op-cucc', bj('2026-11-28T12:00'));
    // op-ctcc's level IV batch: event 2's 20,000 numbers infected in 24 h call for III.
    const batch = example('incident-report-batch');
    const event = (batch.body.events as Array<Record<string, unknown>>)[0] as Record<string, unknown>;
    const events = [{ ...event, seq: 1, lossYuan: 100, infectedNumbers24h: 100 }, { ...event, seq: 2, lossYuan: 100, infectedNumbers24h: 20000 }];
    await acceptDocument(f, accepted('incident-report-batch', bj('2026-11-28T17:30'), { id: 'op-ctcc-batch-1', from: 'op-ctcc', body: { events } }));
  });

  it('checks each event of a level IV batch: an event whose figures call for III is under-graded, by its 序号', async () => {
    if (!available()) return;
    const r = await complianceReport(f.ds, { period: '2026-11', unit: 'op-ctcc' }, now);
    expect(r.units[0]).toMatchObject({ unit: 'op-ctcc', underGraded: 1, reportsChecked: 2, reportsUnchecked: 0 });
    expect(r.units[0]?.underGradedReports).toEqual([{ messageId: 'op-ctcc-batch-1', seq: 2, unit: 'op-ctcc', reported: 'IV', required: 'III', acceptedAt: '2026-11-28T09:30:00.000Z' }]);
  });

  it('counts per unit: met on time, met late with max and mean lateness, open past due, under-graded reports', async () => {
    if (!available()) return;
    const r = await complianceReport(f.ds, { period: '2026-11' }, now);
    expect([r.period, r.from, r.to]).toEqual(['2026-11', '2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z']);
    const cmcc = r.units.find((u) => u.unit === 'op-cmcc');
    expect(cmcc).toMatchObject({ metOnTime: 2, metLate: 2, maxLateMinutes: 90, meanLateMinutes: 60, openPastDue: 0, underGraded: 1, reportsChecked: 4, reportsUnchecked: 0 });
    expect(cmcc?.late.map((l) => [l.obligation, l.lateMinutes])).toEqual([['event-report', 30], ['event-report', 90]]);
    expect(cmcc?.underGradedReports).toEqual([{ messageId: 'op-cmcc-c', unit: 'op-cmcc', reported: 'III', required: 'II', acceptedAt: '2026-11-28T02:05:00.000Z' }]);
    const cucc = r.units.find((u) => u.unit === 'op-cucc');
    expect(cucc).toMatchObject({ metOnTime: 0, metLate: 0, openPastDue: 1, underGraded: 0 });
    expect(cucc?.overdue.map((o) => [o.obligation, o.due])).toEqual([['disposal-feedback', '2026-11-28T06:00:00.000Z']]);
  });

  it('before the deadline an open obligation is not yet due, not past due', async () => {
    if (!available()) return;
    const r = await complianceReport(f.ds, { period: '2026-11', unit: 'op-cucc' }, new Date(bj('2026-11-28T13:00')));
    expect(r.units).toHaveLength(1);
    expect(r.units[0]).toMatchObject({ unit: 'op-cucc', openPastDue: 0, openNotYetDue: 1 });
  });

  it('another month has none of these', async () => {
    if (!available()) return;
    const r = await complianceReport(f.ds, { period: '2026-10' }, now);
    expect(r.units).toEqual([]);
  });

  it('refuses a period that is not YYYY-MM and a unit that is not a code, naming them', async () => {
    if (!available()) return;
    await expect(complianceReport(f.ds, { period: '2026-13' }, now)).rejects.toMatchObject({ code: 'compliance.bad-period', message: expect.stringContaining('"2026-13"') as unknown });
    await expect(complianceReport(f.ds, { period: '2026-11', unit: 'OP CMCC' }, now)).rejects.toBeInstanceOf(GatewayError);
  });
}
