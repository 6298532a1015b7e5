import type { EntityManager } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { appendAudit } from '../audit';
import { startOfBeijingDay } from '../calendar';
import { computeDue } from '../deadlines';
import { InstitutionEntity, isSqlite } from '../store';
import { diffContacts } from './diff';
import { ContactChangeEntity, ContactPersonEntity, ContactSetEntity, type ContactChangeRow, type ContactPersonRow } from './entities';
import { loadSheet } from './load-sheet';
import { resolveContactOptions, type ContactOptions } from './options';
import { validateContactUpdate } from './validate-update';

/** Who made a change: the institution, and the console user when an administrator typed it. */
export interface ChangedBy {
  readonly institution: string;
  readonly user?: string;
}

/** A contact change to apply. */
export interface ContactUpdateInput {
  /** The institution whose contacts change (the ContactUpdate's `from`). */
  readonly institution: string;
  /** The ContactUpdate body (validated here as the form does). */
  readonly body: unknown;
  /** The message id when the change came as a signed ContactUpdate: applied once per id. */
  readonly messageId?: string;
  readonly changedBy: ChangedBy;
  /** When the change was reported (the gateway's accept time, or the console's). */
  readonly reportedAt: Date;
}

/** What applying did: the history row, and whether it was new (false: this message was applied before). */
export interface AppliedContactChange {
  readonly change: ContactChangeRow;
  readonly applied: boolean;
  /** True when reported after its due instant (3 wd after the effective date, Art. 17). */
  readonly late: boolean;
}

/** `institution` or `institution/user`, as history and audit name the author. */
export function actorOf(by: ChangedBy): string {
  return by.user === undefined || by.user === '' ? by.institution : `${by.institution}/${by.user}`;
}

/**
 * Applies a ContactUpdate inside the caller's transaction (`manager`): validates the body like
 * the form (and the future bound), replaces the institution's current contacts, appends the
 * history row with the field-level diff and its due instant (`contact-change`, 3 wd from the
 * effective date) and an audit entry (kind `contact-change`). Refusals change nothing:
 * the form's codes (path, Art. 17), `contacts.effective-date-too-far`, `contacts.unknown-institution`.
 * A message id already applied returns the first change, `applied: false`.
 */
export async function applyContactUpdate(manager: EntityManager, input: ContactUpdateInput, now: Date, options: ContactOptions = {}): Promise<AppliedContactChange> {
  const opts = resolveContactOptions(options);
  const value = validateContactUpdate(input.body, now, opts.maxFutureDays);
  const code = input.institution;
  // Locking the institution's registry row serialises changes of one unit on MySQL: a second
  // change (or the same message again) waits for the first to commit, then sees its result.
  const lock = isSqlite(manager) ? {} : { lock: { mode: 'pessimistic_write' as const } };
  if ((await manager.findOne(InstitutionEntity, { where: { code }, ...lock })) === null) {
    throw new GatewayError('contacts.unknown-institution', `institution "${code}" is not in the registry`, { institution: code, article: 'Art. 17' });
  }
  if (input.messageId !== undefined) {
    const earlier = await manager.findOne(ContactChangeEntity, { where: { messageId: input.messageId } });
    if (earlier !== null) return { change: earlier, applied: false, late: earlier.reportedAt.getTime() > earlier.dueAt.getTime() };
  }
  const before = await loadSheet(manager, code, true);
  const diff = diffContacts(before, value);
  const due = computeDue({ obligation: 'contact-change', start: startOfBeijingDay(value.effectiveDate) }, { calendar: opts.calendar, ...(opts.specialPeriods ? { specialPeriods: opts.specialPeriods } : {}) }).due;
  if (due === null) throw new Error('contact-change has no deadline in the obligation table');

  await manager.delete(ContactPersonEntity, { institutionCode: code });
  const person = (role: ContactPersonRow['role'], position: number, p: { name: string; phone?: string; mobile?: string; email?: string }): ContactPersonRow => ({
    institutionCode: code, role, position, name: p.name, phone: p.phone ?? null, mobile: p.mobile ?? null, email: p.email ?? null,
  });
  await manager.insert(ContactPersonEntity, [
    person('leader', 0, value.leaderInCharge),
    person('department-head', 0, value.departmentHead),
    ...value.contacts.map((c, i) => person('contact', i, c)),
  ]);
  const header = { unit: value.unit, department: value.department ?? null, effectiveDate: value.effectiveDate, reportedAt: input.reportedAt, updatedAt: now };
  if (before === null) await manager.insert(ContactSetEntity, { institutionCode: code, ...header, confirmedAt: null, confirmedBy: null });
  else await manager.update(ContactSetEntity, { institutionCode: code }, header);

  const row: Omit<ContactChangeRow, 'id'> = {
    institutionCode: code, changedBy: actorOf(input.changedBy), messageId: input.messageId ?? null, effectiveDate: value.effectiveDate,
    reportedAt: input.reportedAt, recordedAt: now, dueAt: due, diff,
  };
  const inserted = await manager.insert(ContactChangeEntity, row);
  const change: ContactChangeRow = { ...row, id: Number(inserted.identifiers[0]?.id) };
  const late = input.reportedAt.getTime() > due.getTime();
  await appendAudit(manager, {
    kind: 'contact-change',
    actor: change.changedBy,
    subject: `contacts:${code}`,
    details: { changeId: change.id, messageId: change.messageId, effectiveDate: change.effectiveDate, reportedAt: input.reportedAt.toISOString(), dueAt: due.toISOString(), late, fields: diff.map((d) => d.field) },
  }, now);
  return { change, applied: true, late };
}
