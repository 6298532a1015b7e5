import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { RabbitMqBus, relayOutbox, type BusMessage } from '../../../gateway/bus';
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
}
