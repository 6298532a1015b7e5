import type { EntityManager } from 'typeorm';
import type { ErrorCode } from '../../contracts/errors/registry';
import type { AuditEvent } from '../audit/append';
import { DeliveryEntity, type DeliveryRow } from '../store/entities/delivery';
import { InstitutionEntity } from '../store/entities/institution';
import { deliveryChannels } from './channels';
import { deliveryRef } from './delivery-id';
import { openDelivery } from './open-delivery';

/** What a fall-back did. */
export interface FallBack {
  /** The delivery on the next channel; absent when no channel was left (the old one is then `failed`). */
  readonly next?: DeliveryRow;
  readonly events: readonly AuditEvent[];
}

/**
 * Gives up a delivery's channel (inside the caller's transaction): the recipient's NEXT channel
 * (deliveryChannels order, skipping kinds this message already used for it) gets a new
 * delivery, and the old one becomes `fell-back`; with no channel left it becomes `failed`
 * (code `delivery.no-channel-left` in the audit: an operator must act). Either way an audit
 * entry of kind `fall-back` carries `alert: true`. The caller appends the events.
 */
export async function fallBack(manager: EntityManager, d: DeliveryRow, cause: ErrorCode, detail: string, now: Date): Promise<FallBack> {
  const institution = await manager.findOneBy(InstitutionEntity, { code: d.recipientCode });
  const chain = deliveryChannels(institution);
  const used = (await manager.find(DeliveryEntity, { where: { messageId: d.messageId, recipientCode: d.recipientCode }, select: { channel: true } })).map((r) => r.channel);
  const after = chain.slice(chain.findIndex((c) => c.kind === d.channel) + 1);
  const nextChannel = after.find((c) => !used.includes(c.kind)) ?? chain.find((c) => !used.includes(c.kind));
  const ref = deliveryRef(d.id);
  const base = { deliveryId: ref, recipient: d.recipientCode, channel: d.channel, cause, detail: detail.slice(0, 300), attempts: d.attempts, alert: true };
  if (nextChannel === undefined) {
    await manager.update(DeliveryEntity, { id: d.id }, { status: 'failed', lastErrorCode: cause, statusSince: now, attempts: d.attempts });
    return { events: [{ kind: 'fall-back', actor: 'mmgw', subject: d.messageId, details: { ...base, outcome: 'failed', alertCode: 'delivery.no-channel-left' } }] };
  }
  await manager.update(DeliveryEntity, { id: d.id }, { status: 'fell-back', lastErrorCode: cause, statusSince: now, attempts: d.attempts });
  const { row, event } = await openDelivery(manager, { messageId: d.messageId, recipientCode: d.recipientCode, role: d.role, channel: nextChannel.kind }, now, { fellBackFrom: ref });
  return { next: row, events: [{ kind: 'fall-back', actor: 'mmgw', subject: d.messageId, details: { ...base, outcome: 'fell-back', nextDeliveryId: deliveryRef(row.id), nextChannel: nextChannel.kind } }, event] };
}
