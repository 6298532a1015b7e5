import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The mailbox also reads `WHERE recipient_code = ? AND channel = 'mailbox' AND status = 'queued'
 * AND id <= ? ORDER BY id` (gateway/deliveries/mailbox.ts): deliveries never fetched whose id is
 * behind the reader's cursor, because their transaction committed after a later id's had (two
 * routing batches in flight, two gateway processes). An index on (recipient_code, channel,
 * status, id) finds them without reading the recipient's fetched deliveries.
 */
export class DeliveriesMailboxUnfetched1764383700000 implements MigrationInterface {
  name = 'DeliveriesMailboxUnfetched1764383700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('deliveries', new TableIndex({ name: 'ix_deliveries_recipient_channel_status_id', columnNames: ['recipient_code', 'channel', 'status', 'id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('deliveries', 'ix_deliveries_recipient_channel_status_id');
  }
}
