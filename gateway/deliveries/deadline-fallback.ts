import { In, type DataSource } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { appendAuditEntries } from '../audit/append';
import { ObligationEntity } from '../obligations/entities/obligation';
import { RECEIPT_CLOCK_FORMS } from '../obligations/receipt-clocks';
import { claimOnce } from '../store/dedupe';
import { isSqlite } from '../store/dialect';
import { DeliveryEntity, type DeliveryRow } from '../store/entities/delivery';
import { InstitutionEntity } from '../store/entities/institution';
import { MessageEntity } from '../store/entities/message';
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
  /** At most this many (delivery, obligation) pairs with an open obligation, and this many deliveries awaiting their receipt clock, looked at per run (soonest due, oldest queued first). @defaultValue 1000 */
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
  /** True when that clock is not open yet: it would run had the recipient received the message when it was first queued (its receipt clock, e.g. an unacknowledged IncidentNotice's disposal-feedback). */
  readonly wouldBe: boolean;
}

/** A delivery whose share of a clock has passed. */
interface Ripe {
  readonly d: DeliveryRow;
  readonly obligation: string;
  readonly due: Date;
  readonly wouldBe: boolean;
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

/** SQL: the recipient lists an e-mail channel and the message has no e-mail delivery to it yet (a claimed primary has its e-mail delivery: both are written in one transaction). */
const HAS_EMAIL_NO_COPY = "i.channels LIKE '%\"kind\":\"email\"%' AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.message_id = d.message_id AND e.recipient_code = d.recipient_code AND e.channel = 'email')";

/** Deliveries unacknowledged on their primary channel past the share of an OPEN obligation their message started for the recipient. */
async function ripeOnOpenClocks(dataSource: DataSource, share: number, now: Date, limit: number): Promise<Ripe[]> {
  // Open obligations with a deadline that a message started for its recipient, whose delivery
  // of that message is unacknowledged on a channel other than e-mail. Soonest due first.
  const pairs = await dataSource.getRepository(DeliveryEntity).createQueryBuilder('d')
    .innerJoin(ObligationEntity.options.name, 'o', 'o.openedBy = d.messageId AND o.party = d.recipientCode')
    .innerJoin(InstitutionEntity.options.name, 'i', 'i.code = d.recipientCode')
    .select('d.id', 'deliveryId').addSelect('o.id', 'obligationId')
    .where('o.state = :open', { open: 'open' })
    .andWhere('o.due IS NOT NULL AND o.start <= :now', { now })
    .andWhere('d.status IN (:...statuses)', { statuses: [...UNACKNOWLEDGED] })
    .andWhere('d.channel <> :email', { email: 'email' })
    .andWhere(HAS_EMAIL_NO_COPY)
    .orderBy('o.due', 'ASC').addOrderBy('o.id', 'ASC')
    .limit(limit)
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
  return open.flatMap((d) => {
    const clock = ripe.filter((o) => o.openedBy === d.messageId && o.party === d.recipientCode).sort((a, b) => a.due!.getTime() - b.due!.getTime())[0];
    return clock === undefined ? [] : [{ d, obligation: clock.obligation, due: clock.due!, wouldBe: false }];
  });
}

/**
 * Deliveries of a message whose clock starts only on receipt (an IncidentNotice's
 * disposal-feedback, a DomainDisposalRequest's domain-disposal: RECEIPT_CLOCK_FORMS), to a `to`
 * recipient that has not acknowledged it, and no obligation of the recipient opened by it yet:
 * the clock that WOULD run had the recipient received it when it was first queued (the
 * obligations hook clocksIfReceived: same level-based duration, calendar and special periods),
 * past its share.
 */
async function ripeOnReceiptClocks(dataSource: DataSource, ctx: DeliveryContext, share: number, now: Date, limit: number): Promise<Ripe[]> {
  const waiting = await dataSource.getRepository(DeliveryEntity).createQueryBuilder('d')
    .innerJoin(MessageEntity.options.name, 'm', 'm.id = d.messageId')
    .innerJoin(InstitutionEntity.options.name, 'i', 'i.code = d.recipientCode')
    .where('d.status IN (:...statuses)', { statuses: [...UNACKNOWLEDGED] })
    .andWhere('d.channel <> :email', { email: 'email' })
    .andWhere('d.role = :to', { to: 'to' })
    .andWhere('m.type IN (:...forms)', { forms: [...RECEIPT_CLOCK_FORMS] })
    .andWhere(HAS_EMAIL_NO_COPY)
    .andWhere('NOT EXISTS (SELECT 1 FROM obligations o WHERE o.opened_by = d.message_id AND o.party = d.recipient_code)')
    .orderBy('d.queuedAt', 'ASC').addOrderBy('d.id', 'ASC')
    .limit(limit)
    .getMany();
  if (waiting.length === 0) return [];
  // "Received when queued": the first delivery of the message to the recipient, on whatever channel.
  const all = await dataSource.getRepository(DeliveryEntity).find({ where: { messageId: In([...new Set(waiting.map((d) => d.messageId))]) }, select: { id: true, messageId: true, recipientCode: true, queuedAt: true } });
  const out: Ripe[] = [];
  for (const d of waiting) {
    const first = Math.min(...all.filter((a) => a.messageId === d.messageId && a.recipientCode === d.recipientCode).map((a) => a.queuedAt.getTime()));
    const clocks = await ctx.hooks.clocksIfReceived(dataSource.manager, { messageId: d.messageId, recipientCode: d.recipientCode, receivedAt: new Date(first) });
    const clock = clocks.filter((c) => c.start.getTime() + share * (c.due.getTime() - c.start.getTime()) <= now.getTime()).sort((a, b) => a.due.getTime() - b.due.getTime())[0];
    if (clock !== undefined) out.push({ d, obligation: clock.obligation, due: clock.due, wouldBe: true });
  }
  return out;
}

/**
 * The deadline-aware fall-back (issue 7, item 3), run periodically like the stuck detector: a
 * delivery still unacknowledged on its primary channel (mailbox or push: queued, sent or
 * retrying) once `sharePercent` of the time of a clock has passed is ALSO sent by e-mail, when
 * the recipient has an e-mail channel and the message has no e-mail delivery to it yet. The
 * clock is an open obligation its message started for the recipient (obligation.openedBy = the
 * message, party = the recipient, start + share × (due − start) ≤ now), or, for a message whose
 * recipient's clock starts only on receipt (an IncidentNotice: disposal-feedback runs from the
 * acknowledgement), the clock that would run had the recipient received it when it was first
 * queued (the obligations hook `clocksIfReceived`). The primary is not cancelled: the recipient
 * may acknowledge either (the other copy is then superseded). Each primary is claimed once in
 * the dedupe table inside the transaction that opens the e-mail delivery (and its outbox job),
 * so two gateway processes never send it twice. Returns what it sent now.
 */
export async function runDeadlineFallback(dataSource: DataSource, ctx: DeliveryContext, options: DeadlineFallbackOptions = {}): Promise<DeadlineFallback[]> {
  const share = checkDeadlineShare(options.sharePercent ?? DEFAULT_DEADLINE_SHARE_PERCENT) / 100;
  const now = ctx.clock.now();
  const limit = options.limit ?? 1000;
  const candidates = [...await ripeOnOpenClocks(dataSource, share, now, limit), ...await ripeOnReceiptClocks(dataSource, ctx, share, now, limit)];
  const out: DeadlineFallback[] = [];
  const seen = new Set<number>();
  for (const { d, obligation, due, wouldBe } of candidates) {
    if (seen.has(d.id)) continue;
    seen.add(d.id);
    const ref = deliveryRef(d.id);
    const sent = await transaction(dataSource, async (m) => {
      const institution = await m.findOneBy(InstitutionEntity, { code: d.recipientCode });
      if (!deliveryChannels(institution).some((c) => c.kind === 'email')) return undefined;
      if (await m.existsBy(DeliveryEntity, { messageId: d.messageId, recipientCode: d.recipientCode, channel: 'email' })) return undefined;
      const current = await m.findOne(DeliveryEntity, { where: { id: d.id }, ...(isSqlite(m) ? {} : { lock: { mode: 'pessimistic_write' as const } }) });
      if (current === null || !UNACKNOWLEDGED.includes(current.status)) return undefined;
      if (!(await claimOnce(m, DEADLINE_FALLBACK_CONSUMER, ref, now))) return undefined;
      const because = { alsoFor: ref, obligation, due: due.toISOString(), sharePercent: Math.round(share * 100), ...(wouldBe ? { wouldBe: true } : {}) };
      const { row, event } = await openDelivery(m, { messageId: d.messageId, recipientCode: d.recipientCode, role: d.role, channel: 'email' }, now, because);
      await appendAuditEntries(m, [
        { kind: 'delivery', actor: 'mmgw', subject: d.messageId, details: { event: 'also-by-email', deliveryId: ref, recipient: d.recipientCode, channel: d.channel, emailDeliveryId: deliveryRef(row.id), obligation, due: due.toISOString(), sharePercent: Math.round(share * 100), wouldBe } },
        event,
      ], now);
      return row;
    });
    if (sent !== undefined) {
      out.push({ deliveryId: ref, channel: d.channel, emailDeliveryId: deliveryRef(sent.id), messageId: d.messageId, recipientCode: d.recipientCode, obligation, due, wouldBe });
    }
  }
  return out;
}
