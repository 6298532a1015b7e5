import { performance } from 'node:perf_hooks';
import { In, LessThanOrEqual, MoreThan, type DataSource } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { appendAuditEntries } from '../audit/append';
import { DeliveryEntity, type DeliveryStatus } from '../store/entities/delivery';
import { isSqlite } from '../store/dialect';
import { MessageEntity } from '../store/entities/message';
import { transaction } from '../store/transaction';
import { deliveryRef } from './delivery-id';
import type { DeliveryContext } from './options';

/** The defaults of a mailbox read, written once. */
export const MAILBOX_DEFAULTS = { limit: 100, maxLimit: 1000, maxWaitMs: 120_000 } as const;

/** One document in a recipient's mailbox. */
export interface MailboxItem {
  /** The delivery id to name in the Acknowledgement. */
  readonly deliveryId: string;
  readonly messageId: string;
  readonly type: string;
  readonly from: string;
  readonly role: 'to' | 'cc';
  /** `xml` or `json`. */
  readonly format: 'xml' | 'json';
  /** The signed document exactly as the sender's bytes were accepted. */
  readonly bytes: Buffer;
  /** SHA-256 of `bytes`. */
  readonly hash: string;
  readonly acceptedAt: Date;
  /** The delivery's status after this read (`sent` at least: it has been fetched). */
  readonly status: DeliveryStatus;
}

/** A page of a mailbox. */
export interface MailboxPage {
  readonly items: readonly MailboxItem[];
  /** Pass as `after` to get the next page; equal to the given cursor when the page is empty. */
  readonly cursor: string;
}

/** Options of a mailbox read. */
export interface MailboxQuery {
  /** The cursor of the previous page; absent: from the beginning. */
  readonly after?: string;
  /** @defaultValue 100 (at most 1000) */
  readonly limit?: number;
  /** Long poll: when the page would be empty, wait up to this long (ms) for a delivery. @defaultValue 0 */
  readonly waitMs?: number;
  /** Ends a long poll at once with an empty page, nothing marked (the client went away, the server drains). */
  readonly signal?: AbortSignal;
}

function checkQuery(q: MailboxQuery): { after: number; limit: number; waitMs: number } {
  const after = q.after === undefined || q.after === '' ? 0 : /^\d{1,18}$/.test(q.after) ? Number(q.after) : NaN;
  if (Number.isNaN(after)) throw new GatewayError('delivery.bad-cursor', `mailbox cursor "${q.after}" is not one this gateway handed out (digits only)`, { path: 'after' });
  const limit = q.limit ?? MAILBOX_DEFAULTS.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAILBOX_DEFAULTS.maxLimit) throw new GatewayError('delivery.bad-limit', `mailbox limit must be an integer from 1 to ${MAILBOX_DEFAULTS.maxLimit}, got ${String(limit)}`, { path: 'limit' });
  const waitMs = q.waitMs ?? 0;
  if (!Number.isInteger(waitMs) || waitMs < 0 || waitMs > MAILBOX_DEFAULTS.maxWaitMs) throw new GatewayError('delivery.bad-wait', `mailbox wait must be an integer from 0 to ${MAILBOX_DEFAULTS.maxWaitMs} ms, got ${String(waitMs)}`, { path: 'wait' });
  return { after, limit, waitMs };
}

async function readPage(dataSource: DataSource, recipient: string, after: number, limit: number, ctx: DeliveryContext): Promise<MailboxPage> {
  const now = ctx.clock.now();
  return transaction(dataSource, async (m) => {
    // Locked (MySQL), so two readers of one mailbox at once mark and audit each delivery once;
    // READ COMMITTED: only the rows read are locked, no gaps, so routing goes on inserting.
    const lock = isSqlite(m) ? {} : { lock: { mode: 'pessimistic_write' as const } };
    // Ids are handed out when a row is inserted, not when it commits: a routing batch can commit
    // after a later id's batch did (two batches in flight, two gateway processes), behind a cursor
    // that has passed it. Such a delivery has never been fetched (still `queued`), so it is read
    // again whatever the cursor — nothing a recipient pages through is skipped.
    const behind = after === 0 ? [] : await m.find(DeliveryEntity, {
      where: { recipientCode: recipient, channel: 'mailbox', status: 'queued', id: LessThanOrEqual(after) }, order: { id: 'ASC' }, take: limit, ...lock,
    });
    const ahead = behind.length >= limit ? [] : await m.find(DeliveryEntity, {
      where: { recipientCode: recipient, channel: 'mailbox', id: MoreThan(after) }, order: { id: 'ASC' }, take: limit - behind.length, ...lock,
    });
    const deliveries = [...behind, ...ahead];
    if (deliveries.length === 0) return { items: [], cursor: String(after) };
    const messages = await m.findBy(MessageEntity, { id: In([...new Set(deliveries.map((d) => d.messageId))]) });
    const fresh = deliveries.filter((d) => d.status === 'queued');
    if (fresh.length > 0) {
      await m.update(DeliveryEntity, { id: In(fresh.map((d) => d.id)), status: 'queued' }, { status: 'sent', sentAt: now, statusSince: now });
      await appendAuditEntries(m, fresh.map((d) => ({
        kind: 'delivery', actor: 'mmgw', subject: d.messageId, details: { event: 'sent', deliveryId: deliveryRef(d.id), recipient: recipient, channel: 'mailbox' },
      })), now);
    }
    const items = deliveries.map((d): MailboxItem => {
      const msg = messages.find((x) => x.id === d.messageId)!;
      return {
        deliveryId: deliveryRef(d.id), messageId: d.messageId, type: msg.type, from: msg.fromCode, role: d.role, format: msg.format,
        bytes: msg.bytes, hash: msg.hash, acceptedAt: msg.acceptedAt, status: d.status === 'queued' ? 'sent' : d.status,
      };
    });
    return { items, cursor: String(ahead.length > 0 ? ahead[ahead.length - 1]!.id : after) };
  }, { isolation: 'READ COMMITTED' });
}

/**
 * The recipient's mailbox (the pull channel): its mailbox deliveries after the cursor, oldest
 * first, at most `limit`, whatever their status (the cursor, not the status, says what was
 * seen: acknowledging is a separate, signed step) — first any never fetched that the cursor has
 * passed (committed after a later delivery had), so none is skipped. The first fetch marks a delivery `sent`
 * (with an audit entry). With `waitMs`, an empty page waits for the routing worker's
 * notification (no polling) and looks once more, once woken or at the deadline.
 */
export async function listMailbox(dataSource: DataSource, recipient: string, query: MailboxQuery, ctx: DeliveryContext): Promise<MailboxPage> {
  const { after, limit, waitMs } = checkQuery(query);
  if (waitMs === 0) return readPage(dataSource, recipient, after, limit, ctx);
  // A timer, not a rule: the monotonic clock bounds the wait.
  const deadline = performance.now() + waitMs;
  for (;;) {
    // Listen before looking, so a delivery committed in between still wakes us.
    const wait = ctx.notifier.wait(recipient, Math.max(0, deadline - performance.now()));
    const page = await readPage(dataSource, recipient, after, limit, ctx);
    if (page.items.length > 0 || query.signal?.aborted) {
      wait.cancel();
      return page;
    }
    const abort = (): void => wait.cancel();
    query.signal?.addEventListener('abort', abort, { once: true });
    const woken = await wait.woken;
    query.signal?.removeEventListener('abort', abort);
    if (query.signal?.aborted) return { items: [], cursor: String(after) };
    // Timed out: one last look (a delivery routed by another gateway process wakes nobody here).
    if (!woken || performance.now() >= deadline) return readPage(dataSource, recipient, after, limit, ctx);
  }
}
