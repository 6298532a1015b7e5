/**
 * Look-ups by key coalesced across concurrent callers: the keys asked for during one turn of
 * the event loop are answered by ONE `load` (e.g. `SELECT … WHERE id IN (…)`), at most `maxKeys`
 * per load. Each caller gets the value of its key (undefined when `load` did not return it), or
 * the load's error. Nothing is cached between turns: each answer is as fresh as a query of its own.
 */
export class CoalescingLookup<V> {
  private pending: Map<string, Array<{ resolve(v: V | undefined): void; reject(e: unknown): void }>> | undefined;

  constructor(private readonly load: (keys: readonly string[]) => Promise<ReadonlyMap<string, V>>, private readonly maxKeys = 500) {}

  /** The value of `key`, read together with the other keys asked for in this turn. */
  get(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      if (this.pending === undefined) {
        this.pending = new Map();
        setImmediate(() => void this.flush());
      }
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
    });
  }

  private async flush(): Promise<void> {
    const batch = [...(this.pending ?? new Map<string, never>())];
    this.pending = undefined;
    for (let i = 0; i < batch.length; i += this.maxKeys) {
      const part = batch.slice(i, i + this.maxKeys);
      try {
        const found = await this.load(part.map(([k]) => k));
        for (const [k, waiters] of part) for (const w of waiters) w.resolve(found.get(k));
      } catch (e) {
        for (const [, waiters] of part) for (const w of waiters) w.reject(e);
      }
    }
  }
}
