import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * Art. 15 paper originals (issue 8, item 2): `paper_originals`, one row per EmergencyNotice whose
 * written form arrived on paper — its document number (文号), received time and scan with its
 * SHA-256. Unique per notice, so a second registration (or two at once) is refused.
 */
export class PaperOriginals1764382800000 implements MigrationInterface {
  name = 'PaperOriginals1764382800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'paper_originals',
      columns: [
        t.serial('id'), t.varchar('notice_id', 128), t.varchar('institution', 32), t.varchar('document_number', 100), t.instant('received_at'),
        t.varchar('file_name', 255), t.varchar('media_type', 40), t.int('size'), t.varchar('sha256', 64), t.bytes('bytes'),
        t.varchar('registered_by', 64), t.instant('registered_at'),
      ],
      indices: [
        { name: 'ux_paper_originals_notice', columnNames: ['notice_id'], isUnique: true },
        { name: 'ix_paper_originals_institution', columnNames: ['institution', 'registered_at'] },
      ],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('paper_originals');
  }
}
