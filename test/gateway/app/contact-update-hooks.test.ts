import type { DataSource } from 'typeorm';
import { withContactUpdates } from '../../../gateway/app/contact-update-hooks';
import { contactsOf, historyOf } from '../../../gateway/contacts';
import { ObligationEntity, obligationHooks, type AcceptedMessage, type CoreHooks } from '../../../gateway/obligations';
import { transaction } from '../../../gateway/store';
import { addInstitutions, contactStore, updateBody } from '../contacts/support';

// The hooks createGateway gives intake: a ContactUpdate changes the registry, then the
// obligations hooks meet contact-change — on the per-message and on the batch path alike, in the
// caller's transaction, rolled back with it.
describe('withContactUpdates', () => {
  let ds: DataSource;
  let close: () => Promise<void>;
  const now = new Date('2026-12-01T01:30:00Z');
  beforeEach(async () => {
    ({ ds, close } = await contactStore());
    await addInstitutions(ds, [
      { code: 'op-cmcc', kind: 'operator', name: '中国移动通信集团有限公司' }, { code: 'op-cucc', kind: 'operator', name: '中国联合网络通信集团有限公司' },
      { code: 'miit', kind: 'miit', name: '工业和信息化部' }, { code: 'cncert', kind: 'cncert', name: 'CNCERT' },
    ]);
  });
  afterEach(async () => close());

  const accepted = (id: string, from: string, body: Record<string, unknown> = updateBody()): AcceptedMessage => ({
    id, type: 'ContactUpdate', from, to: ['miit'], cc: ['cncert'], sentAt: now, taskNumber: null, inReplyTo: null, body, receivedAt: now,
  });
  const met = (id: string) => ds.manager.findOne(ObligationEntity, { where: { obligation: 'contact-change', subject: id } });

  it('applies a ContactUpdate before meeting contact-change, per message and per batch, and passes the other hooks through', async () => {
    const base = obligationHooks();
    const hooks = withContactUpdates(base);
    expect(hooks.onDeliveryAcknowledged).toBe(base.onDeliveryAcknowledged);
    await transaction(ds, (m) => hooks.onMessageAccepted(m, accepted('op-cmcc-20261201-0001', 'op-cmcc'), now));
    await transaction(ds, (m) => hooks.onMessagesAccepted!(m, [{ accepted: accepted('op-cucc-20261201-0001', 'op-cucc', updateBody({ unit: '中国联合网络通信集团有限公司' })), now }]));
    for (const [code, id] of [['op-cmcc', 'op-cmcc-20261201-0001'], ['op-cucc', 'op-cucc-20261201-0001']] as const) {
      expect((await historyOf(ds, code)).map((h) => [h.changedBy, h.messageId])).toEqual([[code, id]]);
      expect(await met(id)).toMatchObject({ party: code, state: 'met', closedBy: id });
    }
  });

  it('does not bypass a caller\'s own onMessageAccepted over these hooks on the batch path (as obligationHooks does not)', async () => {
    const gatewayHooks = withContactUpdates(obligationHooks());
    const seen: string[] = [];
    const hooks: CoreHooks = { ...gatewayHooks, onMessageAccepted: async (m, a, at) => { seen.push(a.id); await gatewayHooks.onMessageAccepted(m, a, at); } };
    await transaction(ds, (m) => hooks.onMessagesAccepted!(m, [{ accepted: accepted('op-cmcc-20261201-0009', 'op-cmcc'), now }]));
    expect(seen).toEqual(['op-cmcc-20261201-0009']);
    expect(await met('op-cmcc-20261201-0009')).toMatchObject({ party: 'op-cmcc', state: 'met' });
    expect(await historyOf(ds, 'op-cmcc')).toHaveLength(1);
  });

  it('applies a message once when the caller applied it already (the console) and rolls back with a refusing obligations hook', async () => {
    const hooks = withContactUpdates(obligationHooks());
    await transaction(ds, (m) => hooks.onMessageAccepted(m, accepted('op-cmcc-20261201-0002', 'op-cmcc'), now));
    await transaction(ds, (m) => hooks.onMessageAccepted(m, accepted('op-cmcc-20261201-0002', 'op-cmcc'), now));
    expect(await historyOf(ds, 'op-cmcc')).toHaveLength(1);

    const refusing: CoreHooks = { ...obligationHooks(), onMessageAccepted: async () => { throw new Error('refused by the obligations'); } };
    await expect(transaction(ds, (m) => withContactUpdates(refusing).onMessageAccepted(m, accepted('op-cucc-20261201-0002', 'op-cucc'), now))).rejects.toThrow('refused by the obligations');
    expect(await contactsOf(ds, 'op-cucc')).toBeNull();
    expect(await historyOf(ds, 'op-cucc')).toEqual([]);
  });

  it('refuses an effective date past its bound (contacts.effective-date-too-far) before any obligation is met', async () => {
    const hooks = withContactUpdates(obligationHooks(), { maxFutureDays: 5 });
    await expect(transaction(ds, (m) => hooks.onMessageAccepted(m, accepted('op-cmcc-20261201-0003', 'op-cmcc', updateBody({ effectiveDate: '2026-12-20' })), now)))
      .rejects.toMatchObject({ code: 'contacts.effective-date-too-far' });
    expect(await met('op-cmcc-20261201-0003')).toBeNull();
    expect(await contactsOf(ds, 'op-cmcc')).toBeNull();
  });
});
