import { EntitySchema } from 'typeorm';
import { instant } from '../../store/entities/columns';

/** A domain (or a zone above it) and a registry (dr-*) or registrar (rr-*) that manages it. */
export interface DomainManagerRow {
  /** The domain in lower case without a final dot, e.g. `example.cn`, or a zone such as `cn`. */
  domain: string;
  institutionCode: string;
  addedAt: Date;
}

export const DomainManagerEntity = new EntitySchema<DomainManagerRow>({
  name: 'DomainManager',
  tableName: 'domain_managers',
  columns: {
    domain: { type: 'varchar', length: 253, primary: true },
    institutionCode: { type: 'varchar', length: 32, name: 'institution_code', primary: true },
    addedAt: { ...instant, name: 'added_at' },
  },
});
