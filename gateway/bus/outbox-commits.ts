import type { DataSource, EntitySubscriberInterface } from 'typeorm';

/** Set in a query runner's data when it inserted into the outbox (until its transaction ends). */
const WROTE_OUTBOX = 'mmgwWroteOutbox';

/** An INSERT into the outbox table, however it was written (typeorm's insert, or plain SQL). */
const OUTBOX_INSERT = /^\s*INSERT\s+INTO\s+[`"]?outbox[`"]?[\s(]/i;

/**
 * Calls `listener` after each commit, on `dataSource`, of a transaction that inserted outbox
 * rows (writeOutbox, writeOutboxRows, or plain SQL): a typeorm subscriber sees every statement
 * (beforeQuery) and every commit. What wakes the outbox relay and the embedded bus at once
 * instead of at their next poll. Only this process's commits are seen. Returns the function
 * that stops it.
 */
export function onOutboxCommit(dataSource: DataSource, listener: () => void): () => void {
  const forget = (data: Record<string, unknown> | undefined): boolean => {
    if (data?.[WROTE_OUTBOX] !== true) return false;
    delete data[WROTE_OUTBOX];
    return true;
  };
  const subscriber: EntitySubscriberInterface = {
    beforeQuery: (event) => {
      if (OUTBOX_INSERT.test(event.query)) event.queryRunner.data = { ...event.queryRunner.data, [WROTE_OUTBOX]: true };
    },
    afterTransactionCommit: (event) => {
      if (forget(event.queryRunner.data as Record<string, unknown> | undefined)) listener();
    },
    afterTransactionRollback: (event) => {
      forget(event.queryRunner.data as Record<string, unknown> | undefined);
    },
  };
  dataSource.subscribers.push(subscriber);
  return () => {
    const i = dataSource.subscribers.indexOf(subscriber);
    if (i >= 0) dataSource.subscribers.splice(i, 1);
  };
}
