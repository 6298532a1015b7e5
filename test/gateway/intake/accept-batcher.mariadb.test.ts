import type { DataSource, EntityManager } from 'typeorm';
import { AcceptBatcher } from '../../../gateway/intake/accept-batcher';
import { DedupeEntity, migrate, openStore } from '../../../gateway/store';
import { migrations } from '../../../migrations';
import { useMariaDb } from '../../support/services';

describe('AcceptBatcher on MariaDB: batches in parallel transactions', () => {
  const db = useMariaDb(__filename);
  let ds: DataSource;
  beforeAll(async () => {
    if (!db.available) return;
    ds = await openStore(db.url, { migrations });
    await migrate(ds);
  });
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
  });

  const row = (key: string) => ({ consumer: 'parallel-test', key, doneAt: new Date('2026-11-28T03:00:00Z') });

  /** A writer whose first batch stays open until a second batch's transaction has started (or `ms` passed: then it fails). */
  function overlapping(ms: number): { write: (m: EntityManager, items: readonly string[]) => Promise<void>; open: number[] } {
    let second: () => void = () => undefined;
    const started = new Promise<void>((resolve) => { second = resolve; });
    let batches = 0;
    const open: number[] = [];
    let active = 0;
    return {
      open,
      write: async (m, items) => {
        batches += 1;
        active += 1;
        open.push(active);
        try {
          for (const key of items) await m.insert(DedupeEntity, row(key));
          if (batches === 1) {
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([started, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('no second transaction opened meanwhile')), ms); })]).finally(() => clearTimeout(timer));
          } else second();
        } finally {
          active -= 1;
        }
      },
    };
  }

  it('with maxParallel 2 a second batch is written while the first transaction is still open; each caller resolves after its own commit', async () => {
    if (!db.available) return;
    const w = overlapping(10_000);
    const batcher = new AcceptBatcher<string>(ds, w.write, 200, 2);
    const first = batcher.run('p1');
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([first, batcher.run('p2'), batcher.run('p3')]);
    expect(Math.max(...w.open)).toBe(2);
    expect((await ds.manager.findBy(DedupeEntity, { consumer: 'parallel-test' })).map((r) => r.key).sort()).toEqual(['p1', 'p2', 'p3']);
  });

  it('with maxParallel 1 the second batch waits for the first commit', async () => {
    if (!db.available) return;
    const w = overlapping(300);
    const batcher = new AcceptBatcher<string>(ds, w.write, 200, 1);
    const first = batcher.run('q1');
    await new Promise((resolve) => setImmediate(resolve));
    const later = batcher.run('q2');
    await expect(first).rejects.toThrow('no second transaction opened meanwhile');
    await later;
    expect(Math.max(...w.open)).toBe(1);
    expect((await ds.manager.findBy(DedupeEntity, { consumer: 'parallel-test' })).map((r) => r.key).sort()).toEqual(['p1', 'p2', 'p3', 'q2']);
  });
});
