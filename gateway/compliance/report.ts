import type { DataSource } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { ObligationEntity, type ObligationRow } from '../obligations/entities/obligation';
import { parsePeriod } from './period';
import { scanUnderGrading, type UnderGradedReport } from './under-graded';

/** What `complianceReport` covers. */
export interface ComplianceQuery {
  /** The month, `YYYY-MM` (Beijing time). */
  readonly period: string;
  /** Only this unit (institution code). */
  readonly unit?: string;
}

/** One obligation met late, and by how much. */
export interface LateObligation {
  readonly id: number;
  readonly obligation: string;
  readonly due: string;
  readonly closedAt: string;
  readonly lateMinutes: number;
}

/** One obligation still open past its due instant. */
export interface OverdueObligation {
  readonly id: number;
  readonly obligation: string;
  readonly due: string;
  readonly overdueMinutes: number;
}

/** One unit's Art. 19 record for the period. */
export interface UnitCompliance {
  readonly unit: string;
  /** Obligations due in the period met by their due instant. */
  readonly metOnTime: number;
  /** Obligations due in the period met after it (迟报). */
  readonly metLate: number;
  /** The largest and the mean lateness of those met late, in minutes (0 when none). */
  readonly maxLateMinutes: number;
  readonly meanLateMinutes: number;
  /** Obligations due in the period still open at the report's instant, past due (漏报 so far). */
  readonly openPastDue: number;
  /** Due in the period, still open, not yet due at the report's instant. */
  readonly openNotYetDue: number;
  readonly waived: number;
  /** IncidentReports accepted in the period graded below what their own figures require (瞒报/谎报). */
  readonly underGraded: number;
  /** IncidentReports accepted in the period whose grading was checked, and those that could not be (content purged). */
  readonly reportsChecked: number;
  readonly reportsUnchecked: number;
  readonly late: LateObligation[];
  readonly overdue: OverdueObligation[];
  readonly underGradedReports: UnderGradedReport[];
}

/** The Art. 19 compliance report of a month. */
export interface ComplianceReport {
  readonly period: string;
  /** The period as UTC instants [from, to). */
  readonly from: string;
  readonly to: string;
  /** The instant open obligations were judged at. */
  readonly asOf: string;
  readonly units: UnitCompliance[];
}

const minutes = (ms: number): number => Math.round(ms / 6000) / 10;

function emptyUnit(unit: string): { -readonly [K in keyof UnitCompliance]: UnitCompliance[K] } {
  return { unit, metOnTime: 0, metLate: 0, maxLateMinutes: 0, meanLateMinutes: 0, openPastDue: 0, openNotYetDue: 0, waived: 0, underGraded: 0, reportsChecked: 0, reportsUnchecked: 0, late: [], overdue: [], underGradedReports: [] };
}

/**
 * Art. 19 compliance per unit for one month (rules.md "Art. 19"): of the obligations the unit
 * owes whose due instant falls in the month, how many were met on time, met late (with the
 * largest and mean lateness), are still open past due at `now`; and the IncidentReports it sent
 * that month graded below their own figures. Units sorted by code.
 */
export async function complianceReport(ds: DataSource, query: ComplianceQuery, now: Date): Promise<ComplianceReport> {
  const period = parsePeriod(query.period);
  if (query.unit !== undefined && !/^[a-z][a-z0-9-]{1,31}$/.test(query.unit)) {
    throw new GatewayError('compliance.bad-unit', `unit "${query.unit}" is not an institution code (e.g. op-cmcc, ca-11, cncert)`, { field: 'unit', value: query.unit });
  }
  const qb = ds.manager.createQueryBuilder(ObligationEntity, 'o')
    .where('o.due IS NOT NULL AND o.due >= :start AND o.due < :end', { start: period.start, end: period.end })
    .orderBy('o.due', 'ASC').addOrderBy('o.id', 'ASC');
  if (query.unit !== undefined) qb.andWhere('o.party = :unit', { unit: query.unit });
  const units = new Map<string, ReturnType<typeof emptyUnit>>();
  const unitOf = (code: string) => {
    let u = units.get(code);
    if (u === undefined) units.set(code, (u = emptyUnit(code)));
    return u;
  };
  for (const o of await qb.getMany()) classify(unitOf(o.party), o, now);
  const scan = await scanUnderGrading(ds.manager, period, query.unit);
  for (const [code, n] of scan.checked) unitOf(code).reportsChecked = n;
  for (const [code, n] of scan.unchecked) unitOf(code).reportsUnchecked = n;
  for (const r of scan.underGraded) {
    const u = unitOf(r.unit);
    u.underGraded += 1;
    u.underGradedReports.push(r);
  }
  for (const u of units.values()) {
    u.metLate = u.late.length;
    u.maxLateMinutes = u.late.reduce((max, l) => Math.max(max, l.lateMinutes), 0);
    u.meanLateMinutes = u.late.length === 0 ? 0 : Math.round((u.late.reduce((sum, l) => sum + l.lateMinutes, 0) / u.late.length) * 10) / 10;
    u.openPastDue = u.overdue.length;
  }
  return {
    period: period.month, from: period.start.toISOString(), to: period.end.toISOString(), asOf: now.toISOString(),
    units: [...units.values()].sort((a, b) => a.unit.localeCompare(b.unit)),
  };
}

function classify(u: ReturnType<typeof emptyUnit>, o: ObligationRow, now: Date): void {
  const due = o.due as Date;
  if (o.state === 'waived') u.waived += 1;
  else if (o.state === 'open') {
    if (due.getTime() < now.getTime()) u.overdue.push({ id: o.id, obligation: o.obligation, due: due.toISOString(), overdueMinutes: minutes(now.getTime() - due.getTime()) });
    else u.openNotYetDue += 1;
  } else {
    const closed = o.closedAt ?? now;
    // The stored state decides; a met-late row is late by its closing instant.
    if (o.state === 'met-late' || closed.getTime() > due.getTime()) {
      u.late.push({ id: o.id, obligation: o.obligation, due: due.toISOString(), closedAt: closed.toISOString(), lateMinutes: minutes(Math.max(0, closed.getTime() - due.getTime())) });
    } else u.metOnTime += 1;
  }
}
