import type { DataSource } from 'typeorm';
import { applyContactUpdate, contactsOf, historyOf } from '../../../gateway/contacts';
import { AuditEntryEntity, transaction } from '../../../gateway/store';
import { useMariaDb } from '../../support/services';
import { addInstitutions, contactStore, updateBody } from './support';

// On MariaDB two changes of one unit can really run at once (two pools): the lock on the
// unit's registry row makes the second wait for the first and build on its result.
describe('applyContactUpdate racing on MariaDB', () => {
  const db = useMariaDb(__filename);
  let a: DataSource;
  let b: DataSource;
  const closers: (() => Promise<void>)[] = [];
  const now = new Date('2026-12-01T01:30:00Z');

  beforeAll(async () => {
    if (!db.available) return;
    const first = await contactStore(db.url);
    const second = await contactStore(db.url);
    a = first.ds;
    b = second.ds;
    closers.push(second.close, first.close);
    await addInstitutions(a, [{ code: 'op-cmcc', kind: 'operator', name: '中国移动' }, { code: 'op-cucc', kind: 'operator', name: '中国联通' }]);
  });
  afterAll(async () => {
    for (const close of closers) await close();
  });

  const apply = (ds: DataSource, institution: string, body: unknown, messageId?: string) =>
    transaction(ds, (m) => applyContactUpdate(m, { institution, body, changedBy: { institution }, reportedAt: now, ...(messageId ? { messageId } : {}) }, now));

  it('applies the same signed message once when two workers apply it at once', async () => {
    if (!db.available) return;
    const results = await Promise.all([apply(a, 'op-cmcc', updateBody(), 'op-cmcc-1'), apply(b, 'op-cmcc', updateBody(), 'op-cmcc-1')]);
    expect(results.map((r) => r.applied).sort()).toEqual([false, true]);
    expect(await historyOf(a, 'op-cmcc')).toHaveLength(1);
    expect(await a.getRepository(AuditEntryEntity).countBy({ subject: 'contacts:op-cmcc' })).toBe(1);
  });

  it('serialises two different first changes of one unit: both recorded, the second diffed against the first', async () => {
    if (!db.available) return;
    const one = updateBody({ contacts: [{ name: '甲' }] });
    const two = updateBody({ contacts: [{ name: '乙' }] });
    await Promise.all([apply(a, 'op-cucc', one), apply(b, 'op-cucc', two)]);
    const history = await historyOf(a, 'op-cucc');
    expect(history).toHaveLength(2);
    const last = (await contactsOf(a, 'op-cucc'))?.contacts[0].name;
    const firstName = last === '甲' ? '乙' : '甲';
    expect(history[1].diff).toEqual([{ field: 'contacts[0].name', before: firstName, after: last }]);
  });
});
