import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventLevel } from '../../contracts/obligations/event-levels';
import type { ObligationId } from '../../contracts/obligations/obligation-table';
import { computeDue, type DueResult } from '../deadlines/compute-due';
import { defineSpecialPeriod, type SpecialPeriod, type SpecialPeriodSpec } from '../deadlines/special-period';
import { isSqlite } from '../store/dialect';
import { ObligationEntity, type ObligationRow } from './entities/obligation';
import { SpecialPeriodEntity } from './entities/special-period';
import type { ObligationContext } from './options';
import { specialPeriodsAt } from './special-periods';

/** What identifies and starts an obligation. */
export interface OpenRequest {
  readonly obligation: ObligationId;
  readonly party: string;
  readonly counterparty?: string | null;
  readonly caseKey?: string | null;
  readonly subject?: string | null;
  readonly level?: EventLevel | null;
  readonly openedBy?: string | null;
  readonly start: Date;
  /** Tells apart obligations that share everything else (e.g. two phone calls); part of the key. */
  readonly discriminator?: string;
}

/** The unique key of an obligation: obligation | party | case | subject (hashed past 191 characters). */
export function obligationKey(r: OpenRequest): string {
  const key = [r.obligation, r.party, r.caseKey ?? '', r.subject ?? '', ...(r.discriminator ? [r.discriminator] : [])].join('|');
  return key.length <= 191 ? key : `${r.obligation}|${createHash('sha256').update(key).digest('hex')}`;
}

/** Computes the due instant with the stored Art. 16 periods that cover `start`. */
export async function dueFor(manager: EntityManager, ctx: ObligationContext, obligation: ObligationId, start: Date, level: EventLevel | null | undefined): Promise<DueResult> {
  const specialPeriods = await specialPeriodsAt(manager, start);
  return computeDue({ obligation, start, ...(level ? { level } : {}) }, { calendar: ctx.calendar, config: ctx.deadlines, specialPeriods });
}

/**
 * The stored special periods that may govern an obligation starting anywhere in [`from`, `to`]
 * (one query for a batch); `periodsAt` then picks those that cover one start exactly as
 * specialPeriodsAt does (start <= s < end).
 */
export async function specialPeriodsBetween(manager: EntityManager, from: Date, to: Date): Promise<SpecialPeriod[]> {
  const rows = await manager.createQueryBuilder(SpecialPeriodEntity, 'p').where('p.start <= :to AND p.end > :from', { from, to }).getMany();
  return rows.map((row) => defineSpecialPeriod({
    id: row.id, name: row.name, start: row.start, end: row.end,
    ...(row.hourFactor !== null ? { hourFactor: row.hourFactor } : {}),
    overrides: row.overrides as SpecialPeriodSpec['overrides'],
  }));
}

/** Of `periods`, those that cover `start` (start <= s < end): what specialPeriodsAt(start) reads. */
export function periodsAt(periods: readonly SpecialPeriod[], start: Date): SpecialPeriod[] {
  return periods.filter((p) => p.start.getTime() <= start.getTime() && p.end.getTime() > start.getTime());
}

/** The due instant computed with the given special periods (no query). */
export function dueWith(ctx: ObligationContext, obligation: ObligationId, start: Date, level: EventLevel | null | undefined, specialPeriods: readonly SpecialPeriod[]): DueResult {
  return computeDue({ obligation, start, ...(level ? { level } : {}) }, { calendar: ctx.calendar, config: ctx.deadlines, specialPeriods });
}

/**
 * The instants at which the scheduler must act on an obligation: each reminder fraction of its
 * time, then the deadline (escalation).
 */
export function alertInstants(start: Date, due: Date, fractions: readonly number[]): Array<{ kind: 'reminder' | 'escalation'; fraction: number; at: Date }> {
  const span = due.getTime() - start.getTime();
  return [
    ...fractions.map((fraction) => ({ kind: 'reminder' as const, fraction, at: new Date(start.getTime() + Math.round(span * fraction)) })),
    { kind: 'escalation' as const, fraction: 1, at: due },
  ];
}

/** The first alert instant after `after` (exclusive), or null when none is left. */
export function nextAlertAfter(start: Date, due: Date | null, fractions: readonly number[], after: Date | null): Date | null {
  if (due === null) return null;
  const next = alertInstants(start, due, fractions).find((a) => after === null || a.at.getTime() > after.getTime());
  return next ? next.at : null;
}

/**
 * Opens an obligation inside the caller's transaction; idempotent by key (a redelivered
 * message finds the row it opened). Its due instant comes from computeDue with the stored
 * special periods.
 */
export async function openObligation(manager: EntityManager, ctx: ObligationContext, r: OpenRequest, now: Date): Promise<ObligationRow> {
  const key = obligationKey(r);
  const existing = await manager.findOneBy(ObligationEntity, { key });
  if (existing) return existing;
  const due = await dueFor(manager, ctx, r.obligation, r.start, r.level);
  const row: Omit<ObligationRow, 'id'> = {
    key, obligation: r.obligation, party: r.party, counterparty: r.counterparty ?? null, caseKey: r.caseKey ?? null, subject: r.subject ?? null,
    level: r.level ?? null, openedBy: r.openedBy ?? null, start: r.start, due: due.due, dueProvisional: due.provisional, specialPeriod: due.specialPeriod ?? null,
    state: 'open', waivedReason: null, closedBy: null, closedAt: null, provisional: false, levelHistory: [],
    nextAlertAt: nextAlertAfter(r.start, due.due, ctx.reminderFractions, null), openedAt: now,
  };
  if (isSqlite(manager)) {
    // SQLite: one writer at a time, the read above saw everything committed.
    const result = await manager.insert(ObligationEntity, row);
    return { ...row, id: Number(result.identifiers[0]?.id) };
  }
  // MySQL: another transaction may open the same obligation at once (two level IV reports of one
  // month). A plain INSERT would fail the second; INSERT … ON DUPLICATE KEY UPDATE waits for the
  // first, then takes an exclusive lock on its row (a shared one, as a failed INSERT takes, would
  // deadlock a third), and the locking read sees the latest committed version.
  await manager.createQueryBuilder().insert().into(ObligationEntity).values(row).orUpdate(['obligation_key'], ['obligation_key']).execute();
  return manager.createQueryBuilder(ObligationEntity, 'o').where('o.key = :key', { key }).setLock('pessimistic_write').getOneOrFail();
}


/** Meets an obligation at `at` by `messageId`: `met` when on time (or no deadline), `met-late` after the due instant. */
export async function closeObligation(manager: EntityManager, row: ObligationRow, messageId: string, at: Date, provisional = false): Promise<ObligationRow> {
  const state = row.due === null || at.getTime() <= row.due.getTime() ? 'met' : 'met-late';
  const changes = { state, closedBy: messageId, closedAt: at, provisional, nextAlertAt: null } as const;
  await manager.update(ObligationEntity, { id: row.id }, changes);
  return { ...row, ...changes };
}

/** Opens (idempotently) and at once meets an obligation whose form is the opening message itself. */
export async function openAndClose(manager: EntityManager, ctx: ObligationContext, r: OpenRequest, messageId: string, at: Date, now: Date): Promise<ObligationRow> {
  const row = await openObligation(manager, ctx, r, now);
  if (row.state !== 'open') return row;
  return closeObligation(manager, row, messageId, at);
}

/**
 * The open obligations matching `where`, oldest first. Not locked: closing updates each row by
 * its primary key (a range lock here would make concurrent intake transactions deadlock on
 * InnoDB's gap locks); the scheduler locks the row it alerts on and re-checks its state.
 */
export async function findOpen(manager: EntityManager, where: { obligation: ObligationId; party?: string; caseKey?: string; subject?: string; counterparty?: string }): Promise<ObligationRow[]> {
  const qb = manager.createQueryBuilder(ObligationEntity, 'o').where('o.state = :state', { state: 'open' }).andWhere('o.obligation = :obligation', { obligation: where.obligation });
  if (where.party !== undefined) qb.andWhere('o.party = :party', { party: where.party });
  if (where.caseKey !== undefined) qb.andWhere('o.caseKey = :caseKey', { caseKey: where.caseKey });
  if (where.subject !== undefined) qb.andWhere('o.subject = :subject', { subject: where.subject });
  if (where.counterparty !== undefined) qb.andWhere('o.counterparty = :counterparty', { counterparty: where.counterparty });
  return qb.orderBy('o.id', 'ASC').getMany();
}
