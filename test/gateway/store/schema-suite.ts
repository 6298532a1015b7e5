import { randomBytes, createHash } from 'node:crypto';
import { QueryRunnerAlreadyReleasedError, type DataSource, type EntityManager } from 'typeorm';
import {
  AuditEntryEntity, AuditHeadEntity, claimOnce, DedupeEntity, DeliveryEntity, InstitutionCertificateEntity, InstitutionEntity, insertRows, isDuplicateKey,
  MessageEntity, OutboxEntity, ReceiptEntity, migrate, openStore, transaction, writeOutbox, writeOutboxRows, type MessageRow,
} from '../../../gateway/store';
import { onOutboxCommit } from '../../../gateway/bus/outbox-commits';
import { migrations } from '../../../migrations';

const at = (iso: string) => new Date(iso);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * The store's schema on one database: the migrations run, are idempotent, and every entity can
 * be written and read back exactly (bytes, instants to the millisecond, JSON lists).
 * `url()` is read in beforeAll; `available()` false means the test file was skipped loudly.
 */
export function schemaSuite(url: () => string, available: () => boolean = () => true): void {
  let ds: DataSource;
  const hasTable = async (name: string) => {
    const runner = ds.createQueryRunner();
    try {
      return await runner.hasTable(name);
    } finally {
      await runner.release();
    }
  };

  beforeAll(async () => {
    if (!available()) return;
    ds = await openStore(url(), { migrations });
  });
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
  });

  it('runs the migrations once; running them again does nothing', async () => {
    if (!available()) return;
    expect((await migrate(ds)).slice(0, 2)).toEqual(['InitialSchema1764380000000', 'OutboxPendingOrder1764380100000']);
    expect(await migrate(ds)).toEqual([]);
    const tables = ['institutions', 'institution_certificates', 'messages', 'deliveries', 'receipts', 'audit_entries', 'audit_head', 'outbox', 'dedupe'];
    for (const t of tables) expect(await hasTable(t)).toBe(true);
  });

  it('stores an institution with its channels in order, and its certificate', async () => {
    if (!available()) return;
    await ds.getRepository(InstitutionEntity).insert({
      code: 'ca-11', kind: 'ca', name: '北京市通信管理局', province: '11',
      channels: [{ kind: 'push', endpoint: 'https://ca-11.example/mmgw' }, { kind: 'mailbox' }, { kind: 'email', endpoint: 'mmgw@ca-11.example' }],
      createdAt: at('2026-01-02T03:04:05.678Z'), updatedAt: at('2026-01-02T03:04:05.678Z'),
    });
    const row = await ds.getRepository(InstitutionEntity).findOneByOrFail({ code: 'ca-11' });
    expect(row.channels.map((c) => c.kind)).toEqual(['push', 'mailbox', 'email']);
    expect(row.name).toBe('北京市通信管理局');
    expect(row.createdAt.toISOString()).toBe('2026-01-02T03:04:05.678Z');

    const fingerprint = 'a'.repeat(64);
    await ds.getRepository(InstitutionCertificateEntity).insert({
      fingerprint, institutionCode: 'ca-11', pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      notBefore: at('2026-01-01T00:00:00.000Z'), notAfter: at('2027-01-01T00:00:00.000Z'), revokedAt: null, addedAt: at('2026-01-01T00:00:00.001Z'),
    });
    const certs = await ds.getRepository(InstitutionCertificateEntity).findBy({ institutionCode: 'ca-11' });
    expect(certs).toHaveLength(1);
    expect(certs[0].notAfter.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(certs[0].revokedAt).toBeNull();
  });

  it('keeps the exact signed bytes of a message (binary, over 64 KiB) and its envelope', async () => {
    if (!available()) return;
    const bytes = Buffer.concat([Buffer.from([0, 0xff, 0xfe, 0x80]), randomBytes(100_000)]);
    await ds.getRepository(MessageEntity).insert({
      id: 'msg-0001', type: 'SampleReport', version: '1.0', fromCode: 'cncert', toCodes: ['miit', 'ca-11'], ccCodes: [],
      sentAt: at('2026-03-01T08:00:00.123Z'), taskNumber: 'T-2026-0001', inReplyTo: null, format: 'xml', bytes, hash: sha256(bytes),
      size: bytes.length, acceptedAt: at('2026-03-01T08:00:01.456Z'),
    });
    const row = await ds.getRepository(MessageEntity).findOneByOrFail({ id: 'msg-0001' });
    expect(Buffer.compare(row.bytes, bytes)).toBe(0);
    expect(sha256(row.bytes)).toBe(row.hash);
    expect(row.toCodes).toEqual(['miit', 'ca-11']);
    expect(row.ccCodes).toEqual([]);
    expect(row.sentAt.toISOString()).toBe('2026-03-01T08:00:00.123Z');
    expect(row.taskNumber).toBe('T-2026-0001');
    expect(row.inReplyTo).toBeNull();
  });

  it('keeps one delivery per message, recipient and channel', async () => {
    if (!available()) return;
    const repo = ds.getRepository(DeliveryEntity);
    const base = {
      messageId: 'msg-0001', recipientCode: 'ca-11', role: 'to' as const, channel: 'push' as const, status: 'queued' as const, attempts: 0,
      lastErrorCode: null, queuedAt: at('2026-03-01T08:00:02.000Z'), sentAt: null, acknowledgedAt: null, ackReceiptId: null, nextAttemptAt: null,
      statusSince: at('2026-03-01T08:00:02.000Z'),
    };
    // insert() writes the generated id into the object it is given: pass copies.
    await repo.insert({ ...base });
    await expect(repo.insert({ ...base })).rejects.toThrow(/UNIQUE|Duplicate/i);
    await repo.insert({ ...base, channel: 'mailbox' });
    await repo.update({ messageId: 'msg-0001', channel: 'push' }, { status: 'acknowledged', acknowledgedAt: at('2026-03-01T08:00:03.999Z') });
    const push = await repo.findOneByOrFail({ messageId: 'msg-0001', channel: 'push' });
    expect(typeof push.id).toBe('number');
    expect(push.status).toBe('acknowledged');
    expect(push.acknowledgedAt?.toISOString()).toBe('2026-03-01T08:00:03.999Z');
    expect(await repo.countBy({ recipientCode: 'ca-11' })).toBe(2);
  });

  it('stores receipts, audit entries with their head, and dedupe marks (a second mark is refused)', async () => {
    if (!available()) return;
    const bytes = Buffer.from('{"payload":"signed receipt"}');
    await ds.getRepository(ReceiptEntity).insert({ id: 'rcpt-0001', kind: 'receipt', messageId: 'msg-0001', issuerCode: 'mmgw', bytes, hash: sha256(bytes), subjectHash: null, createdAt: at('2026-03-01T08:00:01.500Z') });
    expect((await ds.getRepository(ReceiptEntity).findOneByOrFail({ messageId: 'msg-0001', kind: 'receipt' })).bytes.toString()).toBe(bytes.toString());

    await ds.getRepository(AuditEntryEntity).insert({ seq: 1, time: at('2026-03-01T08:00:01.456Z'), kind: 'accept', actor: 'cncert', subject: 'msg-0001', details: '{}', prevHash: '0'.repeat(64), hash: 'b'.repeat(64) });
    expect(await ds.getRepository(AuditHeadEntity).findOneByOrFail({ id: 1 })).toEqual({ id: 1, seq: 0, hash: '0'.repeat(64) });
    await ds.getRepository(AuditHeadEntity).update({ id: 1 }, { seq: 1, hash: 'b'.repeat(64) });
    const entry = await ds.getRepository(AuditEntryEntity).findOneByOrFail({ seq: 1 });
    expect(entry.seq).toBe(1);
    expect((await ds.getRepository(AuditHeadEntity).findOneByOrFail({ id: 1 })).seq).toBe(1);

    const dedupe = ds.getRepository(DedupeEntity);
    await dedupe.insert({ consumer: 'routing', key: 'bus-msg-1', doneAt: at('2026-03-01T08:00:02.000Z') });
    await expect(dedupe.insert({ consumer: 'routing', key: 'bus-msg-1', doneAt: at('2026-03-01T08:00:02.000Z') })).rejects.toThrow();
    await dedupe.insert({ consumer: 'delivery.push', key: 'bus-msg-1', doneAt: at('2026-03-01T08:00:02.000Z') });
  });

  it('writes outbox rows only when the caller\'s transaction commits', async () => {
    if (!available()) return;
    const now = at('2026-03-01T08:00:01.456Z');
    await expect(ds.transaction(async (m) => {
      await writeOutbox(m, [{ topic: 'message.accepted', payload: Buffer.from('lost') }], now);
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    const ids = await ds.transaction((m) => writeOutbox(m, [{ topic: 'message.accepted', payload: Buffer.from('kept'), messageId: 'bus-1', headers: { form: 'SampleReport' } }], now));
    const rows = await ds.getRepository(OutboxEntity).find();
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(ids[0]);
    expect(rows[0]).toMatchObject({ topic: 'message.accepted', state: 'pending', queue: null, messageId: 'bus-1', headers: { form: 'SampleReport' }, attempts: 0 });
    expect(rows[0].payload.toString()).toBe('kept');
    expect(rows[0].availableAt.toISOString()).toBe(now.toISOString());
  });

  it('claims a piece of work once per consumer; a rolled-back claim does not count', async () => {
    if (!available()) return;
    const now = at('2026-03-01T08:00:05.000Z');
    expect(await transaction(ds, (m) => claimOnce(m, 'routing', 'bus-7', now))).toBe(true);
    expect(await transaction(ds, (m) => claimOnce(m, 'routing', 'bus-7', now))).toBe(false);
    expect(await transaction(ds, (m) => claimOnce(m, 'delivery.push', 'bus-7', now))).toBe(true);
    await expect(transaction(ds, async (m) => {
      expect(await claimOnce(m, 'routing', 'bus-8', now)).toBe(true);
      throw new Error('handler failed after claiming');
    })).rejects.toThrow('handler failed');
    expect(await transaction(ds, (m) => claimOnce(m, 'routing', 'bus-8', now))).toBe(true);
    // Claims made at once: exactly one wins.
    const results = await Promise.all(Array.from({ length: 8 }, () => transaction(ds, (m) => claimOnce(m, 'routing', 'bus-9', now))));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('insertRows writes every row of any batch size exactly (bytes with quotes, backslashes and NULs, instants, JSON lists); a duplicate undoes the whole transaction', async () => {
    if (!available()) return;
    // 1, 37 (two prepared statements on MySQL), 100, 700 (several), with bytes that escaping would have to get right.
    const nasty = Buffer.from([0x00, 0x27, 0x5c, 0x22, 0x0a, 0x0d, 0x1a, 0xff, 0x58, 0x27]);
    const rowOf = (batch: number, i: number): MessageRow => {
      const bytes = Buffer.concat([nasty, randomBytes(i % 50)]);
      return {
        id: `ir-${batch}-${String(i).padStart(4, '0')}`, type: 'SampleReport', version: '1.0', fromCode: 'op-cmcc', toCodes: ['cncert'], ccCodes: i % 2 ? ['ca-11', 'miit'] : [],
        sentAt: new Date(Date.UTC(2026, 10, 1, 0, 0, 0, i)), taskNumber: i % 3 ? null : `T-${i}`, inReplyTo: null, format: 'json', bytes, hash: sha256(bytes), size: bytes.length, acceptedAt: new Date(Date.UTC(2026, 10, 2, 0, 0, 0, 999 - (i % 1000))),
      };
    };
    for (const size of [1, 37, 100, 700]) {
      const rows = Array.from({ length: size }, (_, i) => rowOf(size, i));
      await transaction(ds, (m) => insertRows(m, MessageEntity, rows));
      const back = await ds.getRepository(MessageEntity).createQueryBuilder('m').where('m.id LIKE :p', { p: `ir-${size}-%` }).orderBy('m.id').getMany();
      expect(back.length).toBe(size);
      back.forEach((r, i) => {
        const want = rows[i]!;
        expect(r.id).toBe(want.id);
        expect(Buffer.from(r.bytes).equals(want.bytes)).toBe(true);
        expect(r.sentAt.toISOString()).toBe(want.sentAt.toISOString());
        expect(r.acceptedAt.toISOString()).toBe(want.acceptedAt.toISOString());
        expect([r.ccCodes, r.taskNumber, r.size]).toEqual([want.ccCodes, want.taskNumber, want.size]);
      });
    }
    // A batch whose 40th row repeats a stored id: refused as a duplicate key, and none of its rows stays.
    const again = Array.from({ length: 45 }, (_, i) => rowOf(45, i));
    again[39] = rowOf(37, 5);
    const failure = await transaction(ds, (m) => insertRows(m, MessageEntity, again)).then(() => undefined, (e: unknown) => e);
    expect(isDuplicateKey(failure)).toBe(true);
    expect(await ds.getRepository(MessageEntity).createQueryBuilder('m').where('m.id LIKE :p', { p: 'ir-45-%' }).getCount()).toBe(0);
  });

  it('insertRows with atomic: a duplicate in a later statement undoes the rows of the statements before it and leaves the transaction going; without it they stay', async () => {
    if (!available()) return;
    const now = at('2026-03-01T08:00:06.000Z');
    const mark = (key: string) => ({ consumer: 'atomic-test', key, doneAt: now });
    await transaction(ds, (m) => insertRows(m, DedupeEntity, [mark('taken')]));
    // 102 rows: statements of 100 + 2 on SQLite, 96 + 4 + 2 on MySQL (chunks of 100, each in prepared row counts); the duplicate is the last row.
    const batch = [...Array.from({ length: 101 }, (_, i) => mark(`a-${i}`)), mark('taken')];
    const kept = await transaction(ds, async (m) => {
      const failure = await insertRows(m, DedupeEntity, batch, { atomic: true }).then(() => undefined, (e: unknown) => e);
      expect(isDuplicateKey(failure)).toBe(true);
      await insertRows(m, DedupeEntity, [mark('after')]); // the transaction goes on
      return m.countBy(DedupeEntity, { consumer: 'atomic-test' });
    });
    expect(kept).toBe(2); // taken, after
    expect(await ds.getRepository(DedupeEntity).countBy({ consumer: 'atomic-test' })).toBe(2);
    // Without atomic, the rows of the statements before the duplicate stay in the transaction.
    const partial = await transaction(ds, async (m) => {
      await insertRows(m, DedupeEntity, batch.map((r) => ({ ...r, key: r.key === 'taken' ? 'taken' : `b${r.key}` }))).catch((e: unknown) => { if (!isDuplicateKey(e)) throw e; });
      return m.countBy(DedupeEntity, { consumer: 'atomic-test' });
    });
    expect(partial).toBeGreaterThan(2);
    expect(partial).toBeLessThan(2 + 101);
  });

  it('insertRows on MySQL refuses a manager whose transaction is over (never writes on a connection back in the pool) and falls back to text when the server has no prepared statement left; every statement it sends is logged and seen by subscribers (outbox rows wake the relay)', async () => {
    if (!available()) return;
    const row = (id: string): MessageRow => {
      const bytes = Buffer.from(id);
      return {
        id, type: 'SampleReport', version: '1.0', fromCode: 'op-cmcc', toCodes: ['cncert'], ccCodes: [], sentAt: at('2026-11-01T00:00:00.000Z'), taskNumber: null,
        inReplyTo: null, format: 'json', bytes, hash: sha256(bytes), size: bytes.length, acceptedAt: at('2026-11-02T00:00:00.000Z'),
      };
    };
    const sqlite = ds.options.type === 'better-sqlite3';
    // On MySQL the transaction's pooled connection went back to the pool (typeorm's one SQLite runner is never released).
    if (!sqlite) {
      let over: EntityManager | undefined;
      await transaction(ds, async (m) => { over = m; });
      await expect(insertRows(over!, MessageEntity, [row('ir-late-1')])).rejects.toBeInstanceOf(QueryRunnerAlreadyReleasedError);
      expect(await ds.getRepository(MessageEntity).countBy({ id: 'ir-late-1' })).toBe(0);
      // The server out of prepared statements (max_prepared_stmt_count is server-wide): the rows go as text instead.
      await transaction(ds, async (m) => {
        const connection = (await m.queryRunner!.connect()) as { execute: (sql: unknown, values: unknown, callback: (e: Error) => void) => void };
        const execute = connection.execute;
        connection.execute = (_sql: unknown, _values: unknown, callback: (e: Error) => void) => {
          callback(Object.assign(new Error("Can't create more than max_prepared_stmt_count statements (current value: 16382)"), { errno: 1461, code: 'ER_MAX_PREPARED_STMT_COUNT_REACHED' }));
        };
        try {
          await insertRows(m, MessageEntity, Array.from({ length: 37 }, (_, i) => row(`ir-full-${i}`)));
        } finally {
          connection.execute = execute;
        }
      });
      expect(await ds.getRepository(MessageEntity).createQueryBuilder('m').where('m.id LIKE :p', { p: 'ir-full-%' }).getCount()).toBe(37);
    }
    // Every INSERT goes through the data source's logger, as typeorm's own queries do (BENCH_SQL_COUNT counts there).
    const logged: string[] = [];
    const logger = ds.logger;
    const original = logger.logQuery;
    logger.logQuery = (query, parameters, runner) => { logged.push(query); return original.call(logger, query, parameters, runner); };
    try {
      await transaction(ds, (m) => insertRows(m, MessageEntity, Array.from({ length: 37 }, (_, i) => row(`ir-log-${i}`))));
    } finally {
      logger.logQuery = original;
    }
    // 37 rows: one statement on SQLite, 32 + 5 prepared on MySQL.
    expect(logged.filter((q) => q.startsWith('INSERT INTO')).length).toBe(sqlite ? 1 : 2);
    // Subscribers see them too: outbox rows written by insertRows (intake's writeOutboxRows) wake the relay at the commit.
    let woken = 0;
    const stop = onOutboxCommit(ds, () => { woken += 1; });
    try {
      await transaction(ds, (m) => writeOutboxRows(m, [{ topic: 'message.accepted', payload: Buffer.from('wake') }], at('2026-11-02T00:00:00.000Z')));
    } finally {
      stop();
    }
    expect(woken).toBe(1);
    expect(await ds.getRepository(MessageEntity).createQueryBuilder('m').where('m.id LIKE :p', { p: 'ir-log-%' }).getCount()).toBe(37);
  });

  it('reverts the migrations one by one and applies them again', async () => {
    if (!available()) return;
    for (let i = 0; i < migrations.length; i += 1) await ds.undoLastMigration();
    expect(await hasTable('messages')).toBe(false);
    expect(await ds.showMigrations()).toBe(true);
    expect(await migrate(ds)).toHaveLength(migrations.length);
    expect(await hasTable('messages')).toBe(true);
  }, 60_000); // every migration down and up again: DDL on MariaDB is slow on a loaded machine (not a speed check)
}
