import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The console's Art. 15 pages (gateway/emergency/notices.ts) at the scale of issue 8 (100,000
 * obligations): the phone log lists the `written-followup` obligations newest call first, and a
 * notice page finds the follow-up its notice opened and the clocks it (or the written form that
 * answered it) met. None of these had an index — each read the whole obligations table:
 * - (obligation, start_at): the list, one obligation type in call order (the primary key, last
 *   in every secondary index, orders ties by id);
 * - (opened_by, obligation): the obligation of a type a message opened (the notice's follow-up;
 *   also the paper original's registration; the deliveries' deadline fallback by opened_by);
 * - (closed_by): the obligations a message met (the notice's provisional clocks, confirmed by the
 *   written form or the paper original).
 */
export class Art15Indexes1764383400000 implements MigrationInterface {
  name = 'Art15Indexes1764383400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('obligations', new TableIndex({ name: 'ix_obligations_obligation_start', columnNames: ['obligation', 'start_at'] }));
    await queryRunner.createIndex('obligations', new TableIndex({ name: 'ix_obligations_opened_by', columnNames: ['opened_by', 'obligation'] }));
    await queryRunner.createIndex('obligations', new TableIndex({ name: 'ix_obligations_closed_by', columnNames: ['closed_by'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['ix_obligations_closed_by', 'ix_obligations_opened_by', 'ix_obligations_obligation_start']) await queryRunner.dropIndex('obligations', name);
  }
}
