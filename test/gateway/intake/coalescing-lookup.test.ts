import { CoalescingLookup } from '../../../gateway/intake/coalescing-lookup';

describe('CoalescingLookup (the repeat check of the submissions in flight)', () => {
  it('answers the keys asked for in one turn with one load, each caller its own value', async () => {
    const loads: string[][] = [];
    const lookup = new CoalescingLookup<number>(async (keys) => {
      loads.push([...keys]);
      return new Map(keys.filter((k) => k !== 'none').map((k) => [k, k.length] as const));
    });
    const answers = await Promise.all(['a', 'bb', 'none', 'a'].map((k) => lookup.get(k)));
    expect(answers).toEqual([1, 2, undefined, 1]);
    expect(loads).toEqual([['a', 'bb', 'none']]);
    // A later turn loads again: nothing is cached.
    expect(await lookup.get('a')).toBe(1);
    expect(loads).toHaveLength(2);
  });

  it('splits a large turn into loads of at most maxKeys', async () => {
    const loads: number[] = [];
    const lookup = new CoalescingLookup<string>(async (keys) => { loads.push(keys.length); return new Map(keys.map((k) => [k, k] as const)); }, 2);
    expect(await Promise.all(['1', '2', '3', '4', '5'].map((k) => lookup.get(k)))).toEqual(['1', '2', '3', '4', '5']);
    expect(loads).toEqual([2, 2, 1]);
  });

  it('rejects every caller of a failed load, and the next turn loads afresh', async () => {
    let fail = true;
    const lookup = new CoalescingLookup<string>(async (keys) => {
      if (fail) throw new Error('database down');
      return new Map(keys.map((k) => [k, 'ok'] as const));
    });
    const results = await Promise.allSettled([lookup.get('x'), lookup.get('y')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(lookup.get('x')).resolves.toBe('ok');
  });
});
