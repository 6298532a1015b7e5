import type { EntityManager } from 'typeorm';
import { isSqlite } from '../store';
import { ContactPersonEntity, ContactSetEntity, type ContactPersonRow, type ContactSetRow } from './entities';
import type { ContactPerson, ContactSheet } from './contact-sheet';

function person(row: ContactPersonRow): ContactPerson {
  return {
    name: row.name,
    ...(row.phone !== null ? { phone: row.phone } : {}),
    ...(row.mobile !== null ? { mobile: row.mobile } : {}),
    ...(row.email !== null ? { email: row.email } : {}),
  };
}

/** Builds a sheet from its header row and its person rows (any order). */
export function toSheet(set: ContactSetRow, rows: readonly ContactPersonRow[]): ContactSheet {
  const sorted = [...rows].sort((a, b) => a.position - b.position);
  const one = (role: ContactPersonRow['role']) => sorted.find((r) => r.role === role);
  const leader = one('leader');
  const head = one('department-head');
  return {
    institution: set.institutionCode,
    unit: set.unit,
    ...(set.department !== null ? { department: set.department } : {}),
    leaderInCharge: leader ? person(leader) : { name: '' },
    departmentHead: head ? person(head) : { name: '' },
    contacts: sorted.filter((r) => r.role === 'contact').map(person),
    effectiveDate: set.effectiveDate,
    reportedAt: set.reportedAt,
    updatedAt: set.updatedAt,
    confirmedAt: set.confirmedAt,
    confirmedBy: set.confirmedBy,
  };
}

/**
 * The current contacts of `code`, or null when it has reported none. `forUpdate` (MySQL, inside
 * a transaction): read the latest committed rows and lock them, as a change about to replace them must.
 */
export async function loadSheet(manager: EntityManager, code: string, forUpdate = false): Promise<ContactSheet | null> {
  const lock = forUpdate && !isSqlite(manager) ? { lock: { mode: 'pessimistic_write' as const } } : {};
  const set = await manager.findOne(ContactSetEntity, { where: { institutionCode: code }, ...lock });
  if (set === null) return null;
  const rows = await manager.find(ContactPersonEntity, { where: { institutionCode: code }, ...lock });
  return toSheet(set, rows);
}
