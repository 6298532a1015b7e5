import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * The e-mail intake's durable UID cursor (adapters/email/store-cursor.ts): per mailbox, the
 * UIDVALIDITY it was read under, the last UID handled and a move not yet confirmed, so a restart
 * resumes without reading a mail twice or missing one.
 */
export class EmailCursors1764381600000 implements MigrationInterface {
  name = 'EmailCursors1764381600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'email_cursors',
      columns: [
        { ...c.varchar('mailbox', 200), isPrimary: true },
        c.varchar('uid_validity', 40),
        c.bigint('last_uid'),
        { ...c.bigint('pending_uid'), isNullable: true },
        c.varchar('pending_folder', 20, true),
      ],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('email_cursors');
  }
}
