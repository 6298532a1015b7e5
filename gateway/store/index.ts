export * from './entities';
export { parseDatabaseUrl, DATABASE_URL_VARIABLE, DEFAULT_SQLITE_PATH, type DatabaseTarget } from './database-url';
export { createDataSource, openStore, migrate, type StoreOptions } from './data-source';
export { writeOutbox, writeOutboxRows, type OutboxMessage } from './outbox';
export { insertRows, type InsertLimits } from './insert-rows';
export { isSqlite, forUpdate } from './dialect';
export { transaction, type TransactionOptions } from './transaction';
export { claimOnce, isDuplicateKey } from './dedupe';
