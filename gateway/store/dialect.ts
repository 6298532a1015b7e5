import type { DataSource, EntityManager } from 'typeorm';

/** True when the data source (or the manager's) is SQLite. */
export function isSqlite(source: DataSource | EntityManager): boolean {
  const type = ('connection' in source ? source.connection : source).options.type;
  return type === 'better-sqlite3';
}

/**
 * The row-lock suffix for a SELECT: ` FOR UPDATE` on MySQL; nothing on SQLite, where a write
 * transaction already excludes every other writer.
 */
export function forUpdate(source: DataSource | EntityManager): string {
  return isSqlite(source) ? '' : ' FOR UPDATE';
}
