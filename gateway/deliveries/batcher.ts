/**
 * Gathers calls that arrive together into one batch (what came in the same turn of the event
 * loop, or within `maxWaitMs`, at most `maxBatch`), runs them with one `run`, and answers each
 * call with its own result. Used to commit the routing of many bus messages in one transaction
 * (issue 4: "batching commits across messages is fair").
 */
export class Batcher<T, R> {
  private pending: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;

  constructor(private readonly run: (items: readonly T[]) => Promise<R[]>, private readonly options: { readonly maxBatch: number; readonly maxWaitMs: number }) {}

  /** Adds `item` to the next batch; resolves with its result once the batch has run. */
  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxBatch) this.flush();
      else if (this.timer === undefined) this.timer = this.options.maxWaitMs > 0 ? setTimeout(() => this.flush(), this.options.maxWaitMs) : setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = undefined;
    }
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.run(batch.map((b) => b.item)).then(
      (results) => batch.forEach((b, i) => b.resolve(results[i]!)),
      (e: unknown) => batch.forEach((b) => b.reject(e)),
    );
  }
}
