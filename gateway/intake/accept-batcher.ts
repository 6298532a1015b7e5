import type { DataSource, EntityManager } from 'typeorm';
import { transaction } from '../store/transaction';

/** Writes a batch of items in the caller's transaction (e.g. one INSERT per table for all of them). */
export type BatchWriter<T> = (manager: EntityManager, items: readonly T[]) => Promise<void>;

interface Pending<T> {
  readonly item: T;
  resolve(): void;
  reject(e: unknown): void;
}

/**
 * Group commit for accepts: the items that arrive while a transaction is committing are written
 * together by `write` in the next one (at most `maxBatch`), so one durable commit (one fsync)
 * and one statement per table serve many messages; no timer, a lone item commits at once. Each
 * caller's promise resolves only after ITS item has committed. When a batch fails (e.g. a racing
 * duplicate id), it is rolled back and every item is written again in its own transaction, so
 * only the failing one fails.
 */
export class AcceptBatcher<T> {
  private queue: Pending<T>[] = [];
  private running = 0;

  /**
   * `maxParallel` transactions may be open at once (each with its own batch): while one waits
   * for its durable commit (the fsync), the next batch is written, so the commits of a busy
   * server overlap (InnoDB group commit) instead of queueing. 1 on SQLite (one writer).
   */
  constructor(private readonly dataSource: DataSource, private readonly write: BatchWriter<T>, private readonly maxBatch = 200, private readonly maxParallel = 1) {}

  /** Writes `item` in a transaction shared with other items; resolves after the commit. */
  run(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.running < Math.max(1, this.maxParallel)) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running += 1;
    try {
      while (this.queue.length > 0) {
        // Let the submissions in flight reach the queue first (a synchronous driver such as
        // better-sqlite3 blocks the event loop during a commit, so nothing queues meanwhile).
        await new Promise((resolve) => setImmediate(resolve));
        const batch = this.queue.splice(0, this.maxBatch);
        if (batch.length > 0) await this.commit(batch);
      }
    } finally {
      this.running -= 1;
    }
  }

  private async commit(batch: readonly Pending<T>[]): Promise<void> {
    if (batch.length > 1) {
      try {
        await transaction(this.dataSource, (m) => this.write(m, batch.map((p) => p.item)));
        for (const p of batch) p.resolve();
        return;
      } catch {
        // Fall through: each on its own, so one bad item does not fail the others.
      }
    }
    for (const p of batch) {
      try {
        await transaction(this.dataSource, (m) => this.write(m, [p.item]));
        p.resolve();
      } catch (e) {
        p.reject(e);
      }
    }
  }
}
