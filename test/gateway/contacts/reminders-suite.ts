import type { DataSource } from 'typeorm';
import { verifyAuditChain } from '../../../gateway/audit';
import { TestClock } from '../../../gateway/clock';
import {
  applyContactUpdate, confirmationPeriod, CONFIRMATION_REQUESTED_TOPIC, dueConfirmations, recordConfirmation, sendConfirmationReminders,
} from '../../../gateway/contacts';
import { AuditEntryEntity, OutboxEntity, transaction } from '../../../gateway/store';
import { addInstitutions, contactStore, updateBody } from './support';

/**
 * The periodic confirmation reminder on one database (`url()` undefined: a fresh SQLite file).
 * `racer()` opens a second connection pool to the same database for the race, when the
 * database allows two writers to really run at once.
 */
export function remindersSuite(url: () => string | undefined, available: () => boolean = () => true, secondPool = false): void {
  let ds: DataSource;
  let other: DataSource;
  let close: () => Promise<void>;
  let closeOther: () => Promise<void> = async () => undefined;
  const clock = new TestClock('2026-12-01T01:30:00Z');

  beforeAll(async () => {
    if (!available()) return;
    ({ ds, close } = await contactStore(url()));
    other = ds;
    if (secondPool) ({ ds: other, close: closeOther } = await contactStore(url()));
    await addInstitutions(ds, [
      { code: 'gateway', kind: 'gateway', name: 'mmgw' },
      { code: 'miit', kind: 'miit', name: '工业和信息化部' },
      { code: 'op-cmcc', kind: 'operator', name: '中国移动' },
      { code: 'op-cucc', kind: 'operator', name: '中国联通' },
      { code: 'op-ctcc', kind: 'operator', name: '中国电信' },
    ]);
    const report = async (institution: string, at: string) => {
      clock.set(at);
      await transaction(ds, (m) => applyContactUpdate(m, { institution, body: updateBody({ effectiveDate: at.slice(0, 10) }), changedBy: { institution }, reportedAt: clock.now() }, clock.now()));
    };
    await report('op-cmcc', '2026-09-20T02:00:00Z'); // last quarter
    await report('op-cucc', '2026-10-05T02:00:00Z'); // this quarter
    await report('op-ctcc', '2026-09-30T15:59:59.999Z'); // 23:59:59.999 Beijing on the last day of Q3
  });
  afterAll(async () => {
    if (!available()) return;
    await closeOther();
    await close();
  });

  const reminders = async () => (await ds.getRepository(OutboxEntity).find({ where: { topic: CONFIRMATION_REQUESTED_TOPIC }, order: { id: 'ASC' } }))
    .map((r) => JSON.parse(r.payload.toString('utf8')) as { institution: string; period: string });
  const reminderAudit = () => ds.getRepository(AuditEntryEntity).find({ where: { kind: 'contact-reminder' }, order: { seq: 'ASC' } });

  it('names the period: the Beijing quarter, or fixed N-day windows', () => {
    if (!available()) return;
    expect(confirmationPeriod(new Date('2026-12-31T15:59:59Z'))).toEqual({ key: '2026-Q4', start: new Date('2026-09-30T16:00:00Z') });
    expect(confirmationPeriod(new Date('2026-12-31T16:00:00Z')).key).toBe('2027-Q1');
    const a = confirmationPeriod(new Date('2026-12-01T00:00:00Z'), 30);
    expect(a.start.getTime()).toBeLessThanOrEqual(new Date('2026-12-01T00:00:00Z').getTime());
    expect(confirmationPeriod(new Date(a.start.getTime() + 30 * 86_400_000 - 1), 30).key).toBe(a.key);
    expect(confirmationPeriod(new Date(a.start.getTime() + 30 * 86_400_000), 30).key).not.toBe(a.key);
    expect(() => confirmationPeriod(new Date(), 0)).toThrow(expect.objectContaining({ code: 'contacts.bad-option' }));
  });

  it('is due for units not confirmed or changed this quarter (and never for the gateway itself)', async () => {
    if (!available()) return;
    clock.set('2026-12-01T01:30:00Z');
    const due = await dueConfirmations(ds, clock.now(), { every: 'quarterly' });
    expect(due.map((d) => d.institution)).toEqual(['miit', 'op-cmcc', 'op-ctcc']);
    expect(due[0]).toMatchObject({ period: '2026-Q4', lastConfirmedAt: null });
    expect(due[1].lastConfirmedAt).toEqual(new Date('2026-09-20T02:00:00Z'));
  });

  it('sends each reminder once per unit and period even with two callers racing, as an outbox row and an audit entry', async () => {
    if (!available()) return;
    clock.set('2026-12-01T01:30:00Z');
    const [a, b] = await Promise.all([
      sendConfirmationReminders(ds, clock.now(), { every: 'quarterly' }),
      sendConfirmationReminders(other, clock.now(), { every: 'quarterly' }),
    ]);
    expect([...a, ...b].map((d) => d.institution).sort()).toEqual(['miit', 'op-cmcc', 'op-ctcc']);
    expect((await reminders()).map((r) => `${r.institution}:${r.period}`).sort()).toEqual(['miit:2026-Q4', 'op-cmcc:2026-Q4', 'op-ctcc:2026-Q4']);
    expect((await reminderAudit()).map((e) => e.subject).sort()).toEqual(['contacts:miit', 'contacts:op-cmcc', 'contacts:op-ctcc']);
    // Later in the same quarter: still unconfirmed, but already asked.
    clock.set('2026-12-20T01:30:00Z');
    expect(await sendConfirmationReminders(ds, clock.now())).toEqual([]);
    expect(await reminders()).toHaveLength(3);
    expect((await verifyAuditChain(ds)).ok).toBe(true);
  });

  it('a confirmation takes the unit off the list; the next quarter asks everyone again', async () => {
    if (!available()) return;
    clock.set('2026-12-21T01:30:00Z');
    await transaction(ds, (m) => recordConfirmation(m, { institution: 'op-cmcc', confirmedBy: { institution: 'op-cmcc', user: 'zhang' } }, clock.now()));
    expect((await dueConfirmations(ds, clock.now())).map((d) => d.institution)).toEqual(['miit', 'op-ctcc']);
    const audit = await ds.getRepository(AuditEntryEntity).findOneByOrFail({ kind: 'contact-confirm' });
    expect(audit).toMatchObject({ actor: 'op-cmcc/zhang', subject: 'contacts:op-cmcc' });
    await expect(transaction(ds, (m) => recordConfirmation(m, { institution: 'miit', confirmedBy: { institution: 'miit' } }, clock.now())))
      .rejects.toMatchObject({ code: 'contacts.no-contacts' });

    clock.set('2027-01-04T01:30:00Z');
    const sent = await sendConfirmationReminders(ds, clock.now());
    expect(sent.map((d) => `${d.institution}:${d.period}`)).toEqual(['miit:2027-Q1', 'op-cmcc:2027-Q1', 'op-ctcc:2027-Q1', 'op-cucc:2027-Q1']);
    expect(await reminders()).toHaveLength(7);
  });
}
