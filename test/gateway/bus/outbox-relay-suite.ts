import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { OutboxRelay, RabbitMqBus, relayOutbox, type BusMessage } from '../../../gateway/bus';
import { migrate, openStore, OutboxEntity, transaction, writeOutbox } from '../../../gateway/store';
import { migrations } from '../../../migrations';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The outbox relay on one database against RabbitMQ: rows committed with writeOutbox reach the broker, confirmed, then leave the outbox. */
export function relaySuite(databaseUrl: () => string, amqpUrl: () => string, available: () => boolean): void {
  let ds: DataSource;
  let bus: RabbitMqBus;
  let ns: string;
  const seen: BusMessage[] = [];
  beforeAll(async () => {
    if (!available()) return;
    ds = await openStore(databaseUrl(), { migrations });
    await migrate(ds);
  });
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
  });
  beforeEach(async () => {
    if (!available()) return;
    ns = `r${randomBytes(4).toString('hex')}`;
    seen.length = 0;
    await ds.getRepository(OutboxEntity).clear();
    bus = new RabbitMqBus(amqpUrl(), { exchange: `${ns}.x`, queues: { [`${ns}.routing`]: { bindings: ['message.accepted.*'], prefetch: 50 } } });
    await bus.start();
    await bus.subscribe(`${ns}.routing`, async (m) => { seen.push(m); });
  });
  afterEach(async () => {
    if (!available()) return;
    await bus.close();
  });
  const waitFor = async (n: number) => {
    const until = Date.now() + 5000;
    while (seen.length < n && Date.now() < until) await sleep(10);
    await sleep(100);
  };
  /** Waits until the outbox holds `n` rows (with a deadline). */
  const outboxHolds = async (n: number) => {
    const until = Date.now() + 10_000;
    while ((await ds.getRepository(OutboxEntity).count()) !== n && Date.now() < until) await sleep(10);
    return ds.getRepository(OutboxEntity).count();
  };
  // The running relay never looks on its own here (idle poll of an hour): what it publishes, a wake or a full batch made it.
  const HOUR = 3_600_000;

  it('publishes committed rows with their ids and headers, deletes them, and parks an unroutable one', async () => {
    if (!available()) return;
    const now = new Date('2026-03-01T08:00:00.000Z');
    await transaction(ds, (m) => writeOutbox(m, [
      { topic: 'message.accepted.SampleReport', payload: Buffer.from('a'), messageId: 'msg-a', headers: { form: 'SampleReport' } },
      { topic: 'message.accepted.IncidentNotice', payload: Buffer.from('b'), messageId: 'msg-b' },
      { topic: 'nobody.bound', payload: Buffer.from('c'), messageId: 'msg-c' },
    ], now));
    expect(await relayOutbox(ds, bus)).toEqual({ published: 2, unroutable: 1, failed: 0 });
    expect(await relayOutbox(ds, bus)).toEqual({ published: 0, unroutable: 0, failed: 0 });
    await waitFor(2);
    expect(seen.map((m) => [m.id, m.topic, m.headers.form ?? null]).sort()).toEqual([['msg-a', 'message.accepted.SampleReport', 'SampleReport'], ['msg-b', 'message.accepted.IncidentNotice', null]]);
    const left = await ds.getRepository(OutboxEntity).find();
    expect(left.map((r) => [r.messageId, r.state, r.lastErrorCode])).toEqual([['msg-c', 'parked', 'bus.unroutable']]);
  });

  it('lets relays running at once share the rows without publishing one twice', async () => {
    if (!available()) return;
    const now = new Date('2026-03-01T08:00:00.000Z');
    await transaction(ds, (m) => writeOutbox(m, Array.from({ length: 60 }, (_, i) => ({ topic: 'message.accepted.X', payload: Buffer.from(String(i)), messageId: `m-${i}` })), now));
    const results = await Promise.all([0, 1, 2].map(() => relayOutbox(ds, bus, { batchSize: 20 })));
    let total = results.reduce((n, r) => n + r.published, 0);
    while (total < 60) total += (await relayOutbox(ds, bus)).published;
    expect(total).toBe(60);
    await waitFor(60);
    expect(seen).toHaveLength(60);
    expect(new Set(seen.map((m) => m.id)).size).toBe(60);
  });

  it('running: a commit wakes it, and it goes on pass after pass while a pass takes a full batch', async () => {
    if (!available()) return;
    const now = new Date('2026-03-01T08:00:00.000Z');
    await transaction(ds, (m) => writeOutbox(m, Array.from({ length: 23 }, (_, i) => ({ topic: 'message.accepted.X', payload: Buffer.from(String(i)), messageId: `early-${i}` })), now));
    const relay = new OutboxRelay(ds, bus, { batchSize: 5, idlePollMs: HOUR });
    relay.start();
    try {
      // Started: 5 + 5 + 5 + 5 + 3 in passes that follow each other without a pause.
      expect(await outboxHolds(0)).toBe(0);
      await transaction(ds, (m) => writeOutbox(m, [{ topic: 'message.accepted.X', payload: Buffer.from('late'), messageId: 'late' }], now));
      expect(await outboxHolds(0)).toBe(0);
      await waitFor(24);
      expect(seen.map((m) => m.id)).toEqual([...Array.from({ length: 23 }, (_, i) => `early-${i}`), 'late']);
    } finally {
      await relay.stop();
    }
  });

  it('running: stop makes a last pass for rows no commit announced, and stops waking on commits', async () => {
    if (!available()) return;
    const now = new Date('2026-03-01T08:00:00.000Z');
    const relay = new OutboxRelay(ds, bus, { idlePollMs: HOUR });
    relay.start();
    expect(await outboxHolds(0)).toBe(0);
    // Written outside a transaction: no commit event, so the relay sleeps on.
    await writeOutbox(ds.manager, [{ topic: 'message.accepted.X', payload: Buffer.from('quiet'), messageId: 'quiet' }], now);
    await relay.stop();
    expect(await ds.getRepository(OutboxEntity).count()).toBe(0);
    await transaction(ds, (m) => writeOutbox(m, [{ topic: 'message.accepted.X', payload: Buffer.from('after'), messageId: 'after' }], now));
    await waitFor(1);
    expect(seen.map((m) => m.id)).toEqual(['quiet']);
    expect(await ds.getRepository(OutboxEntity).count()).toBe(1);
  });
}
