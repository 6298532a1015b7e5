import { Batcher } from '../../../gateway/deliveries';

describe('Batcher', () => {
  it('runs the calls of one turn together, each answered with its own result', async () => {
    const runs: number[][] = [];
    const b = new Batcher<number, string>(async (items) => {
      runs.push([...items]);
      return items.map((i) => `r${i}`);
    }, { maxBatch: 3, maxWaitMs: 0 });
    const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => b.add(i)));
    expect(answers).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(runs).toEqual([[1, 2, 3], [4, 5]]);
    expect(await b.add(6)).toBe('r6');
    expect(runs).toHaveLength(3);
  });

  it('rejects every call of a batch whose run failed, and goes on with the next batch', async () => {
    let fail = true;
    const b = new Batcher<number, number>(async (items) => {
      if (fail) throw new Error('commit failed');
      return items.map((i) => i * 2);
    }, { maxBatch: 10, maxWaitMs: 5 });
    const first = [b.add(1), b.add(2)];
    await expect(Promise.all(first)).rejects.toThrow('commit failed');
    await expect(first[1]).rejects.toThrow('commit failed');
    fail = false;
    expect(await Promise.all([b.add(3), b.add(4)])).toEqual([6, 8]);
  });

  it('with maxConcurrent: what comes while the batches run waits and goes together into the next batch when one finished', async () => {
    const runs: number[][] = [];
    const gates: (() => void)[] = [];
    const b = new Batcher<number, number>(async (items) => {
      runs.push([...items]);
      await new Promise<void>((resolve) => gates.push(resolve));
      return items.map((i) => -i);
    }, { maxBatch: 4, maxWaitMs: 0, maxConcurrent: 1 });
    const first = b.add(1);
    await new Promise((r) => setImmediate(r));
    expect(runs).toEqual([[1]]);
    const later = [2, 3, 4, 5, 6].map((i) => b.add(i));
    await new Promise((r) => setImmediate(r));
    expect(runs).toEqual([[1]]); // one at a time: the others wait
    gates.shift()!();
    expect(await first).toBe(-1);
    while (runs.length < 2) await new Promise((r) => setImmediate(r));
    expect(runs).toEqual([[1], [2, 3, 4, 5]]); // at most maxBatch
    gates.shift()!();
    while (runs.length < 3) await new Promise((r) => setImmediate(r));
    expect(runs[2]).toEqual([6]);
    gates.shift()!();
    expect(await Promise.all(later)).toEqual([-2, -3, -4, -5, -6]);
  });
});
