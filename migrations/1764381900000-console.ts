import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * The administrators' console (issue 8, item 3; adapters/http/console): its local accounts
 * (scrypt hash with a per-user salt, role, institution, the failed-password count and lock-out)
 * and its sessions (the SHA-256 of the cookie token, never the token; the CSRF synchronizer token
 * bound to the session). Plus the indexes its pages read by on 100,000 obligations: open ones by
 * due instant (due soon / overdue, by unit) and all by due instant (Art. 19 by unit and month),
 * and cases by their last change.
 */
export class Console1764381900000 implements MigrationInterface {
  name = 'Console1764381900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'console_users',
      columns: [
        { ...c.varchar('username', 64), isPrimary: true },
        c.varchar('password_hash', 255),
        c.varchar('role', 24),
        c.varchar('institution_code', 32, true),
        c.varchar('display_name', 100, true),
        c.int('failed_count', 0),
        c.instant('locked_until', true),
        c.instant('created_at'),
        c.instant('updated_at'),
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'console_sessions',
      columns: [
        { ...c.varchar('id_hash', 64), isPrimary: true },
        c.varchar('username', 64, true),
        c.varchar('role', 24, true),
        c.varchar('institution_code', 32, true),
        c.varchar('csrf_token', 64),
        c.instant('created_at'),
        c.instant('expires_at'),
      ],
      indices: [{ name: 'ix_console_sessions_expires', columnNames: ['expires_at'] }],
    }));
    await queryRunner.createIndex('obligations', new TableIndex({ name: 'ix_obligations_state_due', columnNames: ['state', 'due_at', 'party'] }));
    await queryRunner.createIndex('obligations', new TableIndex({ name: 'ix_obligations_due_party', columnNames: ['due_at', 'party'] }));
    await queryRunner.createIndex('cases', new TableIndex({ name: 'ix_cases_updated', columnNames: ['updated_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('cases', 'ix_cases_updated');
    await queryRunner.dropIndex('obligations', 'ix_obligations_due_party');
    await queryRunner.dropIndex('obligations', 'ix_obligations_state_due');
    await queryRunner.dropTable('console_sessions');
    await queryRunner.dropTable('console_users');
  }
}
