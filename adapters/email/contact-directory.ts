import type { DataSource } from 'typeorm';
import { ContactPersonEntity } from '../../gateway/contacts/entities';
import { InstitutionEntity } from '../../gateway/store/entities';
import type { ContactDirectory } from './classify-mail';

/** The contact directory the e-mail channel reads, plus the address an institution's replies also go to. */
export interface MailContactDirectory extends ContactDirectory {
  /** The institution's registered e-mail address: its `email` delivery channel, else its first contact person's address (lower case), or undefined. */
  registeredAddressOf(code: string): Promise<string | undefined>;
}

const ROLE_ORDER: Record<string, number> = { contact: 0, 'department-head': 1, leader: 2 };

/**
 * The ContactDirectory over the store's contact tables (gateway/contacts, Art. 17): the
 * institution whose current contact person has `address` (compared case-insensitively). An
 * address registered by two institutions names none of them (undefined): an unsigned mail
 * cannot be attributed to one of them.
 */
export function contactDirectoryFor(ds: DataSource): MailContactDirectory {
  return {
    async institutionOfContact(address) {
      const wanted = address.trim().toLowerCase();
      if (wanted === '') return undefined;
      const rows = await ds.getRepository(ContactPersonEntity).createQueryBuilder('p')
        .select('p.institutionCode', 'code').where('LOWER(p.email) = :wanted', { wanted }).getRawMany<{ code: string }>();
      const codes = [...new Set(rows.map((r) => r.code))];
      return codes.length === 1 ? codes[0] : undefined;
    },
    async registeredAddressOf(code) {
      const institution = await ds.getRepository(InstitutionEntity).findOne({ where: { code } });
      const channel = institution?.channels.find((c) => c.kind === 'email' && c.endpoint !== undefined && c.endpoint !== '');
      if (channel?.endpoint !== undefined) return channel.endpoint.toLowerCase();
      const people = await ds.getRepository(ContactPersonEntity).find({ where: { institutionCode: code } });
      const withMail = people.filter((p) => p.email !== null && p.email !== '')
        .sort((a, b) => (ROLE_ORDER[a.role] ?? 9) - (ROLE_ORDER[b.role] ?? 9) || a.position - b.position);
      return withMail[0]?.email?.toLowerCase();
    },
  };
}
