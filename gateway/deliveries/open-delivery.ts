import type { EntityManager } from 'typeorm';
import type { AuditEvent } from '../audit/append';
import { DeliveryEntity, type DeliveryRow } from '../store/entities/delivery';
import { writeOutbox } from '../store/outbox';
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
