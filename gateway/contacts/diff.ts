import type { FieldChange } from './entities';
import type { ContactPerson, ContactSnapshot } from './contact-sheet';

const PERSON_FIELDS = ['name', 'phone', 'mobile', 'email'] as const;

function personDiff(prefix: string, before: ContactPerson | undefined, after: ContactPerson | undefined, out: FieldChange[]): void {
  for (const f of PERSON_FIELDS) {
    const b = before?.[f] ?? null;
    const a = after?.[f] ?? null;
    if (b !== a) out.push({ field: `${prefix}.${f}`, before: b, after: a });
  }
}

/**
 * The field-level difference between two contact sets (`before` null: nothing was registered):
 * one entry per field whose value changed, named by its path in the form —
 * `unit`, `department`, `leaderInCharge.phone`, `departmentHead.name`, `contacts[1].email`.
 * Contacts are compared by position, as the unit lists them.
 */
export function diffContacts(before: ContactSnapshot | null, after: ContactSnapshot): FieldChange[] {
  const out: FieldChange[] = [];
  const top = (field: 'unit' | 'department') => {
    const b = before?.[field] ?? null;
    const a = after[field] ?? null;
    if (b !== a) out.push({ field, before: b, after: a });
  };
  top('unit');
  top('department');
  personDiff('leaderInCharge', before?.leaderInCharge, after.leaderInCharge, out);
  personDiff('departmentHead', before?.departmentHead, after.departmentHead, out);
  const n = Math.max(before?.contacts.length ?? 0, after.contacts.length);
  for (let i = 0; i < n; i += 1) personDiff(`contacts[${i}]`, before?.contacts[i], after.contacts[i], out);
  return out;
}
