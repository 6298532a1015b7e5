import { In, type DataSource } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { appendAuditEntries } from '../audit/append';
import { ObligationEntity } from '../obligations/entities/obligation';
import { claimOnce } from '../store/dedupe';
import { isSqlite } from '../store/dialect';
import { DeliveryEntity, type DeliveryRow } from '../store/entities/delivery';
import { InstitutionEntity } from '../store/entities/institution';
import { transaction } from '../store/transaction';
import { deliveryChannels } from './channels';
import { deliveryRef } from './delivery-id';
import { openDelivery } from './open-delivery';
import type { DeliveryContext } from './options';

/** The share of an obligation's time after which an unacknowledged delivery is also sent by e-mail (issue 7), in percent. */
export const DEFAULT_DEADLINE_SHARE_PERCENT = 25;

/** The dedupe consumer under which each primary delivery is claimed once, across processes. */
export const DEADLINE_FALLBACK_CONSUMER = 'deliveries.deadline-fallback';

/** Settings of `runDeadlineFallback`. */
export interface DeadlineFallbackOptions {
  /** A whole percentage from 1 to 99. @defaultValue DEFAULT_DEADLINE_SHARE_PERCENT */
  readonly sharePercent?: number;
  /** At most this many (delivery, obligation) pairs looked at per run, soonest due first. @defaultValue 1000 */
  readonly limit?: number;
}

/** One delivery also sent by e-mail. */
export interface DeadlineFallback {
  /** The primary delivery, still open on its channel. */
  readonly deliveryId: string;
  readonly channel: DeliveryRow['channel'];
  /** The new e-mail delivery. */
  readonly emailDeliveryId: string;
  readonly messageId: string;
  readonly recipientCode: string;
  /** The obligation whose clock called for it, and its due instant. */
  readonly obligation: string;
  readonly due: Date;
}

/** Statuses of a delivery not yet acknowledged and still in play on its channel. */
const UNACKNOWLEDGED: readonly DeliveryRow['status'][] = ['queued', 'sent', 'retrying'];

/** Checks the share: a whole percentage from 1 to 99 (`delivery.bad-deadline-share`). */
export function checkDeadlineShare(percent: number): number {
  if (!Number.isInteger(percent) || percent < 1 || percent > 99) {
    throw new GatewayError('delivery.bad-deadline-share', `the deadline share must be a whole percentage from 1 to 99, got ${String(percent)}`, { sharePercent: percent });
  }
  return percent;
}

/**
 * The deadline-aware fall-back (issue 7, item 3), run periodically like the stuck detector: a
 * delivery still unacknowledged on its primary channel (mailbox or push: queued, sent or
 * retrying) once `sharePercent` of the time of an open obligation its message started for the
 * recipient has passed (obligation.openedBy = the message, party = the recipient, start + share ×
 * (due − start) ≤ now) is ALSO sent by e-mail, when the recipient has an e-mail channel and the
 * message has no e-mail delivery to it yet. The primary is not cancelled: the recipient may
 * acknowledge either. Each primary is claimed once in the dedupe table inside the transaction
 * that opens the e-mail delivery (and its outbox job), so two gateway processes never send it
 * twice. Returns what it sent now.
 */
export async function runDeadlineFallback(dataSource: DataSource, ctx: DeliveryContext, options: DeadlineFallbackOptions = {}): Promise<DeadlineFallback[]> {
  const share = checkDeadlineShare(options.sharePercent ?? DEFAULT_DEADLINE_SHARE_PERCENT) / 100;
  const now = ctx.clock.now();
  // The candidates, in SQL: open obligations with a deadline that a message started for its
  // recipient, whose delivery of that message is unacknowledged on a channel other than e-mail,
  // to a recipient listing an e-mail channel, with no e-mail delivery of the message yet (a
  // claimed one has its e-mail delivery: both are written in one transaction). Soonest due first.
  const pairs = await dataSource.getRepository(DeliveryEntity).createQueryBuilder('d')
    .innerJoin(ObligationEntity.options.name, 'o', 'o.openedBy = d.messageId AND o.party = d.recipientCode')
    .innerJoin(InstitutionEntity.options.name, 'i', 'i.code = d.recipientCode')
    .select('d.id', 'deliveryId').addSelect('o.id', 'obligationId')
    .where('o.state = :open', { open: 'open' })
    .andWhere('o.due IS NOT NULL AND o.start <= :now', { now })
    .andWhere('d.status IN (:...statuses)', { statuses: [...UNACKNOWLEDGED] })
    .andWhere('d.channel <> :email', { email: 'email' })
    .andWhere('i.channels LIKE :hasEmail', { hasEmail: '%"kind":"email"%' })
    .andWhere("NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.message_id = d.message_id AND e.recipient_code = d.recipient_code AND e.channel = 'email')")
    .orderBy('o.due', 'ASC').addOrderBy('o.id', 'ASC')
    .limit(options.limit ?? 1000)
    .getRawMany<{ deliveryId: number | string; obligationId: number | string }>();
  if (pairs.length === 0) return [];
  const clocks = await dataSource.getRepository(ObligationEntity).find({
    where: { id: In([...new Set(pairs.map((p) => Number(p.obligationId)))]) },
    select: { id: true, obligation: true, party: true, openedBy: true, start: true, due: true },
  });
  const ripe = clocks.filter((o) => o.due !== null && o.start.getTime() + share * (o.due.getTime() - o.start.getTime()) <= now.getTime());
  if (ripe.length === 0) return [];
  const open = await dataSource.getRepository(DeliveryEntity).find({
    where: { id: In([...new Set(pairs.filter((p) => ripe.some((o) => o.id === Number(p.obligationId))).map((p) => Number(p.deliveryId)))]) },
    order: { id: 'ASC' },
  });
  const out: DeadlineFallback[] = [];
  const seen = new Set<number>();
  for (const d of open) {
    const clock = ripe.filter((o) => o.openedBy === d.messageId && o.party === d.recipientCode).sort((a, b) => a.due!.getTime() - b.due!.getTime())[0];
    if (clock === undefined || seen.has(d.id)) continue;
    seen.add(d.id);
    const ref = deliveryRef(d.id);
    const sent = await transaction(dataSource, async (m) => {
      const institution = await m.findOneBy(InstitutionEntity, { code: d.recipientCode });
      if (!deliveryChannels(institution).some((c) => c.kind === 'email')) return undefined;
      if (await m.existsBy(DeliveryEntity, { messageId: d.messageId, recipientCode: d.recipientCode, channel: 'email' })) return undefined;
      const current = await m.findOne(DeliveryEntity, { where: { id: d.id }, ...(isSqlite(m) ? {} : { lock: { mode: 'pessimistic_write' as const } }) });
      if (current === null || !UNACKNOWLEDGED.includes(current.status)) return undefined;
      if (!(await claimOnce(m, DEADLINE_FALLBACK_CONSUMER, ref, now))) return undefined;
      const because = { alsoFor: ref, obligation: clock.obligation, due: clock.due!.toISOString(), sharePercent: Math.round(share * 100) };
      const { row, event } = await openDelivery(m, { messageId: d.messageId, recipientCode: d.recipientCode, role: d.role, channel: 'email' }, now, because);
      await appendAuditEntries(m, [
        { kind: 'delivery', actor: 'mmgw', subject: d.messageId, details: { event: 'also-by-email', deliveryId: ref, recipient: d.recipientCode, channel: d.channel, emailDeliveryId: deliveryRef(row.id), obligation: clock.obligation, due: clock.due!.toISOString(), sharePercent: Math.round(share * 100) } },
        event,
      ], now);
      return row;
    });
    if (sent !== undefined) {
      out.push({ deliveryId: ref, channel: d.channel, emailDeliveryId: deliveryRef(sent.id), messageId: d.messageId, recipientCode: d.recipientCode, obligation: clock.obligation, due: clock.due! });
    }
  }
  return out;
}
