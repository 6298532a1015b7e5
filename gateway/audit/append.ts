import type { EntityManager } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { AuditEntryEntity, AuditHeadEntity, type AuditEntryRow } from '../store/entities/audit-entry';
import { isSqlite } from '../store/dialect';
import { insertRows } from '../store/insert-rows';
import { auditEntryHashOfCanonical, canonicalJson } from './canonical';

/** The kinds of audit entry the gateway writes; others may be added, following the same pattern. */
export const AUDIT_KINDS = ['accept', 'reject', 'delivery', 'acknowledgement', 'fall-back', 'park', 'redrive', 'admin'] as const;

/** What happened, by whom, about what: the caller's part of an audit entry. */
export interface AuditEvent {
  /** accept, reject, delivery, acknowledgement, … (lower-case words joined by `-`, at most 32). */
  readonly kind: string;
  /** Who did it: an institution code, `mmgw`, an operator (at most 64). */
  readonly actor: string;
  /** What it is about, usually a message id (at most 191). */
  readonly subject: string;
  /** Facts worth keeping (reason codes, recipient, channel, hash …): a JSON object. */
  readonly details?: Record<string, unknown>;
}

function check(event: AuditEvent): string {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(event.kind) || event.kind.length > 32) problems.push(`kind "${event.kind}" must be lower-case words joined by "-", at most 32 characters`);
  if (event.actor === '' || event.actor.length > 64) problems.push('actor must have 1 to 64 characters');
  if (event.subject === '' || event.subject.length > 191) problems.push('subject must have 1 to 191 characters');
  const details = event.details ?? {};
  if (typeof details !== 'object' || details === null || Array.isArray(details)) problems.push('details must be a JSON object');
  let text = '{}';
  try {
    text = canonicalJson(details);
  } catch (e) {
    problems.push(`details: ${(e as Error).message}`);
  }
  if (problems.length > 0) throw new GatewayError('audit.bad-entry', `audit entry refused: ${problems.join('; ')}`, { problems });
  return text;
}

/**
 * Appends one entry to the audit chain inside the caller's transaction (`manager`), at `time`
 * (from the caller's clock). It locks the chain head, so concurrent appenders on MySQL take
 * turns and the chain never forks; the entry exists only if the caller's transaction commits.
 * The head stays locked until that commit: append last, just before committing.
 */
export async function appendAudit(manager: EntityManager, event: AuditEvent, time: Date): Promise<AuditEntryRow> {
  const [entry] = await appendAuditEntries(manager, [event], time);
  return entry;
}

/**
 * Appends several entries (consecutive seqs) under one lock of the head: what a transaction
 * that accepts a batch of messages uses, so the chain costs one head update per commit.
 */
export async function appendAuditEntries(manager: EntityManager, events: readonly AuditEvent[], time: Date): Promise<AuditEntryRow[]> {
  const details = events.map(check);
  // Outside a transaction the head lock would end with the SELECT, and the entries would not
  // share the fate of the change they record.
  if (!manager.queryRunner?.isTransactionActive) throw new GatewayError('audit.no-transaction', 'appendAudit must run inside the caller\'s transaction (the manager given by transaction())');
  if (events.length === 0) return [];
  const heads = manager.getRepository(AuditHeadEntity);
  const head = await heads.findOne({ where: { id: 1 }, lock: isSqlite(manager) ? undefined : { mode: 'pessimistic_write' } });
  if (head === null) throw new GatewayError('audit.chain-broken', 'the audit chain has no head row (audit_head id 1): run `mmgw migrate`', { seq: 0 });
  const at = new Date(time.getTime());
  const entries: AuditEntryRow[] = [];
  let prev = head;
  events.forEach((event, i) => {
    const fields = { seq: prev.seq + 1, time: at, kind: event.kind, actor: event.actor, subject: event.subject, details: details[i], prevHash: prev.hash };
    const entry: AuditEntryRow = { ...fields, hash: auditEntryHashOfCanonical(fields) };
    entries.push(entry);
    prev = { id: 1, seq: entry.seq, hash: entry.hash };
  });
  await insertRows(manager, AuditEntryEntity, entries);
  await heads.update({ id: 1 }, { seq: prev.seq, hash: prev.hash });
  return entries;
}
