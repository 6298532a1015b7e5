import type { DataSource, EntityManager } from 'typeorm';
import { transaction } from '../store/transaction';

/** Work to run inside the accept transaction. */
type Work = (manager: EntityManager) => Promise<void>;

interface Pending {
  readonly work: Work;
  resolve(): void;
  reject(e: unknown): void;
}

/**
 * Group commit for accepts: the work of messages that arrive while a transaction is committing
 * runs together in the next one (at most `maxBatch`), so one durable commit (one fsync) serves
 * many messages; no timer, a lone message commits at once. Each caller's promise resolves only
 * after ITS work has committed. When a batch fails (e.g. a racing duplicate id), it is rolled
 * back and every item is run again in its own transaction, so only the failing one fails.
 */
export class AcceptBatcher {
  private queue: Pending[] = [];
  private running = false;

  constructor(private readonly dataSource: DataSource, private readonly maxBatch = 200) {}

  /** Runs `work` in a transaction shared with other accepts; resolves after the commit. */
  run(work: Work): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        // Let the submissions in flight reach the queue first (a synchronous driver such as
        // better-sqlite3 blocks the event loop during a commit, so nothing queues meanwhile).
        await new Promise((resolve) => setImmediate(resolve));
        const batch = this.queue.splice(0, this.maxBatch);
        await this.commit(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async commit(batch: readonly Pending[]): Promise<void> {
    if (batch.length > 1) {
      try {
        await transaction(this.dataSource, async (m) => {
          for (const p of batch) await p.work(m);
        });
        for (const p of batch) p.resolve();
        return;
      } catch {
        // Fall through: each on its own, so one bad item does not fail the others.
      }
    }
    for (const p of batch) {
      try {
        await transaction(this.dataSource, p.work);
        p.resolve();
      } catch (e) {
        p.reject(e);
      }
    }
  }
}
