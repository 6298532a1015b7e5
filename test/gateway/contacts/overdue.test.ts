import type { DataSource } from 'typeorm';
import { TestClock } from '../../../gateway/clock';
import { applyContactUpdate, historyOf, overdueChanges } from '../../../gateway/contacts';
import { transaction } from '../../../gateway/store';
import { addInstitutions, contactStore, updateBody } from './support';

// Art. 17: a change is reported within 3 working days of taking effect. A change effective on
// Wednesday 2026-09-30 runs into the National Day holiday (1–7 October), so its 3 wd are
// 8, 9 and Saturday 10 October (an adjusted working day): due 2026-10-11 00:00 Beijing time.
describe('overdueChanges', () => {
  let ds: DataSource;
  let close: () => Promise<void>;
  const clock = new TestClock('2026-10-01T00:00:00Z');

  beforeAll(async () => {
    ({ ds, close } = await contactStore());
    await addInstitutions(ds, [
      { code: 'op-cmcc', kind: 'operator', name: '中国移动' },
      { code: 'op-cucc', kind: 'operator', name: '中国联通' },
      { code: 'op-ctcc', kind: 'operator', name: '中国电信' },
    ]);
  });
  afterAll(() => close());

  async function report(institution: string, effectiveDate: string, at: string): Promise<void> {
    clock.set(at);
    await transaction(ds, (m) => applyContactUpdate(m, { institution, body: updateBody({ effectiveDate }), changedBy: { institution }, reportedAt: clock.now() }, clock.now()));
  }

  it('counts working days across the holiday: reported on the 3rd working day is on time, the day after is late', async () => {
    await report('op-cmcc', '2026-09-30', '2026-10-10T15:59:59.999Z'); // Saturday 10 Oct, 23:59:59.999 Beijing: the last instant on time
    await report('op-cucc', '2026-09-30', '2026-10-11T01:00:00Z'); // Sunday 11 Oct, 09:00 Beijing: late
    await report('op-ctcc', '2026-09-29', '2026-10-09T02:00:00Z'); // effective Tuesday: due end of Friday 9 Oct; reported that morning
    const due = (await historyOf(ds, 'op-cmcc'))[0].dueAt;
    expect(due.toISOString()).toBe('2026-10-10T16:00:00.000Z');
    // Counting Monday–Friday only would have made it due on 5 October and all three late.
    const overdue = await overdueChanges(ds, new Date('2026-10-12T00:00:00Z'));
    expect(overdue.map((o) => o.institutionCode)).toEqual(['op-cucc']);
    expect(overdue[0]).toMatchObject({ effectiveDate: '2026-09-30', dueAt: new Date('2026-10-10T16:00:00Z'), lateByMs: 9 * 3_600_000 });
  });

  it('leaves out changes recorded after the instant asked about', async () => {
    await report('op-ctcc', '2026-10-12', '2026-10-20T02:00:00Z'); // due end of Thursday 15 Oct: late
    expect((await overdueChanges(ds, new Date('2026-10-19T00:00:00Z'))).map((o) => o.institutionCode)).toEqual(['op-cucc']);
    expect((await overdueChanges(ds, clock.now())).map((o) => o.institutionCode)).toEqual(['op-cucc', 'op-ctcc']);
  });
});
