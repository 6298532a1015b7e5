import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { EmbeddedBus, type BusMessage } from '../../../gateway/bus';
import { migrate, openStore, OutboxEntity, transaction, writeOutbox } from '../../../gateway/store';
import { migrations } from '../../../migrations';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The embedded bus is fed by the outbox: rows a transaction wrote with writeOutbox are routed
// to the bound queues once it commits, and survive a bus that was not running at the time.
describe('embedded bus fed by the outbox', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-outbox-'));
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openStore(`sqlite:${path.join(dir, 'mmgw.sqlite')}`, { migrations });
    await migrate(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('delivers committed outbox rows to every bound queue, once each, and parks an unroutable row visibly', async () => {
    const now = new Date('2026-03-01T08:00:00.000Z');
    await transaction(ds, (m) => writeOutbox(m, [
      { topic: 'message.accepted.SampleReport', payload: Buffer.from('m1'), messageId: 'msg-1', headers: { form: 'SampleReport' } },
      { topic: 'nobody.listens', payload: Buffer.from('m2'), messageId: 'msg-2' },
    ], now));
    const errors: unknown[] = [];
    const bus = new EmbeddedBus(ds, { exchange: 'mmgw', queues: { routing: { bindings: ['message.accepted.#'] }, archive: { bindings: ['message.#'] } } }, { pollIntervalMs: 20, onError: (e) => errors.push(e) });
    const got: BusMessage[] = [];
    await bus.subscribe('routing', async (m) => { got.push(m); });
    await bus.subscribe('archive', async (m) => { got.push(m); });
    await bus.start();
    const deadline = Date.now() + 3000;
    while (got.length < 2 && Date.now() < deadline) await sleep(10);
    await sleep(100);
    await bus.close();
    expect(got.map((m) => [m.queue, m.id, m.headers.form]).sort()).toEqual([['archive', 'msg-1', 'SampleReport'], ['routing', 'msg-1', 'SampleReport']]);
    const left = await ds.getRepository(OutboxEntity).find();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ messageId: 'msg-2', state: 'parked', queue: null, lastErrorCode: 'bus.unroutable' });
    expect(errors).toEqual([expect.objectContaining({ code: 'bus.unroutable' })]);
  });

  it('routes a burst of pending rows with one UPDATE per queue and acknowledges handlers that finish together with one DELETE', async () => {
    const now = new Date('2026-03-01T08:00:00.000Z');
    await ds.getRepository(OutboxEntity).clear();
    await transaction(ds, (m) => writeOutbox(m, Array.from({ length: 40 }, (_, i) => ({ topic: 'job.x', payload: Buffer.from(String(i)), messageId: `burst-${i}` })), now));
    const statements: string[] = [];
    const spy = { beforeQuery: (e: { query: string }) => { if (/^\s*(UPDATE|DELETE)\b/i.test(e.query) && /outbox/i.test(e.query)) statements.push(e.query.trim().split(/\s+/)[0]!.toUpperCase()); } };
    ds.subscribers.push(spy);
    const bus = new EmbeddedBus(ds, { exchange: 'mmgw', queues: { jobs: { bindings: ['job.#'], prefetch: 50 } } }, { pollIntervalMs: 20 });
    const got: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    await bus.subscribe('jobs', async (m) => { got.push(m.id); await gate; });
    try {
      await bus.start();
      const deadline = Date.now() + 5000;
      while (got.length < 40 && Date.now() < deadline) await sleep(10);
      expect(got.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `burst-${i}`).sort());
      release();
      while ((await ds.getRepository(OutboxEntity).count()) > 0 && Date.now() < deadline) await sleep(10);
      expect(await ds.getRepository(OutboxEntity).count()).toBe(0);
    } finally {
      await bus.close();
      ds.subscribers.splice(ds.subscribers.indexOf(spy), 1);
    }
    expect(statements).toEqual(['UPDATE', 'DELETE']);
  });

  it('routes rows at once when the transaction that wrote them commits, not at its next poll', async () => {
    const now = new Date('2026-03-01T08:00:00.000Z');
    await ds.getRepository(OutboxEntity).clear();
    const bus = new EmbeddedBus(ds, { exchange: 'mmgw', queues: { woken: { bindings: ['wake.#'] } } }, { pollIntervalMs: 3_600_000 });
    const got: string[] = [];
    await bus.subscribe('woken', async (m) => { got.push(m.id); });
    try {
      // A first row, handled and acknowledged: the passes that start and the ack made are over.
      await bus.publish({ topic: 'wake.first', payload: Buffer.from('0'), id: 'first' });
      await bus.start();
      const deadline = Date.now() + 5000;
      while ((got.length < 1 || (await ds.getRepository(OutboxEntity).count()) > 0) && Date.now() < deadline) await sleep(10);
      expect(got).toEqual(['first']);
      // From here only a wake makes another pass before the hour is up.
      await transaction(ds, (m) => writeOutbox(m, [{ topic: 'wake.up', payload: Buffer.from('x'), messageId: 'woken-1' }], now));
      while (got.length < 2 && Date.now() < deadline) await sleep(10);
      expect(got).toEqual(['first', 'woken-1']);
    } finally {
      await bus.close();
    }
  });

  it('refuses to work once closed', async () => {
    const bus = new EmbeddedBus(ds, { exchange: 'mmgw', queues: { q: { bindings: ['#'] } } });
    await bus.start();
    await bus.close();
    await expect(bus.publish({ topic: 'a', payload: Buffer.from('') })).rejects.toMatchObject({ code: 'bus.closed' });
  });
});
