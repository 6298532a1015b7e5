import type { DataSource, EntityManager } from 'typeorm';
import { InstitutionEntity } from '../store';
import { ContactChangeEntity, ContactPersonEntity, ContactSetEntity, type ContactChangeRow } from './entities';
import type { ContactSheet } from './contact-sheet';
import { loadSheet, toSheet } from './load-sheet';

type Source = DataSource | EntityManager;
const managerOf = (source: Source): EntityManager => ('manager' in source ? source.manager : source);

/** The current contacts of institution `code`, or null when it has reported none. */
export function contactsOf(source: Source, code: string): Promise<ContactSheet | null> {
  return loadSheet(managerOf(source), code);
}

/** Every institution's current contacts with its registry name, ordered by institution code (the MIIT export). */
export async function allContacts(source: Source): Promise<(ContactSheet & { readonly institutionName: string })[]> {
  const m = managerOf(source);
  const [sets, persons, institutions] = await Promise.all([
    m.find(ContactSetEntity, { order: { institutionCode: 'ASC' } }),
    m.find(ContactPersonEntity),
    m.find(InstitutionEntity),
  ]);
  const names = new Map(institutions.map((i) => [i.code, i.name]));
  return sets.map((set) => ({
    ...toSheet(set, persons.filter((p) => p.institutionCode === set.institutionCode)),
    institutionName: names.get(set.institutionCode) ?? set.unit,
  }));
}

/** The full history of institution `code`'s contacts, oldest first, each with its field-level diff. */
export function historyOf(source: Source, code: string): Promise<ContactChangeRow[]> {
  return managerOf(source).find(ContactChangeEntity, { where: { institutionCode: code }, order: { id: 'ASC' } });
}

/** A change reported after its due instant, with how late. */
export interface OverdueChange extends ContactChangeRow {
  /** Milliseconds between the due instant and the report. */
  readonly lateByMs: number;
}

/**
 * The changes recorded up to `now` that were reported later than 3 working days after their
 * effective date (Art. 17, `contact-change`; the due instant computed with computeDue when the
 * change was applied), oldest first.
 */
export async function overdueChanges(source: Source, now: Date): Promise<OverdueChange[]> {
  const rows = await managerOf(source).createQueryBuilder(ContactChangeEntity, 'c')
    // Both columns are stored alike (UTC, ms) on both databases, so they compare in SQL.
    .where('c.reported_at > c.due_at')
    .orderBy('c.id', 'ASC')
    .getMany();
  return rows.filter((r) => r.recordedAt.getTime() <= now.getTime()).map((r) => ({ ...r, lateByMs: r.reportedAt.getTime() - r.dueAt.getTime() }));
}
