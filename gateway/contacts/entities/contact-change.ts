import { EntitySchema } from 'typeorm';
import { bigintAsNumber, instant } from '../../store/entities/columns';

/** One changed field: its path in the contact set (`leaderInCharge.phone`, `contacts[1].email`), before and after (null = absent). */
export interface FieldChange {
  readonly field: string;
  readonly before: string | null;
  readonly after: string | null;
}

/** One change of an institution's contacts, kept for ever: what changed, who, when effective, when reported. */
export interface ContactChangeRow {
  id: number;
  institutionCode: string;
  /** Who changed it: `institution` (a signed ContactUpdate) or `institution/user` (the console). */
  changedBy: string;
  /** The ContactUpdate's message id when the change came as a signed message; null from the console. */
  messageId: string | null;
  effectiveDate: string;
  reportedAt: Date;
  /** When the store recorded it. */
  recordedAt: Date;
  /** The end of the 3rd working day after the effective date (Art. 17, `contact-change`). */
  dueAt: Date;
  /** The field-level diff against the set before. */
  diff: FieldChange[];
}

export const ContactChangeEntity = new EntitySchema<ContactChangeRow>({
  name: 'ContactChange',
  tableName: 'contact_changes',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment', transformer: bigintAsNumber },
    institutionCode: { type: 'varchar', length: 32, name: 'institution_code' },
    changedBy: { type: 'varchar', length: 64, name: 'changed_by' },
    messageId: { type: 'varchar', length: 128, name: 'message_id', nullable: true },
    effectiveDate: { type: 'varchar', length: 10, name: 'effective_date' },
    reportedAt: { ...instant, name: 'reported_at' },
    recordedAt: { ...instant, name: 'recorded_at' },
    dueAt: { ...instant, name: 'due_at' },
    diff: { type: 'simple-json' },
  },
});
