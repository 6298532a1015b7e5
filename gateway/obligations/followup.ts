import { IsNull, type EntityManager } from 'typeorm';
import { OBLIGATIONS } from '../../contracts/obligations/obligation-table';
import { ObligationEntity, type ObligationRow } from './entities/obligation';
import type { AcceptedMessage } from './hooks';
import { isSqlite } from '../store/dialect';
import { closeObligation, findOpen } from './obligation-store';

/** The obligations (ids) a form meets, by the obligation table's `closedBy`. */
export function obligationsMetBy(form: string): string[] {
  return OBLIGATIONS.filter((o) => (o.closedBy as readonly string[]).includes(form)).map((o) => o.id);
}

/** The open written-followup obligations (Art. 15) that the signed form `type` of `party` answers, in the case or outside any case. */
export async function openFollowups(manager: EntityManager, party: string, type: string, caseKey: string | null): Promise<ObligationRow[]> {
  const rows = await findOpen(manager, { obligation: 'written-followup', party, subject: type });
  const inCase = rows.filter((r) => caseKey !== null && r.caseKey === caseKey);
  return inCase.length ? inCase : rows.filter((r) => r.caseKey === null);
}

/**
 * The phone call or unsigned mail (Art. 15) that first reported the event a signed report of
 * `party` (form `type`, outside any case) now reports in writing: its written-followup still
 * open, or met by a registered paper original (`paper:…`), made once the event was discovered
 * and before the report arrived — the earliest. The report's own clock is met at that call: a
 * unit that phoned in time and sent paper is not late because its electronic copy came later,
 * and a call from before the event was discovered does not answer for it.
 */
export async function earlierNoticeOf(manager: EntityManager, party: string, type: string, discoveredAt: Date, receivedAt: Date): Promise<ObligationRow | undefined> {
  const rows = await manager.find(ObligationEntity, { where: { obligation: 'written-followup', party, subject: type, caseKey: IsNull() }, order: { start: 'ASC', id: 'ASC' } });
  return rows.find((o) => (o.state === 'open' || (o.closedBy ?? '').startsWith('paper:'))
    && o.start.getTime() >= discoveredAt.getTime() && o.start.getTime() < receivedAt.getTime());
}

/**
 * The signed written form of a notice first given by phone or e-mail (Art. 15): closes the
 * written-followup obligations it answers (met, or met-late past their default 1 wd), and
 * confirms the obligations the EmergencyNotice met provisionally (closed by it, provisional
 * cleared, the meeting time kept: the phone call).
 */
export async function closeFollowups(manager: EntityManager, accepted: AcceptedMessage, caseKey: string | null): Promise<void> {
  for (const found of await openFollowups(manager, accepted.from, accepted.type, caseKey)) {
    // Read again by primary key, locked on MySQL (the latest committed row, not this transaction's
    // snapshot): a paper original registered meanwhile (registerPaperOriginal) closed it already.
    const qb = manager.createQueryBuilder(ObligationEntity, 'o').where('o.id = :id', { id: found.id });
    const followup = await (isSqlite(manager) ? qb : qb.setLock('pessimistic_write')).getOne();
    if (followup === null || followup.state !== 'open') continue;
    await closeObligation(manager, followup, accepted.id, accepted.receivedAt);
    if (followup.openedBy === null) continue;
    const provisional = await manager.find(ObligationEntity, { where: { party: accepted.from, closedBy: followup.openedBy, provisional: true } });
    for (const o of provisional) await manager.update(ObligationEntity, { id: o.id }, { provisional: false, closedBy: accepted.id });
  }
}

/** Open obligations of `party` in the case (or outside any case) that `form` meets. */
export async function openObligationsMetBy(manager: EntityManager, party: string, form: string, caseKey: string | null): Promise<ObligationRow[]> {
  const ids = obligationsMetBy(form).filter((id) => id !== 'written-followup');
  return manager.find(ObligationEntity, { where: ids.map((obligation) => ({ obligation, party, state: 'open' as const, caseKey: caseKey ?? IsNull() })), order: { id: 'ASC' } });
}

/**
 * The one open obligation a notice given by phone or e-mail answers (Art. 15: a call reports
 * one matter, then its written form follows): of those `form` meets for `party` in the case (or
 * outside any case) whose clock had started by the call (`at`), the one due first — not all of
 * them, so one call cannot provisionally meet every clock of a unit at once. None when nothing is open.
 */
export async function openObligationMetByNotice(manager: EntityManager, party: string, form: string, caseKey: string | null, at: Date): Promise<ObligationRow[]> {
  // A unit's monthly level IV feedback (subject month:…) is a spreadsheet, not an Art. 15 written form (as standsForOf);
  // a clock that started after the call (a typed call time before the notice it would answer) was not answered by it.
  const open = (await openObligationsMetBy(manager, party, form, caseKey)).filter((o) => !(o.subject ?? '').startsWith('month:') && o.start.getTime() <= at.getTime());
  const due = (o: ObligationRow) => o.due?.getTime() ?? Number.POSITIVE_INFINITY;
  const first = [...open].sort((a, b) => due(a) - due(b) || a.id - b.id)[0];
  return first === undefined ? [] : [first];
}
