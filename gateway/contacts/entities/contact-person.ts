import { EntitySchema } from 'typeorm';

/** The three roles of Art. 17: 主管领导 leader in charge, 责任部门负责人 department head, 联系人 contact person. */
export type ContactRole = 'leader' | 'department-head' | 'contact';

/** One person of an institution's current contacts. */
export interface ContactPersonRow {
  institutionCode: string;
  role: ContactRole;
  /** Order within the role (0 for the leader and the department head; 0, 1, … for contacts). */
  position: number;
  name: string;
  phone: string | null;
  mobile: string | null;
  email: string | null;
}

export const ContactPersonEntity = new EntitySchema<ContactPersonRow>({
  name: 'ContactPerson',
  tableName: 'contact_persons',
  columns: {
    institutionCode: { type: 'varchar', length: 32, primary: true, name: 'institution_code' },
    role: { type: 'varchar', length: 16, primary: true },
    position: { type: 'int', primary: true },
    name: { type: 'varchar', length: 50 },
    phone: { type: 'varchar', length: 40, nullable: true },
    mobile: { type: 'varchar', length: 40, nullable: true },
    email: { type: 'varchar', length: 254, nullable: true },
  },
});
