import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The console's Art. 19 month totals (adapters/http/console/pages/compliance.ts) read a month of
 * obligations by due instant and count them by state and closing time. With (due_at, party) only,
 * MariaDB judged a month (~1/12 of 100,000 rows) cheaper to read by a full table scan; with the
 * state and the closing instant in the index the count is answered from the index alone.
 */
export class ConsoleMonthIndex1764382500000 implements MigrationInterface {
  name = 'ConsoleMonthIndex1764382500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('obligations', 'ix_obligations_due_party');
    await queryRunner.createIndex('obligations', new TableIndex({ name: 'ix_obligations_due_party_state', columnNames: ['due_at', 'party', 'state', 'closed_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('obligations', 'ix_obligations_due_party_state');
    await queryRunner.createIndex('obligations', new TableIndex({ name: 'ix_obligations_due_party', columnNames: ['due_at', 'party'] }));
  }
}
