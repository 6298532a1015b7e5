import type { EntityManager, EntitySchema, ObjectLiteral } from 'typeorm';
import { isSqlite } from '../store/dialect';

/*
 * Plain SQL for the hot path of the bus and the delivery stage. typeorm's query builder costs
 * more CPU per statement than the database does on these small statements (the bench profile);
 * here the statements are written once, the values read back go through typeorm's driver (its
 * column types, transformers, JSON and dates), and values are always `?` placeholders, never
 * spliced into the text.
 */

/** `?, ?, …` (n of them). */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** The quoted table name of `entity`. */
export function tableOf(m: EntityManager, entity: EntitySchema<ObjectLiteral>): string {
  return m.connection.driver.escape(m.connection.getMetadata(entity).tableName);
}

/** The quoted column names of `entity` for `properties` (all columns when absent), in order. */
export function columnsOf<T extends ObjectLiteral>(m: EntityManager, entity: EntitySchema<T>, properties?: readonly (keyof T & string)[]): string {
  const meta = m.connection.getMetadata(entity);
  const names = properties ?? meta.columns.map((c) => c.propertyName);
  return names.map((p) => m.connection.driver.escape(meta.findColumnWithPropertyName(p)!.databaseName)).join(', ');
}

/** `value` of the column `property` of `entity` as typeorm writes it (a Date to SQLite's text, a JSON column to text …), to pass as a placeholder. */
export function persistentValue<T extends ObjectLiteral>(m: EntityManager, entity: EntitySchema<T>, property: keyof T & string, value: unknown): unknown {
  const column = m.connection.getMetadata(entity).findColumnWithPropertyName(property)!;
  return m.connection.driver.preparePersistentValue(value, column) as unknown;
}

/** A row read with `manager.query` as the entity: database column names to properties, values as typeorm reads them (JSON, dates, bigints). Columns not selected are absent. */
export function hydrate<T extends ObjectLiteral>(m: EntityManager, entity: EntitySchema<T>, raw: Record<string, unknown>): T {
  const meta = m.connection.getMetadata(entity);
  const out: Record<string, unknown> = {};
  for (const c of meta.columns) {
    if (c.databaseName in raw) out[c.propertyName] = m.connection.driver.prepareHydratedValue(raw[c.databaseName], c);
  }
  return out as T;
}

/** Ids per DELETE statement on SQLite: far below its placeholder limit (32766). */
const DELETE_CHUNK = 500;

/**
 * Deletes the rows of `entity` whose numeric primary key `id` is in `ids`, in one statement,
 * inside the caller's transaction. On MySQL the ids come as a JSON_TABLE joined to the table by
 * its primary key (STRAIGHT_JOIN: one index lookup per id), so the delete locks exactly those
 * rows: an `id IN (…)` that covers most of a small table is run as a scan, which waits on rows
 * other transactions hold (the relays of other processes) and can deadlock with them.
 */
export async function deleteByIds(m: EntityManager, entity: EntitySchema<ObjectLiteral & { id: number }>, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const table = tableOf(m, entity);
  if (isSqlite(m)) {
    for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
      const chunk = ids.slice(i, i + DELETE_CHUNK);
      await m.query(`DELETE FROM ${table} WHERE id IN (${placeholders(chunk.length)})`, chunk);
    }
    return;
  }
  await m.query(`DELETE t FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) k STRAIGHT_JOIN ${table} t ON t.id = k.id`, [JSON.stringify(ids)]);
}
