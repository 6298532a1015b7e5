import type { EntityManager } from 'typeorm';
import type { EventLevel } from '../../contracts/obligations/event-levels';
import { MessageEntity } from '../store/entities/message';
import { beijingMonth } from './body-fields';
import { caseOfMessage } from './cases';
import type { AcknowledgedDelivery } from './hooks';
import { openObligation } from './obligation-store';
import type { ObligationContext } from './options';

const SUPERVISORS = /^(miit|cncert|ca-\d+)$/;

/**
 * Opens the clocks that run from a recipient's acknowledgement ("received by that unit"):
 * `disposal-feedback` for each disposing unit an IncidentNotice is addressed to (`to`, not
 * `cc`; level IV: the unit's monthly feedback for the month of the acknowledgement), and
 * `domain-disposal` for each dr-/rr- a DomainDisposalRequest is addressed to. The level is the
 * case's current one (after any re-grading). Other acknowledgements change nothing.
 */
export async function handleDeliveryAcknowledged(manager: EntityManager, ctx: ObligationContext, ack: AcknowledgedDelivery, now: Date): Promise<void> {
  const found = await caseOfMessage(manager, ack.messageId);
  if (!found) return;
  const { case: c, message } = found;
  const stored = await manager.findOne(MessageEntity, { where: { id: ack.messageId }, select: { id: true, toCodes: true } });
  const addressed = stored ? stored.toCodes.includes(ack.recipientCode) : !SUPERVISORS.test(ack.recipientCode);
  if (!addressed) return;
  const level = (c.level ?? message.level) as EventLevel | null;
  const start = ack.acknowledgedAt;
  if (message.type === 'IncidentNotice' && !SUPERVISORS.test(ack.recipientCode)) {
    if (level === 'IV') {
      await openObligation(manager, ctx, { obligation: 'disposal-feedback', party: ack.recipientCode, counterparty: 'cncert', subject: `month:${beijingMonth(start)}`, level, openedBy: ack.messageId, start }, now);
    } else {
      await openObligation(manager, ctx, { obligation: 'disposal-feedback', party: ack.recipientCode, counterparty: 'cncert', caseKey: c.key, subject: ack.messageId, level, openedBy: ack.messageId, start }, now);
    }
  } else if (message.type === 'DomainDisposalRequest' && /^(dr|rr)-/.test(ack.recipientCode)) {
    await openObligation(manager, ctx, { obligation: 'domain-disposal', party: ack.recipientCode, counterparty: 'cncert', caseKey: c.key, subject: ack.messageId, level: level ?? 'IV', openedBy: ack.messageId, start }, now);
  }
}
