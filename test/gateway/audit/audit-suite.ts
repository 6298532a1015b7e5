import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { appendAudit, appendAuditEntries, auditEntryHash, canonicalJson, GENESIS_HASH, verifyAuditChain } from '../../../gateway/audit';
import { AuditEntryEntity, AuditHeadEntity, migrate, openStore, transaction } from '../../../gateway/store';
import { TestClock } from '../../../gateway/clock';
import { migrations } from '../../../migrations';

/** The audit chain on one database; `url()` is read in beforeAll. */
export function auditSuite(url: () => string, available: () => boolean = () => true): void {
  let ds: DataSource;
  const clock = new TestClock('2026-03-01T08:00:00.000Z');

  beforeAll(async () => {
    if (!available()) return;
    ds = await openStore(url(), { migrations });
    await migrate(ds);
  });
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
  });
  beforeEach(async () => {
    if (!available()) return;
    await ds.getRepository(AuditEntryEntity).clear();
    await ds.getRepository(AuditHeadEntity).update({ id: 1 }, { seq: 0, hash: GENESIS_HASH });
  });

  async function appendFive(): Promise<void> {
    for (let i = 1; i <= 5; i += 1) {
      clock.advance(1234);
      await transaction(ds, (m) => appendAudit(m, { kind: i % 2 ? 'accept' : 'delivery', actor: 'cncert', subject: `msg-${i}`, details: { n: i, to: ['miit', 'ca-11'] } }, clock.now()));
    }
  }
  const entries = () => ds.getRepository(AuditEntryEntity);
  const sqlSet = (column: string, value: string | number, seq: number) =>
    ds.query(`UPDATE audit_entries SET ${column} = ? WHERE seq = ?`, [value, seq]);

  it('chains entries: seq 1, 2, 3 …, each linked to the hash of the one before; the chain verifies', async () => {
    if (!available()) return;
    await appendFive();
    const rows = await entries().find({ order: { seq: 'ASC' } });
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0].prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i += 1) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
    expect(rows[2].details).toBe('{"n":3,"to":["miit","ca-11"]}');
    // Anyone can recompute the hash from an export: SHA-256 of the canonical JSON of the entry.
    const r = rows[2];
    const text = canonicalJson({ v: 1, seq: 3, time: r.time.toISOString(), kind: 'accept', actor: 'cncert', subject: 'msg-3', details: { n: 3, to: ['miit', 'ca-11'] }, prevHash: rows[1].hash });
    expect(r.hash).toBe(createHash('sha256').update(text).digest('hex'));
    expect(await verifyAuditChain(ds)).toEqual({ ok: true, count: 5, head: { seq: 5, hash: rows[4].hash } });
  });

  it('verifies an empty chain', async () => {
    if (!available()) return;
    expect(await verifyAuditChain(ds)).toEqual({ ok: true, count: 0, head: { seq: 0, hash: GENESIS_HASH } });
  });

  it('writes nothing when the caller\'s transaction rolls back', async () => {
    if (!available()) return;
    await appendFive();
    await expect(transaction(ds, async (m) => {
      await appendAudit(m, { kind: 'accept', actor: 'cncert', subject: 'msg-x' }, clock.now());
      throw new Error('intake failed later');
    })).rejects.toThrow('intake failed later');
    expect(await entries().count()).toBe(5);
    expect(await verifyAuditChain(ds)).toMatchObject({ ok: true, count: 5 });
  });

  it.each([
    ['details', '{"n":33,"to":["miit","ca-11"]}'],
    ['actor', 'miit'],
    ['kind', 'reject'],
    ['subject', 'msg-other'],
    ['details', 'not json'],
  ])('finds an edited %s and names its seq', async (column, value) => {
    if (!available()) return;
    await appendFive();
    await sqlSet(column, value, 3);
    expect(await verifyAuditChain(ds)).toMatchObject({ ok: false, code: 'audit.chain-broken', seq: 3, reason: expect.stringMatching(/edited/), checked: 2 });
  });

  it('finds an edited time', async () => {
    if (!available()) return;
    await appendFive();
    const row = await entries().findOneByOrFail({ seq: 4 });
    await entries().update({ seq: 4 }, { time: new Date(row.time.getTime() - 1) });
    expect(await verifyAuditChain(ds)).toMatchObject({ ok: false, seq: 4, reason: expect.stringMatching(/edited/) });
  });

  it('finds a deleted entry in the middle', async () => {
    if (!available()) return;
    await appendFive();
    await entries().delete({ seq: 3 });
    expect(await verifyAuditChain(ds)).toMatchObject({ ok: false, seq: 3, reason: expect.stringMatching(/missing \(deleted\)/) });
  });

  it('finds entries deleted from the end, thanks to the chain head', async () => {
    if (!available()) return;
    await appendFive();
    await entries().delete({ seq: 5 });
    expect(await verifyAuditChain(ds)).toMatchObject({ ok: false, seq: 5, reason: expect.stringMatching(/deleted from the end/) });
  });

  it('finds an inserted entry, even one with a correct hash of its own', async () => {
    if (!available()) return;
    await appendFive();
    const rows = await entries().find({ order: { seq: 'ASC' } });
    // Shift seq 3..5 up by one, then forge seq 3 linked correctly to seq 2.
    await entries().clear();
    const forged = { seq: 3, time: rows[1].time, kind: 'accept', actor: 'cncert', subject: 'forged', details: '{}', prevHash: rows[1].hash };
    await entries().insert([rows[0], rows[1], { ...forged, hash: auditEntryHash(forged) }, ...rows.slice(2).map((r) => ({ ...r, seq: r.seq + 1 }))]);
    await ds.getRepository(AuditHeadEntity).update({ id: 1 }, { seq: 6, hash: rows[4].hash });
    expect(await verifyAuditChain(ds)).toMatchObject({ ok: false, seq: 4, reason: expect.stringMatching(/inserted or deleted before it/) });
  });

  it('with an anchor kept elsewhere, finds a chain rewritten whole', async () => {
    if (!available()) return;
    await appendFive();
    const verified = await verifyAuditChain(ds);
    if (!verified.ok) throw new Error('chain should verify');
    const anchor = verified.head;
    // Rewrite seq 2..5 consistently (new details, recomputed hashes and head).
    const rows = await entries().find({ order: { seq: 'ASC' } });
    let prevHash = rows[0].hash;
    for (const r of rows.slice(1)) {
      const fields = { ...r, details: '{"rewritten":true}', prevHash };
      const hash = auditEntryHash(fields);
      await entries().update({ seq: r.seq }, { details: fields.details, prevHash, hash });
      prevHash = hash;
    }
    await ds.getRepository(AuditHeadEntity).update({ id: 1 }, { seq: 5, hash: prevHash });
    expect(await verifyAuditChain(ds)).toMatchObject({ ok: true });
    expect(await verifyAuditChain(ds, { anchor })).toMatchObject({ ok: false, seq: 5, reason: expect.stringMatching(/anchor/) });
  });

  it('reads long chains in batches', async () => {
    if (!available()) return;
    await appendFive();
    expect(await verifyAuditChain(ds, { batchSize: 2 })).toMatchObject({ ok: true, count: 5 });
    await sqlSet('actor', 'x', 5);
    expect(await verifyAuditChain(ds, { batchSize: 2 })).toMatchObject({ ok: false, seq: 5 });
  });

  it('refuses an incomplete entry, listing every problem', async () => {
    if (!available()) return;
    const attempt = transaction(ds, (m) => appendAudit(m, { kind: 'Accept!', actor: '', subject: 'msg-1', details: { n: Number.NaN } }, clock.now()));
    await expect(attempt).rejects.toMatchObject({ code: 'audit.bad-entry', facts: { problems: [expect.stringMatching(/^kind/), expect.stringMatching(/^actor/), expect.stringMatching(/^details: .*NaN/)] } });
    expect(await entries().count()).toBe(0);
  });

  it('appends a batch under one head lock, with consecutive seqs, all or nothing', async () => {
    if (!available()) return;
    await appendFive();
    const batch = await transaction(ds, (m) => appendAuditEntries(m, [
      { kind: 'accept', actor: 'op-cmcc', subject: 'b-1' }, { kind: 'accept', actor: 'op-cmcc', subject: 'b-2' }, { kind: 'reject', actor: 'op-cmcc', subject: 'b-3', details: { reasons: ['signature.invalid'] } },
    ], clock.now()));
    expect(batch.map((e) => e.seq)).toEqual([6, 7, 8]);
    expect(batch[1].prevHash).toBe(batch[0].hash);
    expect(await verifyAuditChain(ds)).toMatchObject({ ok: true, count: 8, head: { seq: 8, hash: batch[2].hash } });
    await expect(transaction(ds, (m) => appendAuditEntries(m, [{ kind: 'accept', actor: 'x', subject: 'ok' }, { kind: 'BAD', actor: 'x', subject: 'no' }], clock.now()))).rejects.toMatchObject({ code: 'audit.bad-entry' });
    expect(await entries().count()).toBe(8);
  });

  it('refuses to append outside a transaction', async () => {
    if (!available()) return;
    await expect(appendAudit(ds.manager, { kind: 'accept', actor: 'cncert', subject: 'msg-1' }, clock.now())).rejects.toMatchObject({ code: 'audit.no-transaction' });
    expect(await entries().count()).toBe(0);
  });

  it('keeps one chain when many transactions append at once', async () => {
    if (!available()) return;
    await Promise.all(Array.from({ length: 20 }, (_, i) => transaction(ds, (m) => appendAudit(m, { kind: 'delivery', actor: 'mmgw', subject: `msg-${i}` }, clock.now()))));
    expect(await verifyAuditChain(ds)).toMatchObject({ ok: true, count: 20, head: { seq: 20 } });
  });
}
