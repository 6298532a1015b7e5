import { QueryFailedError, QueryRunnerAlreadyReleasedError, type EntityManager, type EntityMetadata, type EntitySchema } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { isSqlite } from './dialect';

/** Limits of one INSERT statement: rows, and bytes of Buffer values (well under MySQL's 16 MiB max_allowed_packet). */
export interface InsertLimits {
  /** @defaultValue 100 */
  readonly maxRows?: number;
  /** @defaultValue 8 MiB */
  readonly maxBytes?: number;
  /**
   * All the rows or none, also when they take more than one statement: a savepoint around the
   * statements, rolled back to when one fails. Without it a failed statement undoes only itself,
   * and the rows of the statements before it stay in the transaction — harmless when the caller
   * lets the transaction roll back, wrong when it catches the error and goes on (as the routing
   * worker's claims do on a duplicate).
   * @defaultValue false
   */
  readonly atomic?: boolean;
}

/** insertRows never nests, so one name serves (a repeated name replaces the savepoint on MySQL; a fixed text also keeps SQLite's statement cache warm). */
const SAVEPOINT = 'mmgw_insert_rows';

const bufferBytes = (row: readonly unknown[]): number => row.reduce<number>((n, v) => n + (Buffer.isBuffer(v) ? v.length : 0), 0);

/**
 * The row counts a prepared multi-row INSERT is made for on MySQL, largest first. A statement is
 * prepared once per connection and row count, so a fixed, small set keeps the server's prepared
 * statements bounded (≤ 19 per table and connection, 14 with the default maxRows of 100), while a
 * batch of up to 100 rows (intake's) takes at most 2 statements. The server's limit,
 * max_prepared_stmt_count (16,382 by default), is server-wide: today's 9 tables make up to ~130
 * per connection, ~1,300 per gateway process with a pool of 10; past the limit `execute` sends
 * the statement as text.
 */
const PREPARED_ROW_COUNTS = [512, 384, 256, 192, 128, 96, 64, 48, 32, 24, 16, 8, 7, 6, 5, 4, 3, 2, 1] as const;

/** The largest prepared row count ≤ `n`. */
function preparedCount(n: number): number {
  return PREPARED_ROW_COUNTS.find((c) => c <= n) ?? 1;
}

/** The mysql2 connection of a MySQL query runner (callback API), as typeorm holds it. */
interface Mysql2Connection {
  execute(sql: string, values: unknown[], callback: (error: (Error & { errno?: number }) | null) => void): void;
}

/** MySQL / MariaDB ER_MAX_PREPARED_STMT_COUNT_REACHED: the server-wide max_prepared_stmt_count is used up. */
const MAX_PREPARED_STMT_COUNT_REACHED = 1461;

/**
 * Runs `sql` with `values` as a prepared statement on the transaction's own MySQL connection
 * (mysql2 `execute`: the binary protocol, cached per connection): Buffer values travel as raw
 * bytes, not escaped into the SQL text as `X'…'` hex (twice their size, scanned again by the
 * server). Logged through the data source's logger and broadcast to subscribers (BeforeQuery,
 * AfterQuery), as typeorm's `query` does. When the server has no prepared statement left to give
 * (max_prepared_stmt_count is server-wide: every connection of every gateway process and every
 * other client counts), the statement is sent as text instead. A failure is a QueryFailedError,
 * as from `manager.query`.
 */
async function execute(manager: EntityManager, sql: string, values: unknown[]): Promise<void> {
  const runner = manager.queryRunner;
  if (runner === undefined) {
    await manager.query(sql, values);
    return;
  }
  const connection = (await runner.connect()) as Mysql2Connection;
  // typeorm keeps the connection object after release: never write on one back in the pool.
  if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
  const logger = manager.connection.logger;
  logger.logQuery(sql, values, runner);
  // Subscribers see the statement as they see typeorm's own (onOutboxCommit wakes the relay on an outbox INSERT).
  await runner.broadcaster.broadcast('BeforeQuery', sql, values);
  const started = Date.now();
  const error = await new Promise<(Error & { errno?: number }) | null | undefined>((resolve) => connection.execute(sql, values, resolve));
  if (error?.errno === MAX_PREPARED_STMT_COUNT_REACHED) {
    await manager.query(sql, values);
    return;
  }
  await runner.broadcaster.broadcast('AfterQuery', sql, values, !error, error ? undefined : Date.now() - started, undefined, error ?? undefined);
  if (!error) return;
  logger.logQueryError(error, sql, values, runner);
  throw new QueryFailedError(sql, values, error);
}

/** The columns an INSERT of an entity writes and its statement text per row count: built once per entity (and data source), not at every call on the hot path. */
interface InsertStatements {
  readonly columns: readonly ColumnMetadata[];
  sqlFor(rows: number): string;
}

const statements = new WeakMap<EntityMetadata, InsertStatements>();

function statementsOf(meta: EntityMetadata, driver: Driver): InsertStatements {
  let known = statements.get(meta);
  if (known === undefined) {
    const columns = meta.columns.filter((c) => c.isInsert && !(c.isGenerated && c.generationStrategy === 'increment'));
    const head = `INSERT INTO ${driver.escape(meta.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const texts = new Map<number, string>();
    known = {
      columns,
      sqlFor(rows) {
        let text = texts.get(rows);
        if (text === undefined) texts.set(rows, (text = head + Array.from({ length: rows }, () => tuple).join(', ')));
        return text;
      },
    };
    statements.set(meta, known);
  }
  return known;
}

/**
 * Inserts `rows` of `entity` in the caller's transaction with multi-row `INSERT … VALUES (?, …),
 * (?, …)` statements written here: every value is a placeholder (prepared by the driver exactly
 * as typeorm's own insert prepares it: transformers, simple-json, booleans, instants), so
 * nothing is spliced into the SQL. Unlike `manager.insert`, no SELECT follows to read back
 * defaults (typeorm re-reads columns with a default on MySQL), and the per-row query-builder
 * work is skipped: the hot path of intake and routing. On SQLite one statement per `maxRows`
 * rows (`manager.query`); on MySQL prepared statements of fixed row counts (see
 * PREPARED_ROW_COUNTS), run inside a transaction on its connection. Auto-increment primary keys
 * are left to the database; every other column takes the row's value, or its declared default
 * when the row has none. Returns nothing (no generated ids).
 */
export async function insertRows<R extends object>(manager: EntityManager, entity: EntitySchema<R>, rows: readonly R[], limits: InsertLimits = {}): Promise<void> {
  if (rows.length === 0) return;
  const meta = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const { columns, sqlFor } = statementsOf(meta, driver);
  const values = rows.map((row) => columns.map((c) => {
    let v = c.getEntityValue(row);
    if (v === undefined) {
      if (c.default === undefined && !c.isNullable) throw new TypeError(`insertRows: ${meta.tableName}.${c.databaseName} has no value and no default`);
      v = c.default ?? null;
    }
    // The driver applies the column's transformer, then its type's conversion, as typeorm's insert does.
    return driver.preparePersistentValue(v, c) as unknown;
  }));
  const prepared = !isSqlite(manager);
  const maxRows = limits.maxRows ?? 100;
  const maxBytes = limits.maxBytes ?? 8 * 1024 * 1024;
  // The statements: chunks of at most maxRows rows and maxBytes of bytes; on MySQL each chunk in
  // parts of the prepared row counts.
  const parts: unknown[][][] = [];
  let chunk: unknown[][] = [];
  let bytes = 0;
  const flush = (): void => {
    if (!prepared) parts.push(chunk);
    else for (let i = 0; i < chunk.length;) {
      const n = preparedCount(chunk.length - i);
      parts.push(chunk.slice(i, i + n));
      i += n;
    }
    chunk = [];
    bytes = 0;
  };
  for (const v of values) {
    const size = bufferBytes(v);
    if (chunk.length > 0 && (chunk.length >= maxRows || bytes + size > maxBytes)) flush();
    chunk.push(v);
    bytes += size;
  }
  if (chunk.length > 0) flush();
  const send = async (part: unknown[][]): Promise<void> => {
    const sql = sqlFor(part.length);
    if (prepared) await execute(manager, sql, part.flat());
    else await manager.query(sql, part.flat());
  };
  if (!(limits.atomic && parts.length > 1 && manager.queryRunner?.isTransactionActive)) {
    for (const part of parts) await send(part);
    return;
  }
  await manager.query(`SAVEPOINT ${SAVEPOINT}`);
  try {
    for (const part of parts) await send(part);
  } catch (e) {
    // If this fails too, its error goes up instead: the transaction is not usable.
    await manager.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    throw e;
  }
  await manager.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
}
