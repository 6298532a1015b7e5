import type { DataSource } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { InstitutionEntity } from '../store/entities/institution';
import { parsePeriod } from './period';
import { complianceReport, type ComplianceReport } from './report';

/**
 * The institutions that may read every unit's Art. 19 record: miit publishes it (Art. 19,
 * "MIIT periodically publishes each unit's record"), and cncert, which grades, notifies and
 * verifies for MIIT (Art. 4, 10(3), 11(5)), keeps the clocks it is measured by. Every other unit
 * reads its own record only.
 */
export const COMPLIANCE_READERS: readonly string[] = ['miit', 'cncert'];

/** Whether `caller` may read `unit`'s record (undefined: every unit). */
export function mayReadCompliance(caller: string, unit: string | undefined): boolean {
  return COMPLIANCE_READERS.includes(caller) || unit === caller;
}

/**
 * The Art. 19 report as `caller` may read it: miit and cncert any unit or all of them; any other
 * institution its own record (the unit defaults to the caller). Refuses, before reading
 * anything, a period that is not YYYY-MM (`compliance.bad-period`), a unit that is not a code
 * (`compliance.bad-unit`), another unit's record (`compliance.not-permitted`) and a unit the
 * registry does not know (`compliance.unknown-unit`); each names its field and Art. 19.
 * `caller` undefined: the gateway's operator (`mmgw compliance` on the gateway host), who reads
 * every unit — the same checks, no access rule.
 */
export async function complianceFor(ds: DataSource, query: { readonly period: string; readonly unit?: string }, caller: string | undefined, now: Date): Promise<ComplianceReport> {
  parsePeriod(query.period);
  const unit = query.unit ?? (caller === undefined || COMPLIANCE_READERS.includes(caller) ? undefined : caller);
  if (unit !== undefined && !/^[a-z][a-z0-9-]{1,31}$/.test(unit)) {
    throw new GatewayError('compliance.bad-unit', `unit "${unit}" is not an institution code (e.g. op-cmcc, ca-11, cncert)`, { field: 'unit', value: unit, article: 'Art. 19' });
  }
  if (caller !== undefined && !mayReadCompliance(caller, unit)) {
    throw new GatewayError('compliance.not-permitted', `${caller} may read its own Art. 19 record only, not ${unit ?? 'every unit'}'s; miit and cncert read every unit's`, { field: 'unit', value: unit, caller, article: 'Art. 19' });
  }
  if (unit !== undefined && (await ds.manager.countBy(InstitutionEntity, { code: unit })) === 0) {
    throw new GatewayError('compliance.unknown-unit', `unit "${unit}" is not an institution of the registry`, { field: 'unit', value: unit, article: 'Art. 19' });
  }
  return complianceReport(ds, { period: query.period, ...(unit !== undefined && { unit }) }, now);
}
