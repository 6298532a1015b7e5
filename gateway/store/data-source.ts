import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, type MixedList } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { DATABASE_URL_VARIABLE, parseDatabaseUrl, type DatabaseTarget } from './database-url';
import { entities } from './entities';

/** Options of the store besides where it is. */
export interface StoreOptions {
  /**
   * The migrations to run on `migrate` (pass `migrations` from `migrations/index.ts`).
   * @defaultValue none: the store can be used, but not migrated
   */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- typeorm's own type for migration classes
  readonly migrations?: MixedList<Function>;
  /**
   * Connections in the MySQL pool.
   * @defaultValue 10
   */
  readonly poolSize?: number;
}

/** Builds (does not open) the typeorm DataSource for a database target. */
export function createDataSource(target: DatabaseTarget, options: StoreOptions = {}): DataSource {
  const common = { entities, migrations: options.migrations ?? [], migrationsTableName: 'migrations', migrationsTransactionMode: 'each' as const, synchronize: false, logging: false };
  if (target.kind === 'mysql') {
    // timezone 'Z': instants are written and read as UTC whatever the server or process zone.
    // trace false: mysql2 would capture a stack trace at every query for its errors' "long stack
    // traces" (~3 % of the gateway's CPU under load); an error still names its code, SQL state and message.
    return new DataSource({ ...common, type: 'mysql', url: target.url, timezone: 'Z', charset: 'utf8mb4', poolSize: options.poolSize ?? 10, extra: { trace: false } });
  }
  return new DataSource({
    ...common,
    type: 'better-sqlite3',
    database: target.path,
    // WAL lets readers run beside the writer; synchronous FULL keeps every commit durable.
    enableWAL: true,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('synchronous = FULL');
    },
  });
}

/**
 * Opens the store selected by MMGW_DATABASE_URL (or `url`): parses the URL, creates the SQLite
 * file's folder if needed, connects. Errors: `store.bad-database-url`, `store.unreachable`.
 */
export async function openStore(url: string | undefined = process.env[DATABASE_URL_VARIABLE], options: StoreOptions = {}): Promise<DataSource> {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'sqlite') fs.mkdirSync(path.dirname(path.resolve(target.path)), { recursive: true });
  const dataSource = createDataSource(target, options);
  try {
    await dataSource.initialize();
  } catch (e) {
    const where = target.kind === 'mysql' ? `MySQL database ${target.database} on ${target.host}` : `SQLite file ${target.path}`;
    throw new GatewayError('store.unreachable', `cannot open the ${where}: ${e instanceof Error ? e.message : String(e)}`, { kind: target.kind });
  }
  return dataSource;
}

/**
 * Runs the migrations not yet applied, each in its own transaction where the database allows
 * (MySQL commits DDL implicitly). Returns the names of those it ran: none when the schema is
 * up to date. Error: `store.migration-failed`.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } catch (e) {
    throw new GatewayError('store.migration-failed', `migration failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
