import { EntitySchema } from 'typeorm';
import { instant } from './columns';

/** The kinds of party of the mechanism (rules.md) plus the gateway itself. */
export type InstitutionKind = 'miit' | 'cncert' | 'ca' | 'operator' | 'registry' | 'registrar' | 'gateway';

/** A way to reach an institution; an institution lists them in its order of preference. */
export interface Channel {
  /** mailbox: the recipient pulls; push: HTTPS POST to `endpoint`; email: to `endpoint` (an address). */
  readonly kind: 'mailbox' | 'push' | 'email';
  /** The push URL or e-mail address; absent for the mailbox. */
  readonly endpoint?: string;
}

/** One party of the mechanism in the registry. */
export interface InstitutionRow {
  /** Institution code, e.g. `miit`, `ca-11`, `op-cmcc`. */
  code: string;
  kind: InstitutionKind;
  /** Display name. */
  name: string;
  /** GB/T 2260 province code (two digits) for a provincial CA, otherwise null. */
  province: string | null;
  /** Channels in order of preference: the first is tried first, the next is the fall-back. */
  channels: Channel[];
  createdAt: Date;
  updatedAt: Date;
}

export const InstitutionEntity = new EntitySchema<InstitutionRow>({
  name: 'Institution',
  tableName: 'institutions',
  columns: {
    code: { type: 'varchar', length: 32, primary: true },
    kind: { type: 'varchar', length: 16 },
    name: { type: 'varchar', length: 200 },
    province: { type: 'varchar', length: 6, nullable: true },
    channels: { type: 'simple-json' },
    createdAt: { ...instant, name: 'created_at' },
    updatedAt: { ...instant, name: 'updated_at' },
  },
});
