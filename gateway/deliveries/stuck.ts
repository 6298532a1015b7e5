import { LessThan, type DataSource } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { DeliveryEntity, DELIVERY_STATUSES, type DeliveryStatus } from '../store/entities/delivery';
import { transaction } from '../store/transaction';
import type { ChannelKind } from './channels';
import { deliveryRef } from './delivery-id';

/** How long a delivery may stay in a status before it counts as stuck (ms); statuses left out are never stuck. */
export type StuckThresholds = Partial<Record<DeliveryStatus, number>>;

const MINUTE = 60_000;

/**
 * The default thresholds, written once: queued 15 min (a worker should have taken it), sent 24 h
 * (no acknowledgement yet), retrying 1 h (the push back-off runs out sooner), failed at once (no
 * channel was left: an operator must act). Acknowledged, fell-back and superseded are final.
 */
export const DEFAULT_STUCK_THRESHOLDS: Readonly<StuckThresholds> = { queued: 15 * MINUTE, sent: 24 * 60 * MINUTE, retrying: 60 * MINUTE, failed: 0 };

/** A delivery stuck in its status. */
export interface StuckDelivery {
  readonly deliveryId: string;
  readonly messageId: string;
  readonly recipientCode: string;
  readonly channel: ChannelKind;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastErrorCode: string | null;
  /** When it entered the status. */
  readonly since: Date;
  /** How long it has been in it at `now` (ms). */
  readonly ageMs: number;
}

function checkThresholds(olderThan: StuckThresholds): [DeliveryStatus, number][] {
  const problems: string[] = [];
  for (const [status, ms] of Object.entries(olderThan)) {
    if (!(DELIVERY_STATUSES as readonly string[]).includes(status)) problems.push(`${status}: not a delivery status (${DELIVERY_STATUSES.join(', ')})`);
    else if (!Number.isSafeInteger(ms) || (ms as number) < 0) problems.push(`${status}: must be a non-negative integer number of milliseconds, got ${String(ms)}`);
  }
  if (problems.length > 0) throw new GatewayError('delivery.bad-threshold', `stuck-delivery thresholds: ${problems.join('; ')}`, { problems });
  return Object.entries(olderThan) as [DeliveryStatus, number][];
}

/**
 * The stuck-delivery detector: deliveries that have been in a status longer than its
 * threshold at `now` (status_since older than now − threshold), oldest first, at most `limit`.
 * Read-only; thresholds for unknown statuses or negative times are refused (`delivery.bad-threshold`).
 */
export async function findStuckDeliveries(dataSource: DataSource, options: { olderThan?: StuckThresholds; limit?: number }, now: Date): Promise<StuckDelivery[]> {
  const thresholds = checkThresholds(options.olderThan ?? DEFAULT_STUCK_THRESHOLDS);
  const limit = options.limit ?? 1000;
  if (thresholds.length === 0) return [];
  const rows = await transaction(dataSource, (m) => m.find(DeliveryEntity, {
    where: thresholds.map(([status, ms]) => ({ status, statusSince: LessThan(new Date(now.getTime() - ms)) })),
    order: { statusSince: 'ASC', id: 'ASC' },
    take: limit,
  }));
  return rows.map((d) => ({
    deliveryId: deliveryRef(d.id), messageId: d.messageId, recipientCode: d.recipientCode, channel: d.channel, status: d.status,
    attempts: d.attempts, lastErrorCode: d.lastErrorCode, since: d.statusSince, ageMs: now.getTime() - d.statusSince.getTime(),
  }));
}
