/**
 * Instants in raw SQL as typeorm's `datetime(3)` columns hold them on both databases: UTC text
 * `YYYY-MM-DD HH:MM:SS.mmm` (better-sqlite3 binds no Date; MySQL reads the text as is under the
 * store's `timezone: 'Z'`). Read back, SQLite gives that text and MySQL a Date.
 */
export const sqlInstant = (d: Date): string => d.toISOString().replace('T', ' ').replace('Z', '');

export function fromSqlInstant(v: Date | string | null): Date | null {
  if (v === null) return null;
  if (v instanceof Date) return v;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}
