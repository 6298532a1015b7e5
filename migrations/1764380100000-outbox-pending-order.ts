import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The outbox relay reads `WHERE state = 'pending' ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED`:
 * an index on (state, id) gives those rows in order without sorting the whole backlog.
 */
export class OutboxPendingOrder1764380100000 implements MigrationInterface {
  name = 'OutboxPendingOrder1764380100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('outbox', new TableIndex({ name: 'ix_outbox_state_id', columnNames: ['state', 'id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('outbox', 'ix_outbox_state_id');
  }
}
