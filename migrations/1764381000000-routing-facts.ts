import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * The routing facts intake resolves from the store (issue 4, item 2): which registry or
 * registrar manages a domain (`domain_managers`), and who reported a sample, from accepted
 * SampleReports (`sample_reporters`). The sender of a message is read from `messages`.
 */
export class RoutingFacts1764381000000 implements MigrationInterface {
  name = 'RoutingFacts1764381000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    const pk = (column: ReturnType<typeof t.varchar>) => ({ ...column, isPrimary: true });
    await queryRunner.createTable(new Table({
      name: 'domain_managers',
      columns: [pk(t.varchar('domain', 253)), pk(t.varchar('institution_code', 32)), t.instant('added_at')],
    }));
    await queryRunner.createTable(new Table({
      name: 'sample_reporters',
      columns: [pk(t.varchar('md5', 32)), pk(t.varchar('institution_code', 32)), pk(t.varchar('message_id', 128)), t.instant('reported_at')],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sample_reporters');
    await queryRunner.dropTable('domain_managers');
  }
}
