import type { DataSource } from 'typeorm';
import type { MailFolder, UidCursor, UidCursorStore } from './ports';

interface CursorRow {
  uid_validity: string;
  last_uid: number | string;
  pending_uid: number | string | null;
  pending_folder: string | null;
}

const FOLDERS: readonly MailFolder[] = ['processed', 'rejected', 'quarantine'];

/** The durable UID cursor: one row per mailbox in `email_cursors` (migration 1764381600000), on MySQL / MariaDB and SQLite. */
export function storeCursor(ds: DataSource): UidCursorStore {
  return {
    async load(mailbox) {
      const rows = (await ds.query('SELECT uid_validity, last_uid, pending_uid, pending_folder FROM email_cursors WHERE mailbox = ?', [mailbox])) as CursorRow[];
      const row = rows[0];
      if (row === undefined) return undefined;
      const folder = FOLDERS.find((f) => f === row.pending_folder);
      const cursor: UidCursor = { uidValidity: row.uid_validity, lastUid: Number(row.last_uid) };
      return row.pending_uid === null || folder === undefined ? cursor : { ...cursor, pendingMove: { uid: Number(row.pending_uid), folder } };
    },
    async save(mailbox, cursor) {
      const values = [cursor.uidValidity, cursor.lastUid, cursor.pendingMove?.uid ?? null, cursor.pendingMove?.folder ?? null];
      await ds.transaction(async (m) => {
        const found = (await m.query('SELECT mailbox FROM email_cursors WHERE mailbox = ?', [mailbox])) as unknown[];
        if (found.length > 0) await m.query('UPDATE email_cursors SET uid_validity = ?, last_uid = ?, pending_uid = ?, pending_folder = ? WHERE mailbox = ?', [...values, mailbox]);
        else await m.query('INSERT INTO email_cursors (uid_validity, last_uid, pending_uid, pending_folder, mailbox) VALUES (?, ?, ?, ?, ?)', [...values, mailbox]);
      });
    },
  };
}
