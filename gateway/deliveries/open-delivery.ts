import type { EntityManager } from 'typeorm';
import type { AuditEvent } from '../audit/append';
import { DeliveryEntity, type DeliveryRow } from '../store/entities/delivery';
import { placeholders, tableOf } from '../bus/sql';
import { insertRows } from '../store/insert-rows';
import { writeOutbox, writeOutboxRows } from '../store/outbox';
import type { ChannelKind } from './channels';
import { deliveryRef } from './delivery-id';
import { DELIVERY_TOPICS } from './topology';

/** A delivery to create. */
export interface NewDelivery {
  readonly messageId: string;
  readonly recipientCode: string;
  readonly role: 'to' | 'cc';
  readonly channel: ChannelKind;
}

/** The job a channel worker takes from the bus. */
export interface DeliveryJob {
  readonly deliveryId: string;
}

/**
 * Creates one delivery (status `queued`) inside the caller's transaction and, for push and
 * e-mail, the outbox row its channel worker consumes; returns the row and its audit event (the
 * caller appends the events of a transaction together). A mailbox delivery needs no job: it is
 * in the mailbox as soon as the transaction commits.
 */
export async function openDelivery(manager: EntityManager, d: NewDelivery, now: Date, because?: Record<string, unknown>): Promise<{ row: DeliveryRow; event: AuditEvent }> {
  const fields: Omit<DeliveryRow, 'id'> = {
    messageId: d.messageId, recipientCode: d.recipientCode, role: d.role, channel: d.channel, status: 'queued', attempts: 0, lastErrorCode: null,
    queuedAt: now, sentAt: null, acknowledgedAt: null, ackReceiptId: null, nextAttemptAt: null, statusSince: now,
  };
  const result = await manager.insert(DeliveryEntity, fields);
  const row: DeliveryRow = { ...fields, id: Number(result.identifiers[0]?.id) };
  const ref = deliveryRef(row.id);
  if (d.channel !== 'mailbox') {
    const job: DeliveryJob = { deliveryId: ref };
    await writeOutbox(manager, [{ topic: DELIVERY_TOPICS[d.channel], messageId: `delivery:${ref}`, payload: Buffer.from(JSON.stringify(job)) }], now);
  }
  const event: AuditEvent = {
    kind: 'delivery', actor: 'mmgw', subject: d.messageId,
    details: { event: 'queued', deliveryId: ref, recipient: d.recipientCode, role: d.role, channel: d.channel, ...because },
  };
  return { row, event };
}

/**
 * Creates many deliveries at once (the routing worker's batch), for messages that have no
 * delivery yet: one multi-row INSERT for the rows, one SELECT for their ids (by message: no
 * assumption about how the database numbers a multi-row insert; the unique key
 * message/recipient/channel makes each row found the one inserted), one multi-row INSERT for
 * the channel jobs of push and e-mail. Same result as `openDelivery` for each, in order.
 */
export async function openDeliveries(manager: EntityManager, list: readonly NewDelivery[], now: Date): Promise<{ row: DeliveryRow; event: AuditEvent }[]> {
  if (list.length === 0) return [];
  const fields = list.map((d): Omit<DeliveryRow, 'id'> => ({
    messageId: d.messageId, recipientCode: d.recipientCode, role: d.role, channel: d.channel, status: 'queued', attempts: 0, lastErrorCode: null,
    queuedAt: now, sentAt: null, acknowledgedAt: null, ackReceiptId: null, nextAttemptAt: null, statusSince: now,
  }));
  await insertRows(manager, DeliveryEntity, fields as DeliveryRow[], { maxRows: 500 });
  const messageIds = [...new Set(list.map((d) => d.messageId))];
  const stored = (await manager.query(
    `SELECT id, message_id, recipient_code, channel FROM ${tableOf(manager, DeliveryEntity)} WHERE message_id IN (${placeholders(messageIds.length)})`,
    messageIds,
  )) as { id: number | string; message_id: string; recipient_code: string; channel: string }[];
  const key = (messageId: string, recipient: string, channel: string) => `${messageId}\n${recipient}\n${channel}`;
  const ids = new Map(stored.map((s) => [key(s.message_id, s.recipient_code, s.channel), Number(s.id)] as const));
  const out = fields.map((f) => {
    const id = ids.get(key(f.messageId, f.recipientCode, f.channel));
    if (id === undefined) throw new Error(`openDeliveries: the delivery of ${f.messageId} to ${f.recipientCode} over ${f.channel} was not found after its insert`);
    const row: DeliveryRow = { ...f, id };
    const event: AuditEvent = { kind: 'delivery', actor: 'mmgw', subject: f.messageId, details: { event: 'queued', deliveryId: deliveryRef(id), recipient: f.recipientCode, role: f.role, channel: f.channel } };
    return { row, event };
  });
  const jobs = out.filter((o) => o.row.channel !== 'mailbox').map((o) => {
    const ref = deliveryRef(o.row.id);
    const job: DeliveryJob = { deliveryId: ref };
    return { topic: DELIVERY_TOPICS[o.row.channel as 'push' | 'email'], messageId: `delivery:${ref}`, payload: Buffer.from(JSON.stringify(job)) };
  });
  if (jobs.length > 0) await writeOutboxRows(manager, jobs, now);
  return out;
}
