import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * The contact registry of Art. 17 (issue 8, item 1): each institution's current contacts (a
 * header row and one row per person: leader in charge, department head, contact persons in
 * order) and the history of every change, with its field-level diff, who made it, the effective
 * date, the date reported and its due instant (3 wd, `contact-change`).
 */
export class ContactRegistry1764380700000 implements MigrationInterface {
  name = 'ContactRegistry1764380700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    const pk = (column: ReturnType<typeof t.varchar>) => ({ ...column, isPrimary: true });
    await queryRunner.createTable(new Table({
      name: 'contact_sets',
      columns: [
        pk(t.varchar('institution_code', 32)), t.varchar('unit', 100), t.varchar('department', 100, true), t.varchar('effective_date', 10),
        t.instant('reported_at'), t.instant('updated_at'), t.instant('confirmed_at', true), t.varchar('confirmed_by', 64, true),
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'contact_persons',
      columns: [
        pk(t.varchar('institution_code', 32)), pk(t.varchar('role', 16)), { ...t.int('position'), isPrimary: true },
        t.varchar('name', 50), t.varchar('phone', 40, true), t.varchar('mobile', 40, true), t.varchar('email', 254, true),
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'contact_changes',
      columns: [
        t.serial('id'), t.varchar('institution_code', 32), t.varchar('changed_by', 64), t.varchar('message_id', 128, true), t.varchar('effective_date', 10),
        t.instant('reported_at'), t.instant('recorded_at'), t.instant('due_at'), t.text('diff'),
      ],
      indices: [
        { name: 'ix_contact_changes_institution', columnNames: ['institution_code', 'id'] },
        // A signed ContactUpdate is applied once, however often its hook runs (NULLs, console changes, do not collide).
        { name: 'ux_contact_changes_message', columnNames: ['message_id'], isUnique: true },
        { name: 'ix_contact_changes_recorded', columnNames: ['recorded_at'] },
      ],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['contact_changes', 'contact_persons', 'contact_sets']) await queryRunner.dropTable(table);
  }
}
