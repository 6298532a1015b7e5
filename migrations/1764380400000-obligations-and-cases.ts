import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * Obligations, cases and Art. 16 special periods (issue 6): `obligations` (one row per party's
 * obligation, unique by key, indexed for the scheduler, the party queries and the case view),
 * `cases` (unique task number), `case_messages` (which message belongs to which case) and
 * `special_periods`. The scheduler's exactly-once claims use the store's `dedupe` table.
 */
export class ObligationsAndCases1764380400000 implements MigrationInterface {
  name = 'ObligationsAndCases1764380400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    const flag = (name: string) => ({ name, type: 'boolean', default: 0 });
    await queryRunner.createTable(new Table({
      name: 'obligations',
      columns: [
        t.serial('id'), t.varchar('obligation_key', 191), t.varchar('obligation', 40), t.varchar('party', 32), t.varchar('counterparty', 32, true),
        t.varchar('case_key', 128, true), t.varchar('subject', 128, true), t.varchar('level', 3, true), t.varchar('opened_by', 128, true),
        t.instant('start_at'), t.instant('due_at', true), flag('due_provisional'), t.varchar('special_period', 64, true), t.varchar('state', 10),
        t.varchar('waived_reason', 500, true), t.varchar('closed_by', 128, true), t.instant('closed_at', true), flag('provisional'),
        t.text('level_history'), t.instant('next_alert_at', true), t.instant('opened_at'),
      ],
      indices: [
        { name: 'ux_obligations_key', columnNames: ['obligation_key'], isUnique: true },
        { name: 'ix_obligations_state_alert', columnNames: ['state', 'next_alert_at'] },
        { name: 'ix_obligations_party_state', columnNames: ['party', 'state'] },
        { name: 'ix_obligations_case', columnNames: ['case_key'] },
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'cases',
      columns: [
        { ...t.varchar('case_key', 128), isPrimary: true }, t.varchar('task_number', 64, true), t.varchar('kind', 10), t.varchar('level', 3, true),
        t.text('provinces'), t.text('parties'), flag('legal_hold'), t.text('level_history'), t.instant('opened_at'), t.instant('updated_at'),
      ],
      indices: [{ name: 'ux_cases_task_number', columnNames: ['task_number'], isUnique: true }],
    }));
    await queryRunner.createTable(new Table({
      name: 'case_messages',
      columns: [
        { ...t.varchar('case_key', 128), isPrimary: true }, { ...t.varchar('message_id', 128), isPrimary: true }, t.varchar('type', 64),
        t.varchar('from_code', 32), t.varchar('level', 3, true), t.instant('accepted_at'),
      ],
      indices: [{ name: 'ix_case_messages_message', columnNames: ['message_id'] }],
    }));
    await queryRunner.createTable(new Table({
      name: 'special_periods',
      columns: [
        { ...t.varchar('id', 64), isPrimary: true }, t.varchar('name', 200), t.instant('start_at'), t.instant('end_at'),
        { name: 'hour_factor', type: 'double', isNullable: true }, t.text('overrides'), t.varchar('declared_by', 64), t.instant('declared_at'),
      ],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['special_periods', 'case_messages', 'cases', 'obligations']) await queryRunner.dropTable(table);
  }
}
