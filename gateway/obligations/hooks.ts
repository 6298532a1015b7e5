import type { EntityManager } from 'typeorm';
import { handleAcceptedMessage, handleAcceptedMessages } from './on-message-accepted';
import { handleDeliveryAcknowledged } from './on-delivery-acknowledged';
import { obligationContext, type ObligationOptions } from './options';
import { wouldBeClocks, type WouldBeClock } from './receipt-clocks';

/** A message the gateway has accepted, as intake hands it to the obligations hooks (seam 3). */
export interface AcceptedMessage {
  /** The message id. */
  readonly id: string;
  /** The form type, e.g. `IncidentReport`. */
  readonly type: string;
  /** The sender's institution code. */
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly sentAt: Date;
  /** The envelope's task number, when it carries one. */
  readonly taskNumber: string | null;
  readonly inReplyTo: string | null;
  /** The validated, normalised body object. */
  readonly body: unknown;
  /** The gateway's accept time. */
  readonly receivedAt: Date;
}

/** An accepted message with the accept time of its transaction (the hook's `now`). */
export interface AcceptedAt {
  readonly accepted: AcceptedMessage;
  readonly now: Date;
}

/** What deliveries hands the obligations hooks when a recipient acknowledges a delivery (seam 2). */
export interface AcknowledgedDelivery {
  readonly messageId: string;
  /** The public delivery id (`dlv-…`). */
  readonly deliveryId: string;
  readonly recipientCode: string;
  /** The "received" time later clocks run from. */
  readonly acknowledgedAt: Date;
}

/**
 * The obligations hooks, called INSIDE the caller's transaction (they never open their own).
 * A hook that throws (a GatewayError) makes the caller roll back and reject the message.
 */
export interface CoreHooks {
  /** Opens and closes the obligations an accepted message starts or meets. */
  onMessageAccepted(manager: EntityManager, accepted: AcceptedMessage, now: Date): Promise<void>;
  /**
   * The same for the messages one accept transaction commits together, in arrival order, with
   * the same end state as onMessageAccepted one by one (fewer statements). Optional: intake
   * calls onMessageAccepted per message when absent.
   */
  onMessagesAccepted?(manager: EntityManager, batch: readonly AcceptedAt[]): Promise<void>;
  /** Opens the obligations that run from a recipient's acknowledgement (disposal-feedback). */
  onDeliveryAcknowledged(manager: EntityManager, ack: AcknowledgedDelivery, now: Date): Promise<void>;
  /**
   * The clocks that would run had the recipient received the message at `receivedAt` (none when
   * absent): the deadline-aware fall-back takes its share of them before any acknowledgement.
   */
  clocksIfReceived?(manager: EntityManager, delivery: { readonly messageId: string; readonly recipientCode: string; readonly receivedAt: Date }): Promise<WouldBeClock[]>;
}

/** Hooks that do nothing: the default until the obligations module is wired in (no onMessagesAccepted, so that a caller's own onMessageAccepted is not bypassed). */
export const noHooks: CoreHooks = {
  onMessageAccepted: async () => undefined,
  onDeliveryAcknowledged: async () => undefined,
};

/**
 * The batch form `batch` of the per-message hook `perMessage`, as a method of the hooks object it
 * is called on (intake calls `hooks.onMessagesAccepted(…)`): while that object's onMessageAccepted
 * is still `perMessage`, `batch` runs; when a caller replaced it (`{ ...obligationHooks(),
 * onMessageAccepted: mine }`), the batch form no longer stands for it, so the replacing hook runs
 * per message instead of being skipped. Called unbound (or bound to its own object), `batch` runs.
 */
export function batchFor(perMessage: CoreHooks['onMessageAccepted'], batch: NonNullable<CoreHooks['onMessagesAccepted']>): NonNullable<CoreHooks['onMessagesAccepted']> {
  return async function onMessagesAccepted(this: Partial<CoreHooks> | undefined, manager: EntityManager, items: readonly AcceptedAt[]): Promise<void> {
    const current = this?.onMessageAccepted;
    if (current === undefined || current === perMessage) return batch(manager, items);
    for (const { accepted, now } of items) await current.call(this, manager, accepted, now);
  };
}

/**
 * The real obligations hooks (issue 6): pass them to intake and deliveries. Options: the
 * working-day calendar, the configured default deadlines, the Art. 8 thresholds, the reminder
 * fractions (checked here, `obligation.bad-fractions`).
 */
export function obligationHooks(options: ObligationOptions = {}): CoreHooks {
  const ctx = obligationContext(options);
  const onMessageAccepted: CoreHooks['onMessageAccepted'] = (manager, accepted, now) => handleAcceptedMessage(manager, ctx, accepted, now);
  return {
    onMessageAccepted,
    onMessagesAccepted: batchFor(onMessageAccepted, (manager, batch) => handleAcceptedMessages(manager, ctx, batch)),
    onDeliveryAcknowledged: (manager, ack, now) => handleDeliveryAcknowledged(manager, ctx, ack, now),
    clocksIfReceived: (manager, d) => wouldBeClocks(manager, ctx, d.messageId, d.recipientCode, d.receivedAt),
  };
}
