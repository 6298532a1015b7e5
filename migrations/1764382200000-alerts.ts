import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * Alerts for people (issue 6, item 4): `alerts`, one row per alert and recipient (unique: the
 * dedupe key of the alerts consumer), read by `GET /v1/alerts`; `alert_emails`, one row per alert
 * row and registered address with the state of its e-mail.
 */
export class Alerts1764382200000 implements MigrationInterface {
  name = 'Alerts1764382200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'alerts',
      columns: [
        t.serial('id'), t.varchar('alert_key', 191), t.varchar('recipient', 32), t.varchar('kind', 24), t.varchar('topic', 64), t.varchar('subject', 191),
        t.varchar('task_number', 64, true), t.text('text'), t.text('payload'), t.instant('created_at'), t.instant('acknowledged_at', true),
      ],
      indices: [
        { name: 'ux_alerts_key_recipient', columnNames: ['alert_key', 'recipient'], isUnique: true },
        { name: 'ix_alerts_recipient', columnNames: ['recipient', 'id'] },
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'alert_emails',
      columns: [
        t.serial('id'), t.bigint('alert_id'), t.varchar('address', 191), t.varchar('state', 10), t.int('attempts', 0),
        t.instant('claimed_at', true), t.instant('sent_at', true), t.varchar('last_error', 500, true),
      ],
      indices: [
        { name: 'ux_alert_emails_alert_address', columnNames: ['alert_id', 'address'], isUnique: true },
        { name: 'ix_alert_emails_state', columnNames: ['state'] },
      ],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('alert_emails');
    await queryRunner.dropTable('alerts');
  }
}
