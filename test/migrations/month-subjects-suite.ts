import type { DataSource } from 'typeorm';
import { complianceReport } from '../../gateway/compliance';
import { ObligationEntity } from '../../gateway/obligations/entities';
import { obligationHooks } from '../../gateway/obligations/hooks';
import { monthSubject } from '../../gateway/obligations/month-subject';
import { obligationKey, openObligation, type OpenRequest } from '../../gateway/obligations/obligation-store';
import { obligationContext } from '../../gateway/obligations/options';
import { migrate, openStore, transaction } from '../../gateway/store';
import { migrations } from '../../migrations';
import { MonthSubjects1764383100000 } from '../../migrations/1764383100000-month-subjects';
import { accepted, bj, storeMessage } from '../gateway/obligations/support';

const before = migrations.filter((m) => m !== MonthSubjects1764383100000);

/**
 * MonthSubjects1764383100000 on one database: the monthly-general-summary rows opened before it
 * with the bare month (`2026-10`) are rewritten to `month:2026-10` with the key the code computes
 * for that subject, so the gateway after the upgrade finds them by subject (a level IV report of
 * the month opens no second row; cncert's MonthlyGeneralSummary meets the one it owes). Other rows
 * stay as they are; down() spells the month bare again.
 */
export function monthSubjectsSuite(url: () => string, available: () => boolean = () => true): void {
  let ds: DataSource;
  const rowOf = (id: number) => ds.manager.findOneByOrFail(ObligationEntity, { id });
  const ids: Record<string, number> = {};
  // What the gateway wrote before (obligationKey of the subject as it was then spelled).
  const old: Record<string, OpenRequest> = {
    octSummary: { obligation: 'monthly-general-summary', party: 'cncert', subject: '2026-10', openedBy: 'op-cmcc-oct', start: new Date(bj('2026-10-15T09:00')) },
    novSummary: { obligation: 'monthly-general-summary', party: 'cncert', subject: '2026-11', openedBy: 'op-cmcc-nov', start: new Date(bj('2026-11-02T09:00')) },
    octFeedback: { obligation: 'disposal-feedback', party: 'op-cmcc', counterparty: 'cncert', subject: 'month:2026-10', level: 'IV', openedBy: 'op-cmcc-oct', start: new Date(bj('2026-10-15T09:00')) },
    contactChange: { obligation: 'contact-change', party: 'op-cucc', counterparty: 'miit', subject: 'op-cucc-cu-1', openedBy: 'op-cucc-cu-1', start: new Date(bj('2026-10-12T09:00')) },
  };

  beforeAll(async () => {
    if (!available()) return;
    const first = await openStore(url(), { migrations: before });
    try {
      await migrate(first);
      const ctx = obligationContext();
      for (const [name, r] of Object.entries(old)) ids[name] = (await transaction(first, (m) => openObligation(m, ctx, r, new Date(bj('2026-10-16T00:00'))))).id;
    } finally {
      await first.destroy();
    }
    ds = await openStore(url(), { migrations });
  });
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
  });

  it('rewrites the bare-month monthly-general-summary rows to month:YYYY-MM with the key the code computes; other rows stay', async () => {
    if (!available()) return;
    expect(await migrate(ds)).toEqual(['MonthSubjects1764383100000']);
    for (const [name, month] of [['octSummary', '2026-10'], ['novSummary', '2026-11']] as const) {
      const row = await rowOf(ids[name] as number);
      expect([row.subject, row.key]).toEqual([monthSubject(month), obligationKey({ ...(old[name] as OpenRequest), subject: monthSubject(month) })]);
    }
    for (const name of ['octFeedback', 'contactChange']) {
      const row = await rowOf(ids[name] as number);
      expect([row.subject, row.key]).toEqual([old[name]?.subject, obligationKey(old[name] as OpenRequest)]);
    }
  });

  it('after it, a level IV report of the month finds the migrated row and cncert\'s MonthlyGeneralSummary meets it', async () => {
    if (!available()) return;
    const hooks = obligationHooks();
    const accept = (a: ReturnType<typeof accepted>) => transaction(ds, async (m) => {
      await storeMessage(m, a);
      await hooks.onMessageAccepted(m, a, a.receivedAt);
    });
    const figures = { level: 'IV', lossYuan: 100, infectedNumbers24h: 100, discoveredAt: bj('2026-10-20T09:00') };
    await accept(accepted('incident-report', bj('2026-10-20T10:00'), { id: 'op-cucc-oct', from: 'op-cucc', to: ['cncert'], cc: [], body: figures }));
    const summaries = await ds.manager.find(ObligationEntity, { where: { obligation: 'monthly-general-summary' }, order: { id: 'ASC' } });
    expect(summaries.map((o) => [o.id, o.subject])).toEqual([[ids.octSummary, 'month:2026-10'], [ids.novSummary, 'month:2026-11']]);
    await accept(accepted('monthly-general-summary', bj('2026-11-06T16:00'), { id: 'cncert-sum-oct', body: { month: '2026-10' } }));
    expect(await rowOf(ids.octSummary as number)).toMatchObject({ state: 'met', closedBy: 'cncert-sum-oct' });
    expect((await rowOf(ids.novSummary as number)).state).toBe('open');
    // Art. 19: the summary due in November counts as met on time for cncert.
    const report = await complianceReport(ds, { period: '2026-11', unit: 'cncert' }, new Date(bj('2026-12-01T00:00')));
    expect(report.units.map((u) => [u.unit, u.metOnTime, u.openPastDue])).toEqual([['cncert', 1, 0]]);
  });

  it('down() spells the month bare again (subject and key); up() again restores month:', async () => {
    if (!available()) return;
    await ds.undoLastMigration();
    const reverted = await rowOf(ids.octSummary as number);
    expect([reverted.subject, reverted.key]).toEqual(['2026-10', obligationKey(old.octSummary as OpenRequest)]);
    expect((await rowOf(ids.octFeedback as number)).subject).toBe('month:2026-10');
    expect(await migrate(ds)).toEqual(['MonthSubjects1764383100000']);
    expect((await rowOf(ids.octSummary as number)).subject).toBe('month:2026-10');
  });
}
