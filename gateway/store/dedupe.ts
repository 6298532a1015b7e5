import { QueryFailedError, type EntityManager } from 'typeorm';
import { DedupeEntity } from './entities/dedupe';

/** True when `e` is a duplicate-key failure (MySQL/MariaDB ER_DUP_ENTRY, SQLite primary key). */
export function isDuplicateKey(e: unknown): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const driver = (e as QueryFailedError & { driverError?: { code?: unknown; errno?: unknown } }).driverError;
  // MySQL / MariaDB ER_DUP_ENTRY; SQLite primary-key constraint.
  return driver?.errno === 1062 || driver?.code === 'ER_DUP_ENTRY' || driver?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Claims the work `key` for `consumer` inside the caller's transaction: true the first time,
 * false when it was done already (a redelivered message). Call it first in the handler's
 * transaction and skip the work on false; if the transaction rolls back, the claim goes with
 * it. Two workers claiming at once on MySQL: the second waits for the first to commit, then
 * gets false.
 */
export async function claimOnce(manager: EntityManager, consumer: string, key: string, now: Date): Promise<boolean> {
  try {
    await manager.insert(DedupeEntity, { consumer, key, doneAt: now });
    return true;
  } catch (e) {
    if (isDuplicateKey(e)) return false;
    throw e;
  }
}
