import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { OutboxEntity, type OutboxRow } from './entities/outbox';
import { insertRows } from './insert-rows';

/** A message to publish once the caller's transaction commits. */
export interface OutboxMessage {
  /** The routing key, e.g. `message.accepted.SampleReport`. */
  readonly topic: string;
  readonly payload: Buffer;
  /** A stable id for dedupe by consumers; a random UUID when absent. */
  readonly messageId?: string;
  readonly headers?: Record<string, string>;
}

/**
 * Writes messages to the outbox inside the caller's transaction (`manager` of
 * `dataSource.transaction`): they are published if and only if the transaction commits — by
 * the outbox relay to RabbitMQ, or by the embedded bus directly. Returns the outbox ids.
 */
export async function writeOutbox(manager: EntityManager, messages: readonly OutboxMessage[], now: Date): Promise<number[]> {
  const ids: number[] = [];
  for (const m of messages) {
    const row: Omit<OutboxRow, 'id'> = {
      topic: m.topic, queue: null, state: 'pending', messageId: m.messageId ?? randomUUID(), payload: m.payload,
      headers: m.headers ?? {}, attempts: 0, lastErrorCode: null, createdAt: now, availableAt: now,
    };
    const result = await manager.insert(OutboxEntity, row);
    ids.push(Number(result.identifiers[0]?.id));
  }
  return ids;
}

/**
 * writeOutbox for many messages at once: the same rows, in order, written with multi-row
 * INSERTs (insertRows: one statement per 100 rows, no read-back); returns no ids. What intake's
 * batched accept transaction uses.
 */
export async function writeOutboxRows(manager: EntityManager, messages: readonly OutboxMessage[], now: Date): Promise<void> {
  const rows = messages.map((m): Omit<OutboxRow, 'id'> => ({
    topic: m.topic, queue: null, state: 'pending', messageId: m.messageId ?? randomUUID(), payload: m.payload,
    headers: m.headers ?? {}, attempts: 0, lastErrorCode: null, createdAt: now, availableAt: now,
  }));
  await insertRows(manager, OutboxEntity, rows as OutboxRow[]);
}
