import type { DataSource, EntityManager } from 'typeorm';
import { appendAuditEntries } from '../audit/append';
import type { BusMessage } from '../bus/port';
import { PermanentError } from '../bus/permanent-error';
import { placeholders, tableOf, hydrate } from '../bus/sql';
import { claimOnce, isDuplicateKey } from '../store/dedupe';
import { DedupeEntity } from '../store/entities/dedupe';
import { DeliveryEntity, type DeliveryRow } from '../store/entities/delivery';
import { InstitutionEntity, type InstitutionRow } from '../store/entities/institution';
import { insertRows } from '../store/insert-rows';
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
 * multi-row insert for all; only when one of them is there already (a redelivery, or another
 * worker claimed it meanwhile: a duplicate key) is each claimed on its own. The insert is atomic
 * (`atomic`: it may take several statements, and the rows of those before the duplicate must go
 * too, or the claims one by one would find them and route none of them while committing them).
 */
async function claimAll(m: EntityManager, keys: readonly string[], now: Date): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  try {
    await insertRows(m, DedupeEntity, keys.map((key) => ({ consumer: DELIVERY_QUEUES.routing, key, doneAt: now })), { atomic: true });
    return new Set(keys);
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    const claimed = new Set<string>();
    for (const k of keys) if (await claimOnce(m, DELIVERY_QUEUES.routing, k, now)) claimed.add(k);
    return claimed;
  }
}

/** A stored message's recipients and whether it has deliveries already (routed before, maybe under another bus id). */
interface StoredMessage {
  readonly id: string;
  readonly toCodes: string[];
  readonly ccCodes: string[];
  readonly routed: boolean;
}

/** The messages `ids` (those stored), with their routed flag: one SELECT. */
async function storedMessages(m: EntityManager, ids: readonly string[]): Promise<Map<string, StoredMessage>> {
  if (ids.length === 0) return new Map();
  const raw = (await m.query(
    `SELECT x.id, x.to_codes, x.cc_codes, EXISTS (SELECT 1 FROM ${tableOf(m, DeliveryEntity)} d WHERE d.message_id = x.id) AS routed FROM ${tableOf(m, MessageEntity)} x WHERE x.id IN (${placeholders(ids.length)})`,
    [...ids],
  )) as (Record<string, unknown> & { routed: unknown })[];
  return new Map(raw.map((r) => {
    const msg = hydrate(m, MessageEntity, r);
    return [msg.id, { id: msg.id, toCodes: msg.toCodes, ccCodes: msg.ccCodes, routed: Number(r.routed) === 1 }] as const;
  }));
}

/**
 * The channels of the institutions `codes` (those in the registry): from the context's cached
 * Registry when there is one (a code it does not know yet is read from the store), else from
 * the store in the transaction.
 */
async function channelsOf(m: EntityManager, codes: readonly string[], ctx: DeliveryContext): Promise<Map<string, Pick<InstitutionRow, 'channels'>>> {
  const out = new Map<string, Pick<InstitutionRow, 'channels'>>();
  let missing = codes;
  if (ctx.registry) {
    const all = await ctx.registry.institutions();
    for (const c of codes) {
      const row = all.get(c);
      if (row) out.set(c, row);
    }
    missing = codes.filter((c) => !out.has(c));
  }
  if (missing.length > 0) {
    const raw = (await m.query(`SELECT code, channels FROM ${tableOf(m, InstitutionEntity)} WHERE code IN (${placeholders(missing.length)})`, [...missing])) as Record<string, unknown>[];
    for (const r of raw) {
      const row = hydrate(m, InstitutionEntity, r);
      out.set(row.code, row);
    }
  }
  return out;
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
    // Few statements per batch, not per message: the messages with their routed flag, the
    // claims, the deliveries, their ids, the channel jobs and the audit entries go in bulk.
    const messages = await storedMessages(m, [...new Set(parsed.flatMap((p) => (p.messageId === undefined ? [] : [p.messageId])))]);
    const known = parsed.filter((p) => p.messageId !== undefined && messages.has(p.messageId));
    const claimed = await claimAll(m, [...new Set(known.map((p) => p.job.id))], now);
    const toRoute = known.filter((p) => claimed.has(p.job.id) && !messages.get(p.messageId!)!.routed);
    const institutions = await channelsOf(m, [...new Set(toRoute.flatMap((p) => recipientsOf(messages.get(p.messageId!)!).map((r) => r.code)))], ctx);
    const routed = new Set<string>();
    const out: (RoutingOutcome | NewDelivery[])[] = [];
    const planned: NewDelivery[] = [];
    for (const p of parsed) {
      if (p.messageId === undefined) {
        out.push({ ok: false, error: p.error! });
        continue;
      }
      const message = messages.get(p.messageId);
      if (message === undefined) {
        out.push({ ok: false, error: new PermanentError(`routing: no accepted message ${p.messageId}`, { code: 'delivery.unknown-message' }) });
        continue;
      }
      if (!claimed.delete(p.job.id) || message.routed || routed.has(message.id)) {
        out.push({ ok: true, created: [] });
        continue;
      }
      routed.add(message.id);
      const mine = recipientsOf(message).map((r): NewDelivery => {
        const [first] = deliveryChannels(institutions.get(r.code) ?? null);
        return { messageId: message.id, recipientCode: r.code, role: r.role, channel: first!.kind };
      });
      planned.push(...mine);
      out.push(mine);
    }
    const opened = await openDeliveries(m, planned, now);
    await appendAuditEntries(m, opened.map((o) => o.event), now);
    const rows = new Map(opened.map((o) => [`${o.row.messageId}\n${o.row.recipientCode}`, o.row] as const));
    return out.map((o): RoutingOutcome => (Array.isArray(o) ? { ok: true, created: o.map((d) => rows.get(`${d.messageId}\n${d.recipientCode}`)!) } : o));
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
