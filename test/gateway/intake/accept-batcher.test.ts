import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { AcceptBatcher } from '../../../gateway/intake/accept-batcher';
import { DedupeEntity, migrate, openStore } from '../../../gateway/store';
import { migrations } from '../../../migrations';

describe('AcceptBatcher (group commit of accepts)', () => {
  let dir: string;
  let ds: DataSource;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-batcher-'));
    ds = await openStore(`sqlite:${path.join(dir, 'b.sqlite')}`, { migrations });
    await migrate(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const row = (key: string) => ({ consumer: 'batcher-test', key, doneAt: new Date('2026-11-28T03:00:00Z') });

  it('commits work arriving together in one transaction, and each caller after its commit', async () => {
    const batcher = new AcceptBatcher(ds);
    const managers: EntityManager[] = [];
    await Promise.all(Array.from({ length: 20 }, (_, i) => batcher.run(async (m) => {
      managers.push(m);
      await m.insert(DedupeEntity, row(`a${i}`));
    })));
    expect(await ds.manager.countBy(DedupeEntity, { consumer: 'batcher-test' })).toBe(20);
    expect(new Set(managers).size).toBeLessThan(20);
  });

  it('runs the items of a failed batch again one by one: only the failing one fails', async () => {
    const batcher = new AcceptBatcher(ds);
    const results = await Promise.allSettled(['b1', 'b2', 'a0', 'b3'].map((key) => batcher.run((m) => m.insert(DedupeEntity, row(key)).then(() => undefined))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await ds.manager.countBy(DedupeEntity, { consumer: 'batcher-test' })).toBe(23);
  });

  it('with maxBatch 1 commits each alone', async () => {
    const batcher = new AcceptBatcher(ds, 1);
    const managers: EntityManager[] = [];
    await Promise.all(['c1', 'c2', 'c3'].map((key) => batcher.run(async (m) => { managers.push(m); await m.insert(DedupeEntity, row(key)); })));
    expect(new Set(managers).size).toBe(3);
  });
});
