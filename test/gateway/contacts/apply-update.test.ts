import type { DataSource } from 'typeorm';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { verifyAuditChain } from '../../../gateway/audit';
import { TestClock } from '../../../gateway/clock';
import { applyAcceptedContactUpdate, applyContactUpdate, contactsOf, historyOf, type ContactUpdateInput } from '../../../gateway/contacts';
import { AuditEntryEntity, transaction } from '../../../gateway/store';
import { addInstitutions, contactStore, updateBody } from './support';

// Art. 17: a unit's leader in charge, department head and contacts; a change replaces the
// current set, is kept in the history with what changed, and is audited.
describe('applyContactUpdate', () => {
  let ds: DataSource;
  let close: () => Promise<void>;
  const clock = new TestClock('2026-12-01T01:30:00Z');

  beforeEach(async () => {
    clock.set('2026-12-01T01:30:00Z');
    ({ ds, close } = await contactStore());
    await addInstitutions(ds, [{ code: 'op-cmcc', kind: 'operator', name: '中国移动通信集团有限公司' }, { code: 'miit', kind: 'miit', name: '工业和信息化部' }]);
  });
  afterEach(() => close());

  const input = (body: unknown, extra: Partial<ContactUpdateInput> = {}): ContactUpdateInput => ({
    institution: 'op-cmcc', body, changedBy: { institution: 'op-cmcc' }, reportedAt: clock.now(), ...extra,
  });
  const apply = (i: ContactUpdateInput) => transaction(ds, (m) => applyContactUpdate(m, i, clock.now()));

  it('registers a first set: the current contacts, a history row whose diff lists every field, an audit entry', async () => {
    const r = await apply(input(updateBody(), { messageId: 'op-cmcc-20261201-0001' }));
    expect(r.applied).toBe(true);
    const sheet = await contactsOf(ds, 'op-cmcc');
    expect(sheet).toMatchObject({
      institution: 'op-cmcc', unit: '中国移动通信集团有限公司', department: '信息安全管理与运行中心', effectiveDate: '2026-11-30',
      leaderInCharge: { name: '王建国', phone: '010-66006600', mobile: '13901010101', email: 'wangjg@chinamobile.example.cn' },
      departmentHead: { name: '刘洋' },
    });
    expect(sheet?.contacts.map((c) => c.name)).toEqual(['李强', '周敏']);
    const history = await historyOf(ds, 'op-cmcc');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ changedBy: 'op-cmcc', messageId: 'op-cmcc-20261201-0001', effectiveDate: '2026-11-30', reportedAt: clock.now() });
    expect(history[0].diff).toContainEqual({ field: 'leaderInCharge.name', before: null, after: '王建国' });
    expect(history[0].diff).toContainEqual({ field: 'contacts[1].mobile', before: null, after: '+86 139 0101 0404' });
    const audit = await ds.getRepository(AuditEntryEntity).find();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ kind: 'contact-change', actor: 'op-cmcc', subject: 'contacts:op-cmcc' });
    expect(JSON.parse(audit[0].details)).toMatchObject({ changeId: history[0].id, messageId: 'op-cmcc-20261201-0001', late: false });
    expect((await verifyAuditChain(ds)).ok).toBe(true);
  });

  it('replaces the set on a change and records exactly the fields that changed, and who changed them', async () => {
    await apply(input(updateBody()));
    clock.advance(86_400_000);
    const body = updateBody();
    const leader = body.leaderInCharge as Record<string, string>;
    leader.phone = '010-66006699';
    delete leader.email;
    body.contacts = [{ name: '李强', phone: '010-66006688', mobile: '13901010303', email: 'security@chinamobile.example.cn' }];
    body.effectiveDate = '2026-12-02';
    await apply(input(body, { changedBy: { institution: 'op-cmcc', user: 'admin.li' } }));

    const sheet = await contactsOf(ds, 'op-cmcc');
    expect(sheet?.leaderInCharge).toEqual({ name: '王建国', phone: '010-66006699', mobile: '13901010101' });
    expect(sheet?.contacts).toHaveLength(1);
    expect(sheet?.effectiveDate).toBe('2026-12-02');
    const history = await historyOf(ds, 'op-cmcc');
    expect(history).toHaveLength(2);
    expect(history[1].changedBy).toBe('op-cmcc/admin.li');
    expect(history[1].messageId).toBeNull();
    expect(history[1].diff).toEqual([
      { field: 'leaderInCharge.phone', before: '010-66006600', after: '010-66006699' },
      { field: 'leaderInCharge.email', before: 'wangjg@chinamobile.example.cn', after: null },
      { field: 'contacts[1].name', before: '周敏', after: null },
      { field: 'contacts[1].phone', before: '010-66006689 ext. 12', after: null },
      { field: 'contacts[1].mobile', before: '+86 139 0101 0404', after: null },
      { field: 'contacts[1].email', before: 'zhoumin@chinamobile.example.cn', after: null },
    ]);
  });

  it('applies a signed ContactUpdate once: the same message id again changes nothing', async () => {
    const first = await apply(input(updateBody(), { messageId: 'op-cmcc-20261201-0001' }));
    const again = await apply(input(updateBody({ unit: '别的名字' }), { messageId: 'op-cmcc-20261201-0001' }));
    expect(again.applied).toBe(false);
    expect(again.change.id).toBe(first.change.id);
    expect((await contactsOf(ds, 'op-cmcc'))?.unit).toBe('中国移动通信集团有限公司');
    expect(await historyOf(ds, 'op-cmcc')).toHaveLength(1);
    expect(await ds.getRepository(AuditEntryEntity).count()).toBe(1);
  });

  it('applies an accepted signed ContactUpdate from the accept path: by its sender, reported at the accept time; other forms are ignored', async () => {
    const receivedAt = new Date('2026-12-01T01:29:00Z');
    const accepted = { id: 'op-cmcc-20261201-0002', type: 'ContactUpdate', from: 'op-cmcc', body: updateBody(), receivedAt };
    const r = await transaction(ds, (m) => applyAcceptedContactUpdate(m, accepted, clock.now()));
    expect(r).toMatchObject({ applied: true, change: { changedBy: 'op-cmcc', messageId: 'op-cmcc-20261201-0002', reportedAt: receivedAt } });
    expect(await transaction(ds, (m) => applyAcceptedContactUpdate(m, { ...accepted, id: 'x-1', type: 'IncidentReport' }, clock.now()))).toBeNull();
    expect(await historyOf(ds, 'op-cmcc')).toHaveLength(1);
  });

  describe('refuses bad input with its path and article, and changes nothing', () => {
    const cases: [string, () => Record<string, unknown>, string, string][] = [
      ['an empty leader name', () => updateBody({ leaderInCharge: { name: '' } }), 'body.leaderInCharge.name', 'contract.too-short'],
      ['no leader at all', () => { const b = updateBody(); delete b.leaderInCharge; return b; }, 'body.leaderInCharge', 'contract.required'],
      ['a malformed phone', () => updateBody({ departmentHead: { name: '刘洋', phone: 'call me maybe' } }), 'body.departmentHead.phone', 'contract.phone'],
      ['a malformed mobile of a contact', () => updateBody({ contacts: [{ name: '李强', mobile: '139-abc' }] }), 'body.contacts[0].mobile', 'contract.phone'],
      ['a malformed e-mail', () => updateBody({ contacts: [{ name: '李强', email: 'li@@example.cn' }] }), 'body.contacts[0].email', 'contract.email'],
      ['no contact person', () => updateBody({ contacts: [] }), 'body.contacts', 'contract.min-items'],
      ['an effective date 91 days ahead', () => updateBody({ effectiveDate: '2027-03-02' }), 'body.effectiveDate', 'contacts.effective-date-too-far'],
    ];
    it.each(cases)('%s', async (_what, body, path, code) => {
      await apply(input(updateBody()));
      const before = { sheet: await contactsOf(ds, 'op-cmcc'), history: await historyOf(ds, 'op-cmcc'), audit: await ds.getRepository(AuditEntryEntity).count() };
      const error = await apply(input(body())).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ code, facts: { path, article: 'Art. 17' } });
      expect((error as Error).message).toContain(path);
      expect(await contactsOf(ds, 'op-cmcc')).toEqual(before.sheet);
      expect(await historyOf(ds, 'op-cmcc')).toEqual(before.history);
      expect(await ds.getRepository(AuditEntryEntity).count()).toBe(before.audit);
    });

    it('accepts an effective date exactly at the bound (90 days) and honours a configured bound', async () => {
      // Today in Beijing is 2026-12-01; +90 days is 2027-03-01.
      await expect(apply(input(updateBody({ effectiveDate: '2027-03-01' })))).resolves.toMatchObject({ applied: true });
      await expect(transaction(ds, (m) => applyContactUpdate(m, input(updateBody({ effectiveDate: '2026-12-12' })), clock.now(), { maxFutureDays: 10 })))
        .rejects.toMatchObject({ code: 'contacts.effective-date-too-far', facts: { latest: '2026-12-11' } });
    });

    it('a malformed bound in the options', async () => {
      await expect(transaction(ds, (m) => applyContactUpdate(m, input(updateBody()), clock.now(), { maxFutureDays: -1 })))
        .rejects.toMatchObject({ code: 'contacts.bad-option', facts: { field: 'maxFutureDays' } });
      expect(await historyOf(ds, 'op-cmcc')).toHaveLength(0);
    });

    it('an institution not in the registry', async () => {
      await expect(apply(input(updateBody(), { institution: 'op-nobody' }))).rejects.toMatchObject({ code: 'contacts.unknown-institution' });
      expect(await contactsOf(ds, 'op-nobody')).toBeNull();
    });
  });
});
