import type { EntityManager } from 'typeorm';
import type { Clock } from '../clock/clock';
import type { Registry } from '../registry/registry';
import { systemClock } from '../clock/system-clock';
import { MailboxNotifier } from './notifier';

/** What the obligations module learns when a recipient acknowledges a delivery (seam 2). */
export interface DeliveryAcknowledged {
  readonly messageId: string;
  /** The public delivery id (`dlv-…`). */
  readonly deliveryId: string;
  readonly recipientCode: string;
  /** The "received" time later clocks run from. */
  readonly acknowledgedAt: Date;
}

/**
 * The obligations hook deliveries call (seam 3), inside the acknowledging transaction. It is
 * the `onDeliveryAcknowledged` of `CoreHooks` (gateway/obligations/hooks.ts): pass those hooks.
 */
export interface DeliveryHooks {
  onDeliveryAcknowledged(manager: EntityManager, ack: DeliveryAcknowledged, now: Date): Promise<void>;
  /**
   * The clocks that would run had the recipient received the message at `receivedAt` (e.g. an
   * IncidentNotice's disposal-feedback, which opens only on acknowledgement): the
   * deadline-aware fall-back takes its share of them. It is the `clocksIfReceived` of `CoreHooks`.
   */
  clocksIfReceived(manager: EntityManager, delivery: { readonly messageId: string; readonly recipientCode: string; readonly receivedAt: Date }): Promise<ReadonlyArray<{ readonly obligation: string; readonly start: Date; readonly due: Date }>>;
}

/** What every part of the delivery stage is given. */
export interface DeliveryOptions {
  /** @defaultValue systemClock */
  readonly clock?: Clock;
  /** The obligations hooks; missing ones do nothing. */
  readonly hooks?: Partial<DeliveryHooks>;
  /** Wakes mailbox long-polls; share ONE between the routing worker and the mailbox readers. */
  readonly notifier?: MailboxNotifier;
  /**
   * Where the routing worker reads the recipients' channels: a cached Registry (one query per
   * its TTL; a change of an institution's channels reaches routing within that time, or at once
   * after `invalidate()`). Absent: read from the store in each routing transaction.
   */
  readonly registry?: Registry;
}

/** DeliveryOptions with the defaults filled in. */
export interface DeliveryContext {
  readonly clock: Clock;
  readonly hooks: DeliveryHooks;
  readonly notifier: MailboxNotifier;
  readonly registry?: Registry;
}

const noHook: DeliveryHooks['onDeliveryAcknowledged'] = async () => undefined;
const noClocks: DeliveryHooks['clocksIfReceived'] = async () => [];

/** Fills in the defaults of DeliveryOptions. */
export function deliveryContext(options: DeliveryOptions = {}): DeliveryContext {
  return {
    clock: options.clock ?? systemClock,
    hooks: { onDeliveryAcknowledged: options.hooks?.onDeliveryAcknowledged ?? noHook, clocksIfReceived: options.hooks?.clocksIfReceived ?? noClocks },
    notifier: options.notifier ?? new MailboxNotifier(),
    ...(options.registry ? { registry: options.registry } : {}),
  };
}
