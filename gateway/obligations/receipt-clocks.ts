import { In, type EntityManager } from 'typeorm';
import type { EventLevel } from '../../contracts/obligations/event-levels';
import type { ObligationId } from '../../contracts/obligations/obligation-table';
import { MessageEntity } from '../store/entities/message';
import { beijingMonth } from './body-fields';
import { caseOfMessage } from './cases';
import { monthSubject } from './month-subject';
import { CaseMessageEntity } from './entities/case';
import { ObligationEntity } from './entities/obligation';
import { dueFor, obligationKey, type OpenRequest } from './obligation-store';
import type { ObligationContext } from './options';

const SUPERVISORS = /^(miit|cncert|ca-\d+)$/;

/** The forms whose receipt by a recipient starts a clock of that recipient (Art. 11(2)–(4)). */
export const RECEIPT_CLOCK_FORMS: readonly string[] = ['IncidentNotice', 'DomainDisposalRequest'];

/** The forms that meet each clock that runs from a receipt: once the recipient sent one in the case, there is nothing left to hurry. */
const MET_BY: Readonly<Partial<Record<ObligationId, readonly string[]>>> = {
  'disposal-feedback': ['DisposalFeedback', 'MonthlyDisposalFeedback'],
  'domain-disposal': ['DomainDisposalFeedback'],
};

/**
 * The clocks that run from `recipientCode` receiving message `messageId` at `receivedAt`
 * ("received by that unit"): `disposal-feedback` for each disposing unit an IncidentNotice is
 * addressed to (`to`, not `cc`; level IV: the unit's monthly feedback for the month of receipt),
 * and `domain-disposal` for each dr-/rr- a DomainDisposalRequest is addressed to. The level is
 * the case's current one (after any re-grading). The ONE place this rule lives: the
 * acknowledgement opens these (on-delivery-acknowledged.ts), the deadline-aware fall-back
 * computes them before any acknowledgement (wouldBeClocks).
 */
export async function clocksFromReceipt(manager: EntityManager, messageId: string, recipientCode: string, receivedAt: Date): Promise<OpenRequest[]> {
  const found = await caseOfMessage(manager, messageId);
  if (!found) return [];
  const { case: c, message } = found;
  const stored = await manager.findOne(MessageEntity, { where: { id: messageId }, select: { id: true, toCodes: true } });
  const addressed = stored ? stored.toCodes.includes(recipientCode) : !SUPERVISORS.test(recipientCode);
  if (!addressed) return [];
  const level = (c.level ?? message.level) as EventLevel | null;
  const start = receivedAt;
  if (message.type === 'IncidentNotice' && !SUPERVISORS.test(recipientCode)) {
    if (level === 'IV') return [{ obligation: 'disposal-feedback', party: recipientCode, counterparty: 'cncert', subject: monthSubject(beijingMonth(start)), level, openedBy: messageId, start }];
    return [{ obligation: 'disposal-feedback', party: recipientCode, counterparty: 'cncert', caseKey: c.key, subject: messageId, level, openedBy: messageId, start }];
  }
  if (message.type === 'DomainDisposalRequest' && /^(dr|rr)-/.test(recipientCode)) {
    return [{ obligation: 'domain-disposal', party: recipientCode, counterparty: 'cncert', caseKey: c.key, subject: messageId, level: level ?? 'IV', openedBy: messageId, start }];
  }
  return [];
}

/** A clock that would run had the recipient received the message at a given time. */
export interface WouldBeClock {
  readonly obligation: ObligationId;
  /** Where the clock would start (the month end for a monthly rule, else the time of receipt). */
  readonly start: Date;
  readonly due: Date;
}

/**
 * The clocks that WOULD run had `recipientCode` received `messageId` at `receivedAt` (the
 * deadline-aware fall-back passes the time the delivery was queued): clocksFromReceipt with
 * their due instants, from the same deadline rules, calendar and stored Art. 16 periods as an
 * opened obligation. Left out: clocks without a deadline, clocks already opened (an obligation
 * row with the same key exists: it speaks for itself), and clocks the recipient has already met
 * in the case (it sent a DisposalFeedback without acknowledging the notice).
 */
export async function wouldBeClocks(manager: EntityManager, ctx: ObligationContext, messageId: string, recipientCode: string, receivedAt: Date): Promise<WouldBeClock[]> {
  const out: WouldBeClock[] = [];
  for (const r of await clocksFromReceipt(manager, messageId, recipientCode, receivedAt)) {
    if (await manager.existsBy(ObligationEntity, { key: obligationKey(r) })) continue;
    const metBy = MET_BY[r.obligation] ?? [];
    if (r.caseKey && metBy.length > 0 && (await manager.existsBy(CaseMessageEntity, { caseKey: r.caseKey, fromCode: recipientCode, type: In([...metBy]) }))) continue;
    const due = await dueFor(manager, ctx, r.obligation, r.start, r.level);
    if (due.due !== null) out.push({ obligation: r.obligation, start: due.clockStart, due: due.due });
  }
  return out;
}
