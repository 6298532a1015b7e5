import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The mailbox reads `WHERE recipient_code = ? AND channel = 'mailbox' AND id > ? ORDER BY id
 * LIMIT n` (gateway/deliveries/mailbox.ts): an index on (recipient_code, channel, id) gives a
 * page in order without reading the recipient's older deliveries, and the locking read of a
 * page locks only its rows.
 */
export class DeliveriesMailboxOrder1764381300000 implements MigrationInterface {
  name = 'DeliveriesMailboxOrder1764381300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('deliveries', new TableIndex({ name: 'ix_deliveries_recipient_channel_id', columnNames: ['recipient_code', 'channel', 'id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('deliveries', 'ix_deliveries_recipient_channel_id');
  }
}
