import type { DataSource, EntityManager } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import type { ErrorCode } from '../../contracts/errors/registry';
import { appendAuditEntries, type AuditEvent } from '../audit/append';
import type { BusMessage } from '../bus/port';
import { PermanentError } from '../bus/permanent-error';
import { TransientError } from '../bus/transient-error';
import { isSqlite } from '../store/dialect';
import { DeliveryEntity, type DeliveryRow } from '../store/entities/delivery';
import { InstitutionEntity, type Channel } from '../store/entities/institution';
import { MessageEntity, type MessageRow } from '../store/entities/message';
import { transaction } from '../store/transaction';
import { deliveryChannels } from './channels';
import { parseDeliveryRef } from './delivery-id';
import { fallBack } from './fall-back';
import { readJob } from './job';
import type { DeliveryContext } from './options';

/** How one attempt to hand a document over a channel ended. */
export type ChannelOutcome =
  | { readonly kind: 'delivered'; readonly detail: string }
  /** Not worth retrying: fall back to the next channel now. */
  | {
    readonly kind: 'refused';
    readonly code: ErrorCode;
    readonly detail: string;
    /** False when nothing was sent (no endpoint, no mailer): not counted as an attempt. @defaultValue true */
    readonly attempted?: boolean;
  }
  /** Worth retrying (with the queue's back-off) until the last attempt, then fall back. */
  | { readonly kind: 'unavailable'; readonly code: ErrorCode; readonly detail: string };

/** What a channel worker is: its queue, its channel, when it gives up, and how it sends. */
export interface ChannelWorker {
  readonly queue: string;
  readonly channel: 'push' | 'email';
  /** The queue's retry maxAttempts: the attempt at which an unavailable endpoint makes it fall back. */
  readonly maxAttempts: number;
  /** The code a delivery falls back with once the last attempt failed. */
  readonly exhaustedCode: ErrorCode;
  /** One attempt; never throws. */
  send(delivery: DeliveryRow, message: Pick<MessageRow, 'id' | 'type' | 'format' | 'bytes' | 'hash'>, channel: Channel | undefined): Promise<ChannelOutcome>;
}

const OPEN: readonly DeliveryRow['status'][] = ['queued', 'retrying'];

/**
 * Changes an open delivery in one transaction with its audit entries: the row is locked and
 * read again, and nothing happens if another attempt already closed it (a redelivered job).
 */
async function settle(dataSource: DataSource, id: number, ctx: DeliveryContext, change: (m: EntityManager, d: DeliveryRow, now: Date) => Promise<readonly AuditEvent[]>): Promise<DeliveryRow | undefined> {
  const now = ctx.clock.now();
  const next = await transaction(dataSource, async (m) => {
    const d = await m.findOne(DeliveryEntity, { where: { id }, ...(isSqlite(m) ? {} : { lock: { mode: 'pessimistic_write' as const } }) });
    if (d === null || !OPEN.includes(d.status)) return undefined;
    const events = await change(m, d, now);
    await appendAuditEntries(m, events, now);
    return (await m.findOneBy(DeliveryEntity, { id: d.id })) ?? undefined;
  });
  return next;
}

/** Falls back in one transaction and wakes the mailbox reader if the next channel is the mailbox. */
async function giveUp(dataSource: DataSource, id: number, ctx: DeliveryContext, code: ErrorCode, detail: string, attempted: boolean): Promise<void> {
  let next: DeliveryRow | undefined;
  await settle(dataSource, id, ctx, async (m, d, now) => {
    const done = await fallBack(m, { ...d, attempts: d.attempts + (attempted ? 1 : 0) }, code, detail, now);
    next = done.next;
    return done.events;
  });
  if (next?.channel === 'mailbox') ctx.notifier.notify(next.recipientCode);
}

/**
 * Handles one job of a channel queue: loads the delivery (done already → nothing to do), makes
 * one attempt, and records it: delivered → `sent`; refused → fall back now; unavailable →
 * `retrying` (attempts counted) and a TransientError so the bus retries with back-off, or, on
 * the queue's last attempt, fall back. Each change is one transaction with its audit entries.
 */
export async function runChannelJob(dataSource: DataSource, job: BusMessage, ctx: DeliveryContext, worker: ChannelWorker): Promise<void> {
  const ref = readJob(job.payload, 'deliveryId', worker.queue);
  let id: number;
  try {
    id = parseDeliveryRef(ref);
  } catch (e) {
    throw new PermanentError(e instanceof GatewayError ? e.message : String(e), { code: 'delivery.bad-job' });
  }
  const loaded = await transaction(dataSource, async (m) => {
    const d = await m.findOneBy(DeliveryEntity, { id });
    if (d === null) return null;
    const message = await m.findOneOrFail(MessageEntity, { where: { id: d.messageId }, select: { id: true, type: true, format: true, bytes: true, hash: true } });
    const institution = await m.findOneBy(InstitutionEntity, { code: d.recipientCode });
    return { d, message, channel: deliveryChannels(institution).find((c) => c.kind === worker.channel) };
  });
  if (loaded === null) throw new PermanentError(`${worker.queue}: no delivery ${ref}`, { code: 'delivery.unknown-delivery' });
  if (!OPEN.includes(loaded.d.status) || loaded.d.channel !== worker.channel) return;
  const outcome = await worker.send(loaded.d, loaded.message, loaded.channel);
  if (outcome.kind === 'delivered') {
    await settle(dataSource, id, ctx, async (m, d, now) => {
      await m.update(DeliveryEntity, { id }, { status: 'sent', sentAt: now, statusSince: now, attempts: d.attempts + 1, lastErrorCode: null });
      return [{ kind: 'delivery', actor: 'mmgw', subject: d.messageId, details: { event: 'sent', deliveryId: ref, recipient: d.recipientCode, channel: d.channel, attempt: job.attempt, detail: outcome.detail } }];
    });
    return;
  }
  if (outcome.kind === 'refused' || job.attempt >= worker.maxAttempts) {
    const refused = outcome.kind === 'refused';
    await giveUp(dataSource, id, ctx, refused ? outcome.code : worker.exhaustedCode, outcome.detail, !refused || outcome.attempted !== false);
    return;
  }
  await settle(dataSource, id, ctx, async (m, d, now) => {
    await m.update(DeliveryEntity, { id }, { status: 'retrying', attempts: d.attempts + 1, lastErrorCode: outcome.code, statusSince: d.status === 'retrying' ? d.statusSince : now });
    return [{ kind: 'delivery', actor: 'mmgw', subject: d.messageId, details: { event: 'retrying', deliveryId: ref, recipient: d.recipientCode, channel: d.channel, attempt: job.attempt, code: outcome.code, detail: outcome.detail } }];
  });
  throw new TransientError(`${ref}: ${outcome.detail}`, { code: outcome.code });
}
