import type { DataSource, EntityManager } from 'typeorm';
import { appendAuditEntries, type AuditEvent } from '../audit/append';
import { claimOnce } from '../store/dedupe';
import { isSqlite } from '../store/dialect';
import { InstitutionEntity } from '../store/entities/institution';
import { writeOutbox, type OutboxMessage } from '../store/outbox';
import { transaction } from '../store/transaction';
import { CaseEntity } from './entities/case';
import { ObligationEntity, type ObligationRow } from './entities/obligation';
import { alertInstants, nextAlertAfter } from './obligation-store';
import { obligationContext, type ObligationOptions } from './options';

/** The dedupe consumer under which reminders and escalations are claimed. */
export const SCHEDULER_CONSUMER = 'obligation-scheduler';

/** Options of a scheduler run. */
export interface SchedulerOptions extends ObligationOptions {
  /** Obligations looked at per run. @defaultValue 500 */
  readonly batchSize?: number;
}

/** One reminder or escalation a run sent. */
export interface SentAlert {
  readonly kind: 'reminder' | 'escalation';
  readonly obligationRowId: number;
  readonly obligation: string;
  readonly party: string;
  readonly fraction: number;
  readonly recipients: readonly string[];
}

/** The claim key of one alert: the obligation row, its clock (start; a re-grading restarts it), the kind and the fraction. */
export function alertKey(row: Pick<ObligationRow, 'id' | 'start'>, kind: 'reminder' | 'escalation', fraction: number): string {
  return `${row.id}@${row.start.getTime()}:${kind}:${fraction}`;
}

async function supervisors(manager: EntityManager, row: ObligationRow): Promise<{ recipients: string[]; taskNumber: string | null }> {
  const c = row.caseKey ? await manager.findOneBy(CaseEntity, { key: row.caseKey }) : null;
  let provinces = c?.provinces ?? [];
  if (provinces.length === 0) {
    const inst = await manager.findOneBy(InstitutionEntity, { code: row.party });
    provinces = inst?.province ? [inst.province] : [];
  }
  const recipients = [...new Set([row.party, 'miit', ...provinces.map((p) => `ca-${p}`)])];
  return { recipients, taskNumber: c?.taskNumber ?? null };
}

async function lockRow(manager: EntityManager, id: number): Promise<ObligationRow | null> {
  if (isSqlite(manager)) {
    // Take SQLite's write lock first (no snapshot to go stale between read and write).
    await manager.update(ObligationEntity, { id }, { id });
    return manager.findOneBy(ObligationEntity, { id });
  }
  return manager.createQueryBuilder(ObligationEntity, 'o').where('o.id = :id', { id }).setLock('pessimistic_write').getOne();
}

async function alertOne(manager: EntityManager, id: number, fractions: readonly number[], now: Date): Promise<SentAlert[]> {
  const row = await lockRow(manager, id);
  if (!row || row.state !== 'open' || row.due === null || row.nextAlertAt === null || row.nextAlertAt.getTime() > now.getTime()) return [];
  const sent: SentAlert[] = [];
  const outbox: OutboxMessage[] = [];
  const audit: AuditEvent[] = [];
  let people: Awaited<ReturnType<typeof supervisors>> | undefined;
  for (const alert of alertInstants(row.start, row.due, fractions)) {
    if (alert.at.getTime() > now.getTime()) break;
    const key = alertKey(row, alert.kind, alert.fraction);
    if (!(await claimOnce(manager, SCHEDULER_CONSUMER, key, now))) continue;
    people ??= await supervisors(manager, row);
    const recipients = alert.kind === 'reminder' ? [row.party] : people.recipients;
    const payload = {
      kind: alert.kind, obligationRowId: row.id, obligation: row.obligation, party: row.party, counterparty: row.counterparty, caseKey: row.caseKey,
      taskNumber: people.taskNumber, level: row.level, fraction: alert.fraction, start: row.start.toISOString(), due: row.due.toISOString(), at: alert.at.toISOString(), recipients,
    };
    outbox.push({ topic: `obligation.${alert.kind}`, messageId: `obligation.${alert.kind}:${key}`, payload: Buffer.from(JSON.stringify(payload)) });
    audit.push({ kind: alert.kind, actor: 'mmgw', subject: `obligation:${row.id}`, details: { obligation: row.obligation, party: row.party, fraction: alert.fraction, due: row.due.toISOString(), recipients } });
    sent.push({ kind: alert.kind, obligationRowId: row.id, obligation: row.obligation, party: row.party, fraction: alert.fraction, recipients });
  }
  await manager.update(ObligationEntity, { id: row.id }, { nextAlertAt: nextAlertAfter(row.start, row.due, fractions, now) });
  if (outbox.length) {
    await writeOutbox(manager, outbox, now);
    await appendAuditEntries(manager, audit, now);
  }
  return sent;
}

/**
 * One pass of the reminder/escalation scheduler at `now`: for every open obligation whose next
 * alert is due, a reminder to its party at each configured fraction of its time passed
 * (default 50 %, 75 %, 90 %) and, at the deadline, an escalation to the party and its
 * supervisors (miit, the relevant ca-NN): each an outbox row (`obligation.reminder` /
 * `obligation.escalation`) and an audit entry, in one transaction per obligation with a claim
 * in `dedupe` (unique per obligation, clock, kind and fraction). So several gateway processes
 * may run it at once and each alert is sent exactly once; a scheduler that starts late sends
 * every alert it missed, once.
 */
export async function runScheduler(dataSource: DataSource, now: Date, options: SchedulerOptions = {}): Promise<SentAlert[]> {
  const fractions = obligationContext(options).reminderFractions;
  const due = await dataSource.createQueryBuilder(ObligationEntity, 'o').select('o.id', 'id')
    .where('o.state = :state AND o.nextAlertAt <= :now', { state: 'open', now })
    .orderBy('o.nextAlertAt', 'ASC').limit(options.batchSize ?? 500).getRawMany<{ id: number | string }>();
  const sent: SentAlert[] = [];
  for (const { id } of due) sent.push(...(await transaction(dataSource, (m) => alertOne(m, Number(id), fractions, now))));
  return sent;
}
