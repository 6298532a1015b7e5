import type { QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * Column definitions that mean the same on MySQL / MariaDB and SQLite, so one migration runs on
 * both: large binary and text types differ (MySQL's BLOB and TEXT stop at 64 KiB), and so does
 * an auto-increment key (SQLite wants INTEGER PRIMARY KEY AUTOINCREMENT).
 */
export function columnTypes(queryRunner: QueryRunner) {
  const mysql = queryRunner.connection.driver.options.type === 'mysql' || queryRunner.connection.driver.options.type === 'mariadb';
  return {
    /** A string column of at most `length` characters. */
    varchar: (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable }),
    /** An instant with millisecond precision (stored in UTC). */
    instant: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable }),
    /** Bytes of any size up to what the gateway accepts. */
    bytes: (name: string): TableColumnOptions => ({ name, type: mysql ? 'longblob' : 'blob' }),
    /** Text of any size (JSON, PEM). */
    text: (name: string): TableColumnOptions => ({ name, type: mysql ? 'mediumtext' : 'text' }),
    int: (name: string, defaultValue?: number): TableColumnOptions => ({ name, type: 'int', default: defaultValue }),
    bigint: (name: string): TableColumnOptions => ({ name, type: 'bigint' }),
    /** An auto-increment primary key. */
    serial: (name: string): TableColumnOptions => ({ name, type: mysql ? 'bigint' : 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' }),
  };
}
