import { createHash } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** obligationKey (gateway/obligations/obligation-store.ts) as it stands here, frozen: a migration must not change with the code. */
function keyOf(obligation: string, party: string, caseKey: string | null, subject: string): string {
  const key = [obligation, party, caseKey ?? '', subject].join('|');
  return key.length <= 191 ? key : `${obligation}|${createHash('sha256').update(key).digest('hex')}`;
}

interface Row {
  id: number | string;
  party: string;
  case_key: string | null;
  subject: string;
}

/**
 * One spelling for month subjects: cncert's `monthly-general-summary` rows were opened with the
 * bare month (`2026-10`) while a unit's level IV `disposal-feedback` used `month:2026-10`. Both are
 * now `month:YYYY-MM` (gateway/obligations/month-subject.ts); this rewrites the subject and the
 * unique key (which contains it) of the existing summary rows, so a MonthlyGeneralSummary accepted
 * after the upgrade still finds and meets the month it owes.
 */
export class MonthSubjects1764383100000 implements MigrationInterface {
  name = 'MonthSubjects1764383100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query('SELECT id, party, case_key, subject FROM obligations WHERE obligation = ? AND subject NOT LIKE ?', ['monthly-general-summary', 'month:%'])) as Row[];
    for (const r of rows) {
      const subject = `month:${r.subject}`;
      await queryRunner.query('UPDATE obligations SET subject = ?, obligation_key = ? WHERE id = ?', [subject, keyOf('monthly-general-summary', r.party, r.case_key, subject), r.id]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query('SELECT id, party, case_key, subject FROM obligations WHERE obligation = ? AND subject LIKE ?', ['monthly-general-summary', 'month:%'])) as Row[];
    for (const r of rows) {
      const subject = r.subject.slice('month:'.length);
      await queryRunner.query('UPDATE obligations SET subject = ?, obligation_key = ? WHERE id = ?', [subject, keyOf('monthly-general-summary', r.party, r.case_key, subject), r.id]);
    }
  }
}
