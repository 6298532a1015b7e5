import type { EntityManager } from 'typeorm';
import { decode } from '../../contracts/codec';
import { isEventLevel } from '../../contracts/obligations/event-levels';
import { detectUnderGrading, type UnderGrading } from '../grading';
import { MessageEntity } from '../store/entities/message';
import type { Period } from './period';

/** An IncidentReport whose stated level is lower than its own figures require (Art. 8, Art. 19). */
export interface UnderGradedReport {
  readonly messageId: string;
  /** The event's 序号 inside an IncidentReportBatch (level IV events reported together). */
  readonly seq?: number;
  readonly unit: string;
  readonly reported: string;
  readonly required: string;
  readonly acceptedAt: string;
}

/** What the under-grading check found among a period's IncidentReports. */
export interface UnderGradingScan {
  readonly underGraded: UnderGradedReport[];
  /** Reports (batch events counted one by one) checked, per unit. */
  readonly checked: Map<string, number>;
  /** IncidentReports whose content was purged (Art. 12) or unreadable, so not checked, per unit. */
  readonly unchecked: Map<string, number>;
}

const bump = (m: Map<string, number>, unit: string): void => {
  m.set(unit, (m.get(unit) ?? 0) + 1);
};

/** The under-grading of one event's fields, or undefined when its level, figures or discovery time are unreadable. */
function check(event: Record<string, unknown>): UnderGrading | undefined {
  const level = event.level;
  const discovered = new Date(String(event.discoveredAt ?? ''));
  if (typeof level !== 'string' || !isEventLevel(level) || event.lossYuan === undefined || event.infectedNumbers24h === undefined || Number.isNaN(discovered.getTime())) return undefined;
  try {
    return detectUnderGrading(level, { lossYuan: event.lossYuan as number | string, infected24h: event.infectedNumbers24h as number | string }, discovered);
  } catch {
    return undefined;
  }
}

/**
 * Re-grades every IncidentReport (and each event of an IncidentReportBatch) accepted in the period from its stored bytes: its figures
 * (lossYuan, infectedNumbers24h) graded by the thresholds in force at its discoveredAt, against
 * the level it states. Reports whose content was purged are counted as unchecked.
 */
export async function scanUnderGrading(manager: EntityManager, period: Period, unit?: string): Promise<UnderGradingScan> {
  const qb = manager.createQueryBuilder(MessageEntity, 'm')
    .where('m.type IN (:...types)', { types: ['IncidentReport', 'IncidentReportBatch'] })
    .andWhere('m.acceptedAt >= :start AND m.acceptedAt < :end', { start: period.start, end: period.end })
    .orderBy('m.acceptedAt', 'ASC').addOrderBy('m.id', 'ASC');
  if (unit !== undefined) qb.andWhere('m.fromCode = :unit', { unit });
  const scan: UnderGradingScan = { underGraded: [], checked: new Map(), unchecked: new Map() };
  for (const row of await qb.getMany()) {
    const body = row.bytes.length === 0 ? undefined : (decode(row.bytes).document?.body as Record<string, unknown> | undefined);
    if (body === undefined) {
      bump(scan.unchecked, row.fromCode);
      continue;
    }
    const events = row.type === 'IncidentReportBatch' ? (Array.isArray(body.events) ? (body.events as Array<Record<string, unknown>>) : []) : [body];
    for (const event of events) {
      const found = check(event);
      if (found === undefined) {
        bump(scan.unchecked, row.fromCode);
        continue;
      }
      bump(scan.checked, row.fromCode);
      if (found.underGraded) {
        scan.underGraded.push({
          messageId: row.id, ...(row.type === 'IncidentReportBatch' && typeof event.seq === 'number' && { seq: event.seq }),
          unit: row.fromCode, reported: found.reported, required: found.required, acceptedAt: row.acceptedAt.toISOString(),
        });
      }
    }
  }
  return scan;
}
