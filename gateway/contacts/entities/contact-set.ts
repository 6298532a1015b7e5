import { EntitySchema } from 'typeorm';
import { instant } from '../../store/entities/columns';

/** The header of an institution's current contacts (Art. 17): the unit, its department, when the set took effect and was reported, when last confirmed. */
export interface ContactSetRow {
  institutionCode: string;
  /** 单位名称 as reported. */
  unit: string;
  /** 责任部门, when reported. */
  department: string | null;
  /** The effective date of the change that produced this set (`YYYY-MM-DD`, Beijing calendar). */
  effectiveDate: string;
  /** When that change was reported. */
  reportedAt: Date;
  /** When the set was last changed in the store. */
  updatedAt: Date;
  /** When the unit last confirmed the set unchanged (the periodic reminder), or null. */
  confirmedAt: Date | null;
  /** Who confirmed it (`institution` or `institution/user`). */
  confirmedBy: string | null;
}

export const ContactSetEntity = new EntitySchema<ContactSetRow>({
  name: 'ContactSet',
  tableName: 'contact_sets',
  columns: {
    institutionCode: { type: 'varchar', length: 32, primary: true, name: 'institution_code' },
    unit: { type: 'varchar', length: 100 },
    department: { type: 'varchar', length: 100, nullable: true },
    effectiveDate: { type: 'varchar', length: 10, name: 'effective_date' },
    reportedAt: { ...instant, name: 'reported_at' },
    updatedAt: { ...instant, name: 'updated_at' },
    confirmedAt: { ...instant, name: 'confirmed_at', nullable: true },
    confirmedBy: { type: 'varchar', length: 64, name: 'confirmed_by', nullable: true },
  },
});
