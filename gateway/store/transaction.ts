import type { DataSource, EntityManager } from 'typeorm';
import { isSqlite } from './dialect';

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/** Options of `transaction`. */
export interface TransactionOptions {
  /**
   * MySQL isolation level; ignored on SQLite, whose transactions are serialisable.
   * @defaultValue the server's (REPEATABLE READ on InnoDB)
   */
  readonly isolation?: 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';
}

/**
 * Runs `work` in one database transaction and resolves after it committed (rolls back if
 * `work` throws). Use this, not `dataSource.transaction`, everywhere in mmgw: typeorm's
 * better-sqlite3 driver shares ONE connection among all callers, so two transactions open at
 * once in one process would interleave their statements; on SQLite this runs them one after
 * the other. On MySQL each transaction gets its own pooled connection and they run in parallel.
 */
export function transaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  if (!isSqlite(dataSource)) return options.isolation ? dataSource.transaction(options.isolation, work) : dataSource.transaction(work);
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const result = previous.then(() => dataSource.transaction(work));
  sqliteQueues.set(dataSource, result.catch(() => undefined));
  return result;
}
