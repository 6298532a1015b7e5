import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { verifyAuditChain } from '../../../gateway/audit';
import { CaseEntity, CaseMessageEntity } from '../../../gateway/obligations/entities';
import { purgeExpired } from '../../../gateway/retention';
import { AuditEntryEntity, DeliveryEntity, MessageEntity } from '../../../gateway/store';
import { acceptDocument } from '../compliance/accept-document';
import { accepted, bj, example, useFixture } from '../obligations/support';

const MD5 = '9e107d9d372bb6826bd81d3542a419d6';
const SHA = 'a'.repeat(64);
const OTHER_SHA = 'b'.repeat(64);

/** The purgeExpired (Art. 12 retention) tests on one database (`url` undefined: SQLite). */
export function purgeSuite(url: (() => string) | undefined, available: () => boolean): void {
  const f = useFixture({}, url);
  const now = new Date(bj('2026-11-29T10:00')); // 60 days before: 2026-09-30T10:00 Beijing
  let samplesDir = '';

  const content = async (id: string) => (await f.ds.manager.findOneByOrFail(MessageEntity, { id }));
  const auditCount = () => f.ds.manager.count(AuditEntryEntity);

  beforeAll(async () => {
    if (!available()) return;
    samplesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-samples-'));
    // An old SampleReport declaring MD5, and its stored sample file; a file no report declares stays.
    await acceptDocument(f, accepted('sample-report', bj('2026-09-01T10:00'), { id: 'op-cmcc-old-s', body: { samples: [{ ...(example('sample-report').body.samples as Array<Record<string, unknown>>)[0], firstObtainedAt: bj('2026-08-31T08:00') }] } }));
    fs.writeFileSync(path.join(samplesDir, SHA), 'the sample');
    fs.writeFileSync(path.join(samplesDir, `${SHA}.json`), JSON.stringify({ sha256: SHA, md5: MD5, size: 10 }));
    fs.writeFileSync(path.join(samplesDir, OTHER_SHA), 'another');
    fs.writeFileSync(path.join(samplesDir, `${OTHER_SHA}.json`), JSON.stringify({ sha256: OTHER_SHA, md5: 'c'.repeat(32), size: 7 }));
    // An old IncidentReport whose case is under legal hold, and another old one that is not.
    await acceptDocument(f, accepted('incident-report', bj('2026-09-02T10:00'), { id: 'op-cmcc-held', body: { discoveredAt: bj('2026-09-02T09:00') } }));
    await acceptDocument(f, accepted('incident-report', bj('2026-09-03T10:00'), { id: 'op-cmcc-old-r', body: { discoveredAt: bj('2026-09-03T09:00') } }));
    const link = await f.ds.manager.findOneByOrFail(CaseMessageEntity, { messageId: 'op-cmcc-held' });
    await f.ds.manager.update(CaseEntity, { key: link.caseKey }, { legalHold: true });
    // An old one still owed to a recipient (its delivery is retrying): kept until delivered.
    await acceptDocument(f, accepted('incident-report', bj('2026-09-04T10:00'), { id: 'op-cmcc-owed', body: { discoveredAt: bj('2026-09-04T09:00') } }));
    await f.ds.manager.insert(DeliveryEntity, { messageId: 'op-cmcc-owed', recipientCode: 'miit', role: 'to', channel: 'push', status: 'retrying', attempts: 3, queuedAt: new Date(bj('2026-09-04T10:00')), statusSince: new Date(bj('2026-09-04T10:00')) });
    // A recent one.
    await acceptDocument(f, accepted('incident-report', bj('2026-11-20T10:00'), { id: 'op-cmcc-new', body: { discoveredAt: bj('2026-11-20T09:00') } }));
  });
  afterAll(() => {
    if (samplesDir !== '') fs.rmSync(samplesDir, { recursive: true, force: true });
  });

  it('a dry run reports what would go and changes nothing', async () => {
    if (!available()) return;
    const before = { audit: await auditCount(), bytes: (await content('op-cmcc-old-s')).bytes.length };
    const r = await purgeExpired(f.ds, now, { dryRun: true, samplesDir });
    expect(r).toMatchObject({ dryRun: true, days: 60, cutoff: '2026-09-30T02:00:00.000Z', held: ['op-cmcc-held'], undelivered: ['op-cmcc-owed'], samplesPurged: [SHA] });
    expect(r.purged.map((p) => p.id)).toEqual(['op-cmcc-old-s', 'op-cmcc-old-r']);
    expect(await auditCount()).toBe(before.audit);
    expect((await content('op-cmcc-old-s')).bytes.length).toBe(before.bytes);
    expect(fs.existsSync(path.join(samplesDir, SHA))).toBe(true);
  });

  it('purges old content to a hash stub, keeps the legal hold and recent content, deletes the sample file, audits each, and the chain verifies', async () => {
    if (!available()) return;
    const old = await content('op-cmcc-old-s');
    const held = await content('op-cmcc-held');
    const before = await auditCount();
    const r = await purgeExpired(f.ds, now, { samplesDir });
    expect(r.purged.map((p) => p.id)).toEqual(['op-cmcc-old-s', 'op-cmcc-old-r']);
    const stub = await content('op-cmcc-old-s');
    expect(stub.bytes.length).toBe(0);
    expect([stub.hash, stub.size, stub.type, stub.fromCode, stub.acceptedAt.toISOString()]).toEqual([old.hash, old.size, 'SampleReport', 'op-cmcc', old.acceptedAt.toISOString()]);
    expect((await content('op-cmcc-old-r')).bytes.length).toBe(0);
    expect((await content('op-cmcc-held')).bytes.equals(held.bytes)).toBe(true);
    expect((await content('op-cmcc-new')).bytes.length).toBeGreaterThan(0);
    expect((await content('op-cmcc-owed')).bytes.length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(samplesDir, SHA))).toBe(false);
    expect(fs.existsSync(path.join(samplesDir, `${SHA}.json`))).toBe(true);
    expect(fs.existsSync(path.join(samplesDir, OTHER_SHA))).toBe(true);
    const entries = await f.ds.manager.find(AuditEntryEntity, { where: { kind: 'purge' }, order: { seq: 'ASC' } });
    expect(entries.map((e) => e.subject)).toEqual(['op-cmcc-old-s', 'op-cmcc-old-r', `sample:${SHA}`]);
    expect(JSON.parse(entries[0]?.details ?? '{}')).toMatchObject({ hash: old.hash, size: old.size, article: 'Art. 12' });
    expect(await auditCount()).toBe(before + 3);
    expect(await verifyAuditChain(f.ds)).toEqual({ ok: true, count: before + 3, head: expect.objectContaining({ seq: before + 3 }) as unknown });
  });

  it('a second run finds nothing left to purge; a longer period keeps what is younger', async () => {
    if (!available()) return;
    expect((await purgeExpired(f.ds, now, { samplesDir })).purged).toEqual([]);
    expect((await purgeExpired(f.ds, new Date(bj('2027-01-10T10:00')), { days: 60 })).purged).toEqual([]);
    expect((await purgeExpired(f.ds, new Date(bj('2027-01-20T10:00')), { days: 60, dryRun: true })).purged.map((p) => p.id)).toEqual(['op-cmcc-new']);
  });

  it('refuses a retention period that is not a whole number of days', async () => {
    if (!available()) return;
    await expect(purgeExpired(f.ds, now, { days: 0 })).rejects.toMatchObject({ code: 'retention.bad-days' });
    await expect(purgeExpired(f.ds, now, { days: 1.5 })).rejects.toMatchObject({ code: 'retention.bad-days' });
  });
}
