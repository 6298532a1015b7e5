import { In, type DataSource, type EntityManager } from 'typeorm';
import type { ErrorCode } from '../../contracts/errors/registry';
import { appendAuditEntries, type AuditEvent } from '../audit/append';
import { isSqlite } from '../store/dialect';
import { transaction } from '../store/transaction';
import { DeliveryEntity, type DeliveryRow } from '../store/entities/delivery';
import { InstitutionEntity } from '../store/entities/institution';
import { deliveryChannels } from './channels';
import { deliveryRef, parseDeliveryRef } from './delivery-id';
import { openDelivery } from './open-delivery';
import type { DeliveryContext } from './options';

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

/** What a bounce did to its delivery. */
export type BounceOutcome =
  /** The delivery fell back; `next` is the delivery on the recipient's next channel. */
  | { readonly outcome: 'fell-back'; readonly deliveryId: string; readonly next: DeliveryRow }
  /** The delivery failed: no channel left, or it was a second channel beside a primary still open. */
  | { readonly outcome: 'failed'; readonly deliveryId: string }
  /** Nothing changed: the delivery is not an e-mail delivery awaiting its acknowledgement (acknowledged, fell back already, …). */
  | { readonly outcome: 'ignored'; readonly deliveryId: string; readonly status: DeliveryRow['status'] | 'unknown' };

/** Statuses an e-mail delivery can bounce from: handed over (sent) or still being handed over. */
const BOUNCEABLE: readonly DeliveryRow['status'][] = ['queued', 'sent', 'retrying'];

/**
 * A delivery status notification said the e-mail of delivery `deliveryId` could not be
 * delivered: in one transaction (the row locked) the delivery gives up its channel with code
 * `delivery.email-bounced` and falls back to the recipient's next channel (fallBack). When the
 * e-mail was a second channel sent beside a primary delivery still open (deadline-aware
 * fall-back), it only becomes `failed`: the primary goes on. A delivery already acknowledged or
 * closed is left as it is (`ignored`), so a late or repeated bounce changes nothing.
 */
export async function bounceDelivery(dataSource: DataSource, deliveryId: string, detail: string, ctx: DeliveryContext): Promise<BounceOutcome> {
  const id = parseDeliveryRef(deliveryId);
  const now = ctx.clock.now();
  const outcome = await transaction(dataSource, async (m): Promise<BounceOutcome> => {
    const d = await m.findOne(DeliveryEntity, { where: { id }, ...(isSqlite(m) ? {} : { lock: { mode: 'pessimistic_write' as const } }) });
    if (d === null) return { outcome: 'ignored', deliveryId, status: 'unknown' };
    if (d.channel !== 'email' || !BOUNCEABLE.includes(d.status)) return { outcome: 'ignored', deliveryId, status: d.status };
    const siblings = await m.find(DeliveryEntity, { where: { messageId: d.messageId, recipientCode: d.recipientCode, status: In([...BOUNCEABLE]) }, select: { id: true } });
    const primary = siblings.find((s) => s.id !== d.id);
    if (primary !== undefined) {
      await m.update(DeliveryEntity, { id: d.id }, { status: 'failed', lastErrorCode: 'delivery.email-bounced', statusSince: now });
      await appendAuditEntries(m, [{
        kind: 'delivery', actor: 'mmgw', subject: d.messageId,
        details: { event: 'bounced', deliveryId, recipient: d.recipientCode, channel: d.channel, cause: 'delivery.email-bounced', detail: detail.slice(0, 300), primaryDeliveryId: deliveryRef(primary.id), alert: true },
      }], now);
      return { outcome: 'failed', deliveryId };
    }
    const done = await fallBack(m, d, 'delivery.email-bounced', detail, now);
    await appendAuditEntries(m, done.events, now);
    return done.next === undefined ? { outcome: 'failed', deliveryId } : { outcome: 'fell-back', deliveryId, next: done.next };
  });
  if (outcome.outcome === 'fell-back' && outcome.next.channel === 'mailbox') ctx.notifier.notify(outcome.next.recipientCode);
  return outcome;
}
