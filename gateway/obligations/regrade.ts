import type { EntityManager } from 'typeorm';
import { isEventLevel, levelRank, type EventLevel } from '../../contracts/obligations/event-levels';
import { isObligationId } from '../../contracts/obligations/obligation-table';
import { appendAudit } from '../audit/append';
import { needsLevel } from '../deadlines/resolve-rule';
import { gradeEvent } from '../grading/grade';
import { writeOutbox } from '../store/outbox';
import { DeliveryEntity } from '../store/entities/delivery';
import { MessageEntity } from '../store/entities/message';
import { CaseEntity, CaseMessageEntity, type CaseRow } from './entities/case';
import { ObligationEntity, type LevelChange } from './entities/obligation';
import type { Fields } from './body-fields';
import { levelField } from './body-fields';
import type { AcceptedMessage } from './hooks';
import { dueFor, nextAlertAfter, openObligation } from './obligation-store';
import type { ObligationContext } from './options';

/**
 * The level a message of a case calls for: the more serious of the level it states and the
 * level its own figures (lossYuan, infectedNumbers24h) require by Art. 8 at `discoveredAt`.
 */
export function levelCalledFor(type: string, fields: Fields, at: Date, ctx: ObligationContext): EventLevel | undefined {
  const stated = levelField(type, fields);
  const loss = fields.lossYuan;
  const infected = fields.infectedNumbers24h;
  if (loss === undefined || infected === undefined) return stated;
  const graded = gradeEvent({ lossYuan: loss as number | string, infected24h: infected as number | string }, at, ctx.thresholds).level;
  return stated === undefined || levelRank(graded) > levelRank(stated) ? graded : stated;
}

/**
 * A level IV case's units report their disposal monthly; re-graded above IV, each unit that has
 * acknowledged the case's IncidentNotice owes a per-case disposal-feedback from the re-grading time.
 */
async function openCaseFeedback(manager: EntityManager, ctx: ObligationContext, c: CaseRow, level: EventLevel, at: Date, now: Date): Promise<Array<Regrading['retimed'][number]>> {
  const notices = await manager.findBy(CaseMessageEntity, { caseKey: c.key, type: 'IncidentNotice' });
  const opened: Array<Regrading['retimed'][number]> = [];
  for (const notice of notices) {
    const message = await manager.findOne(MessageEntity, { where: { id: notice.messageId }, select: { id: true, toCodes: true } });
    const acknowledged = await manager.findBy(DeliveryEntity, { messageId: notice.messageId, status: 'acknowledged' });
    for (const unit of new Set(acknowledged.map((d) => d.recipientCode))) {
      if (/^(miit|cncert|ca-\d+)$/.test(unit) || (message && !message.toCodes.includes(unit))) continue;
      const o = await openObligation(manager, ctx, { obligation: 'disposal-feedback', party: unit, counterparty: 'cncert', caseKey: c.key, subject: notice.messageId, level, openedBy: notice.messageId, start: at }, now);
      opened.push({ id: o.id, obligation: o.obligation, party: o.party, previousDue: null, due: o.due?.toISOString() ?? null });
    }
  }
  return opened;
}

/** What a re-grading changed. */
export interface Regrading {
  readonly caseKey: string;
  readonly from: string | null;
  readonly to: EventLevel;
  readonly retimed: ReadonlyArray<{ id: number; obligation: string; party: string; previousDue: string | null; due: string | null }>;
}

/**
 * Re-grades a case upward (Art. 8) when `level` is more serious than its current level: every
 * open obligation of the case whose deadline depends on the level is re-timed from the
 * re-grading time `at` (its clock restarts then, rules.md "Event levels"); the change goes into
 * the case's and each obligation's level history, an audit entry (kind `regrade`) and an
 * outbox row `case.regraded` for the parties. Returns undefined when nothing changes (same or
 * lower level: a case is never downgraded by a later message).
 */
export async function regradeCase(manager: EntityManager, ctx: ObligationContext, c: CaseRow, level: EventLevel, accepted: AcceptedMessage, at: Date, now: Date): Promise<Regrading | undefined> {
  if (c.level !== null && isEventLevel(c.level) && levelRank(level) <= levelRank(c.level)) return undefined;
  const open = await manager.find(ObligationEntity, { where: { caseKey: c.key, state: 'open' }, order: { id: 'ASC' } });
  const retimed: Array<Regrading['retimed'][number]> = [];
  for (const o of open) {
    if (!isObligationId(o.obligation) || !needsLevel(o.obligation)) continue;
    const due = await dueFor(manager, ctx, o.obligation, at, level);
    const change: LevelChange = { from: o.level, to: level, at: at.toISOString(), previousDue: o.due?.toISOString() ?? null, messageId: accepted.id };
    await manager.update(ObligationEntity, { id: o.id }, {
      level, start: at, due: due.due, dueProvisional: due.provisional, specialPeriod: due.specialPeriod ?? null,
      levelHistory: [...o.levelHistory, change], nextAlertAt: nextAlertAfter(at, due.due, ctx.reminderFractions, null),
    });
    retimed.push({ id: o.id, obligation: o.obligation, party: o.party, previousDue: change.previousDue, due: due.due?.toISOString() ?? null });
  }
  if ((c.level === 'IV' || c.level === null) && level !== 'IV') retimed.push(...(await openCaseFeedback(manager, ctx, c, level, at, now)));
  const history = [...c.levelHistory, { from: c.level, to: level, at: at.toISOString(), messageId: accepted.id }];
  await manager.update(CaseEntity, { key: c.key }, { level, levelHistory: history, updatedAt: now });
  const regrading: Regrading = { caseKey: c.key, from: c.level, to: level, retimed };
  const payload = { caseKey: c.key, taskNumber: c.taskNumber, from: c.level, to: level, at: at.toISOString(), messageId: accepted.id, parties: c.parties, retimed };
  await writeOutbox(manager, [{ topic: 'case.regraded', messageId: `case.regraded:${c.key}:${level}`, payload: Buffer.from(JSON.stringify(payload)) }], now);
  await appendAudit(manager, { kind: 'regrade', actor: 'mmgw', subject: c.taskNumber ?? c.key, details: { from: c.level, to: level, messageId: accepted.id, retimed: retimed.length } }, now);
  return regrading;
}
