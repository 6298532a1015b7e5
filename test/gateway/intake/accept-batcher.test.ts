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

  /** A batcher inserting dedupe keys, noting each batch it writes. */
  function keys(maxBatch?: number): { batcher: AcceptBatcher<string>; batches: string[][] } {
    const batches: string[][] = [];
    const batcher = new AcceptBatcher<string>(ds, async (m: EntityManager, items) => {
      batches.push([...items]);
      for (const key of items) await m.insert(DedupeEntity, row(key));
    }, maxBatch);
    return { batcher, batches };
  }

  it('commits items arriving together in one transaction, and each caller after its commit', async () => {
    const { batcher, batches } = keys();
    await Promise.all(Array.from({ length: 20 }, (_, i) => batcher.run(`a${i}`)));
    expect(await ds.manager.countBy(DedupeEntity, { consumer: 'batcher-test' })).toBe(20);
    expect(batches.length).toBeLessThan(20);
    expect(batches.flat()).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}`));
  });

  it('writes the items of a failed batch again one by one: only the failing one fails', async () => {
    const { batcher } = keys();
    const results = await Promise.allSettled(['b1', 'b2', 'a0', 'b3'].map((key) => batcher.run(key)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await ds.manager.countBy(DedupeEntity, { consumer: 'batcher-test' })).toBe(23);
  });

  it('with maxBatch 1 commits each alone', async () => {
    const { batcher, batches } = keys(1);
    await Promise.all(['c1', 'c2', 'c3'].map((key) => batcher.run(key)));
    expect(batches).toEqual([['c1'], ['c2'], ['c3']]);
  });
});
