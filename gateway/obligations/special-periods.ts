import { QueryFailedError, type EntityManager } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { appendAudit } from '../audit/append';
import { defineSpecialPeriod, type SpecialPeriod, type SpecialPeriodSpec } from '../deadlines/special-period';
import { SpecialPeriodEntity, type SpecialPeriodRow } from './entities/special-period';

function toPeriod(row: SpecialPeriodRow): SpecialPeriod {
  return defineSpecialPeriod({
    id: row.id, name: row.name, start: row.start, end: row.end,
    ...(row.hourFactor !== null ? { hourFactor: row.hourFactor } : {}),
    overrides: row.overrides as SpecialPeriodSpec['overrides'],
  });
}

/**
 * Stores an Art. 16 special period declared by an administrator (`actor`), inside the caller's
 * transaction, with an audit entry (kind `special-period`). Refuses one that ends before or when
 * it starts (`special-period.ends-before-start`), a loosening factor, a malformed override, and
 * an id already declared (`obligation.duplicate-period`). Obligations opened afterwards whose
 * clock starts inside it get its stricter deadline.
 */
export async function declareSpecialPeriod(manager: EntityManager, spec: SpecialPeriodSpec, actor: string, now: Date): Promise<SpecialPeriod> {
  const period = defineSpecialPeriod(spec);
  if (await manager.findOneBy(SpecialPeriodEntity, { id: period.id })) {
    throw new GatewayError('obligation.duplicate-period', `special period ${period.id} is already declared`, { period: period.id, article: 'Art. 16' });
  }
  const row: SpecialPeriodRow = {
    id: period.id, name: period.name, start: period.start, end: period.end, hourFactor: period.hourFactor ?? null,
    overrides: period.overrides ?? {}, declaredBy: actor, declaredAt: now,
  };
  try {
    await manager.insert(SpecialPeriodEntity, row);
  } catch (e) {
    if (e instanceof QueryFailedError) throw new GatewayError('obligation.duplicate-period', `special period ${period.id} is already declared`, { period: period.id, article: 'Art. 16' });
    throw e;
  }
  await appendAudit(manager, { kind: 'special-period', actor, subject: period.id, details: { name: period.name, start: period.start.toISOString(), end: period.end.toISOString(), hourFactor: period.hourFactor ?? null } }, now);
  return period;
}

/** The stored special periods that govern an obligation whose clock starts at `start`. */
export async function specialPeriodsAt(manager: EntityManager, start: Date): Promise<SpecialPeriod[]> {
  const rows = await manager.createQueryBuilder(SpecialPeriodEntity, 'p')
    .where('p.start <= :start AND p.end > :start', { start })
    .getMany();
  return rows.map(toPeriod);
}

/** Every stored special period, earliest first. */
export async function listSpecialPeriods(manager: EntityManager): Promise<SpecialPeriod[]> {
  const rows = await manager.find(SpecialPeriodEntity, { order: { start: 'ASC' } });
  return rows.map(toPeriod);
}
