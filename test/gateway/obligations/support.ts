import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { openStore, transaction } from '../../../gateway/store';
import { MessageEntity } from '../../../gateway/store/entities/message';
import { migrations } from '../../../migrations';
import { obligationHooks, type AcceptedMessage, type CoreHooks } from '../../../gateway/obligations/hooks';
import { ObligationEntity, type ObligationRow, type ObligationState } from '../../../gateway/obligations/entities';
import type { ObligationOptions } from '../../../gateway/obligations/options';

interface Example {
  id: string;
  type: string;
  from: string;
  to: string[];
  cc?: string[];
  sentAt: string;
  references?: { taskNumber?: string; inReplyTo?: string };
  body: Record<string, unknown>;
}

/** A contracts example (contracts/examples/<name>.json) as parsed JSON. */
export function example(name: string): Example {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '../../../contracts/examples', `${name}.json`), 'utf8')) as Example;
}

/** What a test changes in an example before it is accepted. */
export interface Change {
  id?: string;
  from?: string;
  to?: string[];
  cc?: string[];
  taskNumber?: string | null;
  inReplyTo?: string | null;
  body?: Record<string, unknown>;
}

/** The AcceptedMessage intake would hand the hooks for a contracts example, accepted at `receivedAt`. */
export function accepted(name: string, receivedAt: string, change: Change = {}): AcceptedMessage {
  const e = example(name);
  return {
    id: change.id ?? e.id,
    type: e.type,
    from: change.from ?? e.from,
    to: change.to ?? e.to,
    cc: change.cc ?? e.cc ?? [],
    sentAt: new Date(e.sentAt),
    taskNumber: change.taskNumber === undefined ? e.references?.taskNumber ?? null : change.taskNumber,
    inReplyTo: change.inReplyTo === undefined ? e.references?.inReplyTo ?? null : change.inReplyTo,
    body: { ...e.body, ...(change.body ?? {}) },
    receivedAt: new Date(receivedAt),
  };
}

/** Inserts the `messages` row intake would have written. */
export async function storeMessage(manager: EntityManager, a: AcceptedMessage): Promise<void> {
  const bytes = Buffer.from(JSON.stringify(a));
  await manager.insert(MessageEntity, {
    id: a.id, type: a.type, version: '1.0', fromCode: a.from, toCodes: [...a.to], ccCodes: [...a.cc], sentAt: a.sentAt, taskNumber: a.taskNumber,
    inReplyTo: a.inReplyTo, format: 'json', bytes, hash: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, acceptedAt: a.receivedAt,
  });
}

/** Which obligations to find. */
export interface Where { obligation?: string; party?: string; state?: ObligationState; subject?: string; caseKey?: string }

/** A migrated store in a temporary SQLite file and the real hooks. */
export interface Fixture {
  ds: DataSource;
  hooks: CoreHooks;
  /** Accepts a message as intake does: messages row + hook in one transaction. */
  accept(a: AcceptedMessage): Promise<void>;
  /** Acknowledges the delivery of `messageId` to `recipient` at `at`. */
  ack(messageId: string, recipient: string, at: string): Promise<void>;
  obligations(where?: Where): Promise<ObligationRow[]>;
  one(where: Where): Promise<ObligationRow>;
  /** Row counts of every table the hooks write. */
  counts(): Promise<Record<string, number>>;
}

/** Opens a fresh SQLite store per test file (or the given URL) with the real hooks. */
export function useFixture(options: ObligationOptions = {}, url?: () => string): Fixture {
  let dir = '';
  const f = {} as Fixture;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-obl-'));
    f.ds = await openStore(url ? url() : `sqlite:${path.join(dir, 'mmgw.sqlite')}`, { migrations });
    await f.ds.runMigrations();
    f.hooks = obligationHooks(options);
  });
  afterAll(async () => {
    if (f.ds?.isInitialized) await f.ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  f.accept = (a) => transaction(f.ds, async (m) => {
    await storeMessage(m, a);
    await f.hooks.onMessageAccepted(m, a, a.receivedAt);
  });
  f.ack = (messageId, recipient, at) => transaction(f.ds, (m) => f.hooks.onDeliveryAcknowledged(m, { messageId, deliveryId: `dlv-${recipient}`, recipientCode: recipient, acknowledgedAt: new Date(at) }, new Date(at)));
  f.obligations = (where = {}) => f.ds.manager.find(ObligationEntity, { where, order: { id: 'ASC' } });
  f.one = async (where) => {
    const rows = await f.ds.manager.find(ObligationEntity, { where });
    if (rows.length !== 1) throw new Error(`expected one obligation ${JSON.stringify(where)}, found ${rows.length}: ${rows.map((r) => r.key).join(', ')}`);
    return rows[0] as ObligationRow;
  };
  f.counts = async () => {
    const out: Record<string, number> = {};
    for (const table of ['messages', 'obligations', 'cases', 'case_messages', 'outbox', 'audit_entries', 'special_periods', 'dedupe']) {
      const [row] = (await f.ds.query(`SELECT COUNT(*) AS n FROM ${table}`)) as Array<{ n: number | string }>;
      out[table] = Number(row?.n);
    }
    return out;
  };
  return f;
}

/** An ISO instant written in Beijing time (e.g. `2026-11-28T09:20`). */
export const bj = (local: string): string => `${local}:00+08:00`;
/** The ISO string of a stored instant. */
export const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
