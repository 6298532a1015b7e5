import { CaseEntity, ObligationEntity, type ObligationRow } from '../../../gateway/obligations/entities';
import { listObligations, pageObligations, type ObligationPageQuery } from '../../../gateway/obligations';
import { bj, useFixture } from './support';

/** pageObligations (GET /v1/obligations) on one database (`url` undefined: SQLite): keyset paging over due ties and no-deadline rows, the filters, the refusals. */
export function pageObligationsSuite(url: (() => string) | undefined, available: () => boolean): void {
  const f = useFixture({}, url);
  const NOW = new Date(bj('2026-11-28T14:00'));
  let n = 0;
  const row = (o: Partial<ObligationRow> & { party: string }): Omit<ObligationRow, 'id'> => {
    n += 1;
    return {
      key: `test|${o.party}|${n}`, obligation: 'disposal-feedback', counterparty: 'cncert', caseKey: null, subject: null, level: 'II', openedBy: null,
      start: new Date(bj('2026-11-28T09:00')), due: null, dueProvisional: false, specialPeriod: null, state: 'open', waivedReason: null, closedBy: null, closedAt: null,
      provisional: false, levelHistory: [], nextAlertAt: null, openedAt: new Date(bj('2026-11-28T09:00')), ...o,
    };
  };

  beforeAll(async () => {
    if (!available()) return;
    const due = (local: string) => new Date(bj(local));
    await f.ds.manager.insert(CaseEntity, { key: 'op-cmcc-report-1', taskNumber: 'CNCERT-2026-1128-101', kind: 'incident', level: 'II', provinces: [], parties: ['op-cmcc', 'cncert'], legalHold: false, levelHistory: [], openedAt: NOW, updatedAt: NOW });
    await f.ds.manager.insert(ObligationEntity, [
      row({ party: 'op-cmcc', due: null, obligation: 'written-followup' }),
      row({ party: 'op-cmcc', due: due('2026-11-28T13:00'), caseKey: 'op-cmcc-report-1' }), // overdue
      row({ party: 'op-cucc', due: due('2026-11-28T13:00') }),
      row({ party: 'op-cmcc', due: due('2026-11-28T15:00'), caseKey: 'op-cmcc-report-1', obligation: 'event-report', state: 'met', closedAt: due('2026-11-28T12:00') }),
      row({ party: 'op-cmcc', due: due('2026-11-28T15:00') }), // a tie on the due instant
      row({ party: 'op-cmcc', due: due('2026-11-28T15:00') }),
      row({ party: 'op-cmcc', due: null, obligation: 'written-followup', state: 'waived', waivedReason: 'test' }),
      row({ party: 'op-cmcc', due: due('2026-11-28T11:00'), state: 'met-late', closedAt: due('2026-11-28T12:00') }),
    ]);
  });

  const page = (q: Partial<ObligationPageQuery>) => pageObligations(f.ds.manager, { party: 'op-cmcc', now: NOW, ...q });

  it('pages through every obligation of the party once, in listObligations\' order, whatever the page size', async () => {
    if (!available()) return;
    const all = (await listObligations(f.ds.manager, { party: 'op-cmcc', now: NOW })).map((o) => o.id);
    expect(all).toHaveLength(7);
    for (const limit of [1, 2, 3, 7, 50]) {
      const seen: number[] = [];
      let after: string | undefined;
      for (let i = 0; i < 10; i += 1) {
        const p = await page({ limit, ...(after !== undefined && { after }) });
        seen.push(...p.items.map((o) => o.id));
        if (p.next === null) break;
        after = p.next;
      }
      expect({ limit, seen }).toEqual({ limit, seen: all });
    }
    const first = await page({ limit: 7 });
    expect(first.next).toBeNull();
    expect(first.items.map((o) => o.due === null)).toEqual([false, false, false, false, false, true, true]);
  });

  it('filters: overdue at now (true and false), state, obligation id, case by task number or key', async () => {
    if (!available()) return;
    const ids = async (q: Partial<ObligationPageQuery>) => (await page(q)).items.map((o) => `${o.obligation}:${o.state}:${o.overdue}`);
    expect(await ids({ overdue: true })).toEqual(['disposal-feedback:open:true']);
    expect(await ids({ overdue: false })).toHaveLength(6);
    expect(await ids({ state: 'waived' })).toEqual(['written-followup:waived:false']);
    expect(await ids({ obligation: 'event-report' })).toEqual(['event-report:met:false']);
    expect(await ids({ caseRef: 'CNCERT-2026-1128-101' })).toEqual(['disposal-feedback:open:true', 'event-report:met:false']);
    expect(await ids({ caseRef: 'op-cmcc-report-1' })).toEqual(['disposal-feedback:open:true', 'event-report:met:false']);
    expect(await ids({ caseRef: 'CNCERT-NONE' })).toEqual([]);
    expect(await pageObligations(f.ds.manager, { party: 'op-cucc', now: NOW })).toMatchObject({ items: [{ party: 'op-cucc', overdue: true }], next: null });
  });

  it('refuses a malformed filter, naming the field', async () => {
    if (!available()) return;
    await expect(page({ limit: 0 })).rejects.toMatchObject({ code: 'obligation.bad-query', facts: { field: 'limit' } });
    await expect(page({ limit: 201 })).rejects.toMatchObject({ code: 'obligation.bad-query', facts: { field: 'limit' } });
    await expect(page({ obligation: 'event-notice' })).rejects.toMatchObject({ code: 'obligation.bad-query', facts: { field: 'obligation' } });
    await expect(page({ after: '12:34' })).rejects.toMatchObject({ code: 'obligation.bad-query', facts: { field: 'after' } });
    await expect(page({ party: 'OP CMCC' })).rejects.toMatchObject({ code: 'obligation.bad-query', facts: { field: 'party' } });
    await expect(page({ state: 'done' as never })).rejects.toMatchObject({ code: 'obligation.bad-query', facts: { field: 'state' } });
  });
}
