import { verifyAuditChain } from '../../../gateway/audit';
import { CaseEntity } from '../../../gateway/obligations/entities';
import { purgeExpired, setLegalHold } from '../../../gateway/retention';
import { AuditEntryEntity, MessageEntity } from '../../../gateway/store';
import { acceptDocument } from '../compliance/accept-document';
import { accepted, bj, useFixture } from '../obligations/support';

describe('setLegalHold', () => {
  const f = useFixture();
  const now = new Date(bj('2026-12-30T10:00'));

  beforeAll(async () => {
    await acceptDocument(f, accepted('incident-report', bj('2026-09-02T10:00'), { id: 'op-cmcc-r1', body: { discoveredAt: bj('2026-09-02T09:00') } }));
    await acceptDocument(f, accepted('incident-notice', bj('2026-09-02T11:00'), { id: 'cncert-n1', to: ['op-cmcc'], cc: [], taskNumber: 'CNCERT-HOLD-1', inReplyTo: 'op-cmcc-r1', body: { taskNumber: 'CNCERT-HOLD-1' } }));
  });

  it('holds a case by task number so a purge keeps its messages; released, the next purge takes them; each change audited and the chain verifies', async () => {
    const held = await setLegalHold(f.ds, 'CNCERT-HOLD-1', true, 'admin', now);
    expect(held.legalHold).toBe(true);
    expect((await f.ds.manager.findOneByOrFail(CaseEntity, { key: held.key })).legalHold).toBe(true);
    const kept = await purgeExpired(f.ds, now);
    expect(kept.purged).toEqual([]);
    expect(kept.held.sort()).toEqual(['cncert-n1', 'op-cmcc-r1']);
    await setLegalHold(f.ds, held.key, false, 'admin', now);
    expect((await purgeExpired(f.ds, now)).purged.map((p) => p.id).sort()).toEqual(['cncert-n1', 'op-cmcc-r1']);
    expect((await f.ds.manager.findOneByOrFail(MessageEntity, { id: 'op-cmcc-r1' })).bytes.length).toBe(0);
    const kinds = (await f.ds.manager.find(AuditEntryEntity, { order: { seq: 'ASC' } })).map((e) => e.kind);
    expect(kinds).toEqual(['legal-hold', 'legal-hold', 'purge', 'purge']);
    expect(await verifyAuditChain(f.ds)).toMatchObject({ ok: true, count: 4 });
  });

  it('an unknown case is refused and changes nothing', async () => {
    const before = await f.ds.manager.count(AuditEntryEntity);
    await expect(setLegalHold(f.ds, 'CNCERT-NONE', true, 'admin', now)).rejects.toMatchObject({ code: 'obligation.unknown-case' });
    expect(await f.ds.manager.count(AuditEntryEntity)).toBe(before);
  });
});
