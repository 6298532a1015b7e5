import type { EntityManager } from 'typeorm';
import type { AcknowledgedDelivery } from './hooks';
import { openObligation } from './obligation-store';
import type { ObligationContext } from './options';
import { clocksFromReceipt } from './receipt-clocks';

/**
 * Opens the clocks that run from a recipient's acknowledgement ("received by that unit"), as
 * clocksFromReceipt declares them: `disposal-feedback` for each disposing unit an IncidentNotice
 * is addressed to, `domain-disposal` for each dr-/rr- a DomainDisposalRequest is addressed to.
 * Other acknowledgements change nothing.
 */
export async function handleDeliveryAcknowledged(manager: EntityManager, ctx: ObligationContext, ack: AcknowledgedDelivery, now: Date): Promise<void> {
  for (const r of await clocksFromReceipt(manager, ack.messageId, ack.recipientCode, ack.acknowledgedAt)) await openObligation(manager, ctx, r, now);
}
