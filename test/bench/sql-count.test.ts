import { statementKind } from '../../bench/e2e/sql-count';

describe('bench: statementKind (BENCH_SQL_COUNT)', () => {
  it('names a statement by its verb and first table', () => {
    expect(statementKind('SELECT `o`.`id` AS `o_id` FROM `obligations` `o` WHERE `o`.`state` = ?')).toBe('SELECT obligations');
    expect(statementKind('INSERT INTO `outbox`(`id`, `topic`) VALUES (DEFAULT, ?), (DEFAULT, ?)')).toBe('INSERT outbox');
    expect(statementKind('UPDATE `audit_head` SET `seq` = ? WHERE `id` IN (?)')).toBe('UPDATE audit_head');
    expect(statementKind('DELETE FROM "outbox" WHERE "id" IN (?)')).toBe('DELETE outbox');
  });

  it('names a statement without a table by its beginning', () => {
    expect(statementKind('START TRANSACTION')).toBe('START TRANSACTION');
    expect(statementKind('  commit ')).toBe('COMMIT');
  });
});
