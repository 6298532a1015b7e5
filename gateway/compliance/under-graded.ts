import type { EntityManager } from 'typeorm';
import { decode } from '../../contracts/codec';
import { isEventLevel } from '../../contracts/obligations/event-levels';
import { detectUnderGrading } from '../grading';
import { MessageEntity } from '../store/entities/message';
import type { Period } from './period';

/** An IncidentReport whose stated level is lower than its own figures require (Art. 8, Art. 19). */
export interface UnderGradedReport {
  readonly messageId: string;
  readonly unit: string;
  readonly reported: string;
  readonly required: string;
  readonly acceptedAt: string;
}

/** What the under-grading check found among a period's IncidentReports. */
export interface UnderGradingScan {
  readonly underGraded: UnderGradedReport[];
  /** IncidentReports checked, per unit. */
  readonly checked: Map<string, number>;
  /** IncidentReports whose content was purged (Art. 12) or unreadable, so not checked, per unit. */
  readonly unchecked: Map<string, number>;
}

const bump = (m: Map<string, number>, unit: string): void => {
  m.set(unit, (m.get(unit) ?? 0) + 1);
};

/**
 * Re-grades every IncidentReport accepted in the period from its stored bytes: its figures
 * (lossYuan, infectedNumbers24h) graded by the thresholds in force at its discoveredAt, against
 * the level it states. Reports whose content was purged are counted as unchecked.
 */
export async function scanUnderGrading(manager: EntityManager, period: Period, unit?: string): Promise<UnderGradingScan> {
  const qb = manager.createQueryBuilder(MessageEntity, 'm')
    .where('m.type = :type', { type: 'IncidentReport' })
    .andWhere('m.acceptedAt >= :start AND m.acceptedAt < :end', { start: period.start, end: period.end })
    .orderBy('m.acceptedAt', 'ASC');
  if (unit !== undefined) qb.andWhere('m.fromCode = :unit', { unit });
  const scan: UnderGradingScan = { underGraded: [], checked: new Map(), unchecked: new Map() };
  for (const row of await qb.getMany()) {
    const body = row.bytes.length === 0 ? undefined : (decode(row.bytes).document?.body as Record<string, unknown> | undefined);
    const level = body?.level;
    const discovered = new Date(String(body?.discoveredAt ?? ''));
    if (body === undefined || typeof level !== 'string' || !isEventLevel(level) || body.lossYuan === undefined || body.infectedNumbers24h === undefined || Number.isNaN(discovered.getTime())) {
      bump(scan.unchecked, row.fromCode);
      continue;
    }
    try {
      const found = detectUnderGrading(level, { lossYuan: body.lossYuan as number | string, infected24h: body.infectedNumbers24h as number | string }, discovered);
      bump(scan.checked, row.fromCode);
      if (found.underGraded) scan.underGraded.push({ messageId: row.id, unit: row.fromCode, reported: found.reported, required: found.required, acceptedAt: row.acceptedAt.toISOString() });
    } catch {
      bump(scan.unchecked, row.fromCode);
    }
  }
  return scan;
}
