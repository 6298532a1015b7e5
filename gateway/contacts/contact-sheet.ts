import type { ContactRole } from './entities';

/** A person of a contact set, as the ContactUpdate form carries it (Art. 17). */
export interface ContactPerson {
  readonly name: string;
  readonly phone?: string;
  readonly mobile?: string;
  readonly email?: string;
}

/** What a ContactUpdate says about the people: the part that is diffed and stored as current. */
export interface ContactSnapshot {
  readonly unit: string;
  readonly department?: string;
  readonly leaderInCharge: ContactPerson;
  readonly departmentHead: ContactPerson;
  readonly contacts: readonly ContactPerson[];
}

/** An institution's current contacts, as `contactsOf` answers. */
export interface ContactSheet extends ContactSnapshot {
  readonly institution: string;
  readonly effectiveDate: string;
  readonly reportedAt: Date;
  readonly updatedAt: Date;
  readonly confirmedAt: Date | null;
  readonly confirmedBy: string | null;
}

/** The roles in the order they are listed (and exported). */
export const CONTACT_ROLES: readonly ContactRole[] = ['leader', 'department-head', 'contact'];
