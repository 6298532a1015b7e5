import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { createPool } from 'mysql2/promise';
import { readCpu, splitCpu, type CpuSplit } from './process-cpu';

/** How long each baseline runs (s). */
export const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS ?? 3);

/** A baseline's rate, and where the machine's CPU went while it ran (absent without /proc): the bench is the client. */
export interface Baseline {
  readonly perSecond: number;
  readonly count: number;
  readonly cpu?: CpuSplit;
}

/** Runs `loop` (which returns how many it did) between two CPU readings. */
async function measured(loop: () => Promise<number> | number): Promise<Baseline> {
  const before = readCpu();
  const start = process.hrtime.bigint();
  const count = await loop();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const after = readCpu();
  const cpu = before && after ? splitCpu(before, after, new Set(), process.pid) : undefined;
  return { perSecond: count / seconds, count, ...(cpu ? { cpu } : {}) };
}

/** The rows a baseline transaction writes: a message-like row with a ~2 KB blob and an event row. */
function row(i: number, blob: Buffer) {
  return { id: `bench-${i}-${randomBytes(4).toString('hex')}`, hash: randomBytes(32).toString('hex'), blob, at: new Date() };
}

/**
 * Raw durable MariaDB transactions through mysql2 on the bench's own database (`url`):
 * `connections` clients each run BEGIN; INSERT message row (~2 KB blob); INSERT event row;
 * COMMIT, back to back for `seconds`. Committed transactions per second; the server's
 * durability settings are left as they are.
 */
export async function mariadbTxnPerSecond(url: string, blob: Buffer, connections = 32, seconds = BASELINE_SECONDS): Promise<Baseline> {
  const u = new URL(url);
  const pool = createPool({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), database: u.pathname.slice(1), connectionLimit: connections });
  try {
    await pool.query('CREATE TABLE bench_message (id VARCHAR(96) PRIMARY KEY, hash CHAR(64) NOT NULL, body MEDIUMBLOB NOT NULL, created_at DATETIME(3) NOT NULL) ENGINE=InnoDB');
    await pool.query('CREATE TABLE bench_event (id BIGINT AUTO_INCREMENT PRIMARY KEY, message_id VARCHAR(96) NOT NULL, kind VARCHAR(32) NOT NULL, at DATETIME(3) NOT NULL, KEY (message_id)) ENGINE=InnoDB');
    let n = 0;
    let done = 0;
    return await measured(async () => {
      const end = Date.now() + seconds * 1000;
      await Promise.all(Array.from({ length: connections }, async () => {
        const c = await pool.getConnection();
        try {
          while (Date.now() < end) {
            const r = row(n++, blob);
            await c.query('BEGIN');
            await c.execute('INSERT INTO bench_message (id, hash, body, created_at) VALUES (?, ?, ?, ?)', [r.id, r.hash, r.blob, r.at]);
            await c.execute('INSERT INTO bench_event (message_id, kind, at) VALUES (?, ?, ?)', [r.id, 'accepted', r.at]);
            await c.query('COMMIT');
            done += 1;
          }
        } finally {
          c.release();
        }
      }));
      return done;
    });
  } finally {
    await pool.end();
  }
}

/** The same two-row transactions through better-sqlite3 on a file at `file` (WAL, synchronous FULL: the gateway's settings). */
export async function sqliteTxnPerSecond(file: string, blob: Buffer, seconds = BASELINE_SECONDS): Promise<Baseline> {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE bench_message (id TEXT PRIMARY KEY, hash TEXT NOT NULL, body BLOB NOT NULL, created_at TEXT NOT NULL)');
    db.exec('CREATE TABLE bench_event (id INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL)');
    const insMessage = db.prepare('INSERT INTO bench_message (id, hash, body, created_at) VALUES (?, ?, ?, ?)');
    const insEvent = db.prepare('INSERT INTO bench_event (message_id, kind, at) VALUES (?, ?, ?)');
    const txn = db.transaction((r: ReturnType<typeof row>) => {
      insMessage.run(r.id, r.hash, r.blob, r.at.toISOString());
      insEvent.run(r.id, 'accepted', r.at.toISOString());
    });
    return await measured(() => {
      const end = Date.now() + seconds * 1000;
      let done = 0;
      while (Date.now() < end) txn(row(done++, blob));
      return done;
    });
  } finally {
    db.close();
  }
}
