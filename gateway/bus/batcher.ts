/** How a Batcher forms its batches. */
export interface BatcherOptions {
  /** The most items in one batch. */
  readonly maxBatch: number;
  /** How long the first item of a batch waits for others (ms); 0: what arrives in the same turn of the event loop. */
  readonly maxWaitMs: number;
  /**
   * The most batches running at once; items that come meanwhile wait and go together into the
   * next batch as soon as one finished (group commit: the busier, the larger the batches).
   * @defaultValue no limit
   */
  readonly maxConcurrent?: number;
}

/**
 * Gathers calls that arrive together into one batch (what came in the same turn of the event
 * loop, or within `maxWaitMs`, at most `maxBatch`), runs them with one `run`, and answers each
 * call with its own result. Used to commit the routing of many bus messages in one transaction,
 * and the embedded bus's acknowledgements (issue 4: "batching commits across messages is fair").
 */
export class Batcher<T, R> {
  private pending: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private running = 0;
  private readonly maxConcurrent: number;

  constructor(private readonly run: (items: readonly T[]) => Promise<R[]>, private readonly options: BatcherOptions) {
    this.maxConcurrent = options.maxConcurrent ?? Number.POSITIVE_INFINITY;
  }

  /** Adds `item` to the next batch; resolves with its result once the batch has run. */
  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.running >= this.maxConcurrent) return; // taken when a running batch finishes
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
    if (this.pending.length === 0 || this.running >= this.maxConcurrent) return;
    const batch = this.pending.splice(0, this.options.maxBatch);
    this.running += 1;
    this.run(batch.map((b) => b.item))
      .then(
        (results) => batch.forEach((b, i) => b.resolve(results[i]!)),
        (e: unknown) => batch.forEach((b) => b.reject(e)),
      )
      .finally(() => {
        this.running -= 1;
        this.flush();
        // What is still waiting beyond this batch gets its own turn.
        if (this.pending.length > 0 && this.timer === undefined && this.running < this.maxConcurrent) this.timer = setImmediate(() => this.flush());
      });
  }
}
