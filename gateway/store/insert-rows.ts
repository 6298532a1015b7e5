import type { EntityManager, EntitySchema } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** Limits of one INSERT statement: rows, and bytes of Buffer values (well under MySQL's 16 MiB max_allowed_packet). */
export interface InsertLimits {
  /** @defaultValue 100 */
  readonly maxRows?: number;
  /** @defaultValue 8 MiB */
  readonly maxBytes?: number;
}

const bufferBytes = (row: readonly unknown[]): number => row.reduce<number>((n, v) => n + (Buffer.isBuffer(v) ? v.length : 0), 0);

/**
 * Inserts `rows` of `entity` in the caller's transaction with multi-row `INSERT … VALUES (?, …),
 * (?, …)` statements written here and sent with `manager.query`: every value is a placeholder
 * (prepared by the driver exactly as typeorm's own insert prepares it: transformers, simple-json,
 * booleans, instants), so nothing is spliced into the SQL. Unlike `manager.insert`, no SELECT
 * follows to read back defaults (typeorm re-reads columns with a default on MySQL), and the
 * per-row query-builder work is skipped: one statement per `maxRows` rows, the hot path of intake.
 * Auto-increment primary keys are left to the database; every other column takes the row's value,
 * or its declared default when the row has none. Returns nothing (no generated ids).
 */
export async function insertRows<R extends object>(manager: EntityManager, entity: EntitySchema<R>, rows: readonly R[], limits: InsertLimits = {}): Promise<void> {
  if (rows.length === 0) return;
  const meta = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const columns: ColumnMetadata[] = meta.columns.filter((c) => c.isInsert && !(c.isGenerated && c.generationStrategy === 'increment'));
  const head = `INSERT INTO ${driver.escape(meta.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const values = rows.map((row) => columns.map((c) => {
    let v = c.getEntityValue(row);
    if (v === undefined) {
      if (c.default === undefined && !c.isNullable) throw new TypeError(`insertRows: ${meta.tableName}.${c.databaseName} has no value and no default`);
      v = c.default ?? null;
    }
    // The driver applies the column's transformer, then its type's conversion, as typeorm's insert does.
    return driver.preparePersistentValue(v, c) as unknown;
  }));
  const maxRows = limits.maxRows ?? 100;
  const maxBytes = limits.maxBytes ?? 8 * 1024 * 1024;
  let chunk: unknown[][] = [];
  let bytes = 0;
  const flush = async (): Promise<void> => {
    await manager.query(head + chunk.map(() => tuple).join(', '), chunk.flat());
    chunk = [];
    bytes = 0;
  };
  for (const v of values) {
    const size = bufferBytes(v);
    if (chunk.length > 0 && (chunk.length >= maxRows || bytes + size > maxBytes)) await flush();
    chunk.push(v);
    bytes += size;
  }
  if (chunk.length > 0) await flush();
}
