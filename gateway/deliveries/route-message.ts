import { In, type DataSource, type EntityManager } from 'typeorm';
import { appendAuditEntries } from '../audit/append';
import type { BusMessage } from '../bus/port';
import { PermanentError } from '../bus/permanent-error';
import { claimOnce } from '../store/dedupe';
import { DedupeEntity } from '../store/entities/dedupe';
import { DeliveryEntity, type DeliveryRow } from '../store/entities/delivery';
import { InstitutionEntity } from '../store/entities/institution';
import { MessageEntity } from '../store/entities/message';
import { transaction } from '../store/transaction';
import { deliveryChannels } from './channels';
import { readJob } from './job';
import { openDeliveries, type NewDelivery } from './open-delivery';
import type { DeliveryContext } from './options';
import { DELIVERY_QUEUES } from './topology';

/** The recipients of a message, `to` then `cc`, each once (a code in both counts as `to`). */
export function recipientsOf(message: { toCodes: readonly string[]; ccCodes: readonly string[] }): { code: string; role: 'to' | 'cc' }[] {
  const out: { code: string; role: 'to' | 'cc' }[] = [];
  for (const code of message.toCodes) if (!out.some((r) => r.code === code)) out.push({ code, role: 'to' });
  for (const code of message.ccCodes) if (!out.some((r) => r.code === code)) out.push({ code, role: 'cc' });
  return out;
}

/**
 * Claims the bus message ids for the routing worker inside the transaction (the dedupe table,
 * as `claimOnce` does one by one): the set of ids claimed now, without those done before. One
 * insert for all; if another worker claimed one of them meanwhile (a duplicate key), each is
 * claimed on its own instead.
 */
async function claimAll(m: EntityManager, keys: readonly string[], now: Date): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const done = new Set((await m.find(DedupeEntity, { where: { consumer: DELIVERY_QUEUES.routing, key: In([...keys]) }, select: { key: true } })).map((d) => d.key));
  const fresh = keys.filter((k) => !done.has(k));
  try {
    if (fresh.length > 0) await m.insert(DedupeEntity, fresh.map((key) => ({ consumer: DELIVERY_QUEUES.routing, key, doneAt: now })));
    return new Set(fresh);
  } catch {
    const claimed = new Set<string>();
    for (const k of fresh) if (await claimOnce(m, DELIVERY_QUEUES.routing, k, now)) claimed.add(k);
    return claimed;
  }
}

/** What routing one bus message came to: the deliveries created (none for a redelivery), or why it is refused. */
export type RoutingOutcome = { readonly ok: true; readonly created: DeliveryRow[] } | { readonly ok: false; readonly error: PermanentError };

/**
 * The routing worker's work for a batch of `message.accepted.*` bus messages (seam 1), in ONE
 * transaction: for each, ONE delivery per recipient (to ∪ cc of the stored message) on the
 * recipient's first channel, with its audit entry and channel job. A redelivered bus message is
 * recognised by its id in the dedupe table and creates nothing (the unique key
 * message/recipient/channel backs that up; a message routed already under another bus id is not
 * routed again). A job without a messageId or for an unknown message is refused on its own
 * (PermanentError, nothing written for it) without holding up the others.
 */
export async function routeAcceptedMessages(dataSource: DataSource, jobs: readonly BusMessage[], ctx: DeliveryContext): Promise<RoutingOutcome[]> {
  const parsed = jobs.map((job) => {
    try {
      return { job, messageId: readJob(job.payload, 'messageId', DELIVERY_QUEUES.routing) };
    } catch (e) {
      return { job, error: e as PermanentError };
    }
  });
  const now = ctx.clock.now();
  const outcomes = await transaction(dataSource, async (m) => {
    const ids = [...new Set(parsed.flatMap((p) => (p.messageId === undefined ? [] : [p.messageId])))];
    const messages = ids.length === 0 ? [] : await m.find(MessageEntity, { where: { id: In(ids) }, select: { id: true, toCodes: true, ccCodes: true } });
    const codes = [...new Set(messages.flatMap((msg) => recipientsOf(msg).map((r) => r.code)))];
    const institutions = codes.length === 0 ? [] : await m.findBy(InstitutionEntity, { code: In(codes) });
    // Few statements per batch, not per message: the claims, the routed check and the deliveries go in bulk.
    const known = parsed.filter((p) => messages.some((x) => x.id === p.messageId));
    const claimed = await claimAll(m, [...new Set(known.map((p) => p.job.id))], now);
    const routedIds = messages.length === 0 ? [] : (await m.find(DeliveryEntity, { where: { messageId: In(messages.map((x) => x.id)) }, select: { messageId: true } })).map((d) => d.messageId);
    const routed = new Set(routedIds);
    const out: (RoutingOutcome | NewDelivery[])[] = [];
    const planned: NewDelivery[] = [];
    for (const p of parsed) {
      if (p.messageId === undefined) {
        out.push({ ok: false, error: p.error! });
        continue;
      }
      const message = messages.find((x) => x.id === p.messageId);
      if (message === undefined) {
        out.push({ ok: false, error: new PermanentError(`routing: no accepted message ${p.messageId}`, { code: 'delivery.unknown-message' }) });
        continue;
      }
      if (!claimed.delete(p.job.id) || routed.has(message.id)) {
        out.push({ ok: true, created: [] });
        continue;
      }
      routed.add(message.id);
      const mine = recipientsOf(message).map((r): NewDelivery => {
        const [first] = deliveryChannels(institutions.find((i) => i.code === r.code) ?? null);
        return { messageId: message.id, recipientCode: r.code, role: r.role, channel: first!.kind };
      });
      planned.push(...mine);
      out.push(mine);
    }
    const opened = await openDeliveries(m, planned, now);
    await appendAuditEntries(m, opened.map((o) => o.event), now);
    return out.map((o): RoutingOutcome => (Array.isArray(o) ? { ok: true, created: o.map((d) => opened.find((x) => x.row.messageId === d.messageId && x.row.recipientCode === d.recipientCode)!.row) } : o));
  });
  for (const o of outcomes) if (o.ok) for (const row of o.created) if (row.channel === 'mailbox') ctx.notifier.notify(row.recipientCode);
  return outcomes;
}

/** Routes one bus message (see routeAcceptedMessages); resolves with the deliveries created, rejects with its PermanentError. */
export async function routeAcceptedMessage(dataSource: DataSource, job: BusMessage, ctx: DeliveryContext): Promise<DeliveryRow[]> {
  const [outcome] = await routeAcceptedMessages(dataSource, [job], ctx);
  if (!outcome!.ok) throw outcome!.error;
  return outcome!.created;
}
