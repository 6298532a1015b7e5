import type { DataSource, EntityManager } from 'typeorm';
import { MoreThan } from 'typeorm';
import { AuditEntryEntity, AuditHeadEntity, type AuditEntryRow } from '../store/entities/audit-entry';
import { auditEntryHash, GENESIS_HASH } from './canonical';

/** The outcome of verifying the audit chain. */
export type AuditVerification =
  | { readonly ok: true; readonly count: number; readonly head: { readonly seq: number; readonly hash: string } }
  | { readonly ok: false; readonly code: 'audit.chain-broken'; readonly seq: number; readonly reason: string; readonly checked: number };

/** Options of `verifyAuditChain`. */
export interface VerifyOptions {
  /**
   * A head recorded elsewhere earlier (printed by a previous verify, kept off this database):
   * the chain must still hold this seq with this hash, which catches a chain rewritten whole.
   */
  readonly anchor?: { readonly seq: number; readonly hash: string };
  /**
   * Entries read per query.
   * @defaultValue 1000
   */
  readonly batchSize?: number;
}

function recomputed(entry: AuditEntryRow): string | undefined {
  try {
    return auditEntryHash(entry);
  } catch {
    return undefined; // details no longer parse as JSON
  }
}

/**
 * Walks the audit chain from seq 1 and reports the first entry that was edited (its hash no
 * longer matches its content), inserted (it breaks the link to the entry before) or deleted (a
 * gap in seq, a broken link, or entries missing from the end compared with the chain head).
 */
export async function verifyAuditChain(source: DataSource | EntityManager, options: VerifyOptions = {}): Promise<AuditVerification> {
  const manager = 'manager' in source ? source.manager : source;
  const repo = manager.getRepository(AuditEntryEntity);
  const batchSize = options.batchSize ?? 1000;
  let prev: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  const broken = (seq: number, reason: string): AuditVerification => ({ ok: false, code: 'audit.chain-broken', seq, reason, checked });
  for (;;) {
    const batch = await repo.find({ where: { seq: MoreThan(prev.seq) }, order: { seq: 'ASC' }, take: batchSize });
    for (const entry of batch) {
      if (entry.seq !== prev.seq + 1) {
        return broken(prev.seq + 1, `seq ${prev.seq + 1}${entry.seq > prev.seq + 2 ? `–${entry.seq - 1}` : ''} is missing (deleted): seq ${entry.seq} follows seq ${prev.seq}`);
      }
      if (entry.prevHash !== prev.hash) {
        return broken(entry.seq, `its prevHash does not match the hash of ${prev.seq === 0 ? 'the genesis' : `seq ${prev.seq}`}: an entry was inserted or deleted before it, or its link was edited`);
      }
      const hash = recomputed(entry);
      if (hash !== entry.hash) {
        return broken(entry.seq, hash === undefined ? 'its details are not JSON any more: it was edited' : 'its content does not match its hash: it was edited');
      }
      if (options.anchor && entry.seq === options.anchor.seq && entry.hash !== options.anchor.hash) {
        return broken(entry.seq, 'its hash differs from the anchor recorded earlier: the chain was rewritten from here or before');
      }
      prev = { seq: entry.seq, hash: entry.hash };
      checked += 1;
    }
    if (batch.length < batchSize) break;
  }
  const head = await manager.getRepository(AuditHeadEntity).findOneBy({ id: 1 });
  if (head === null) return broken(prev.seq + 1, 'the chain head (audit_head) is missing');
  if (head.seq > prev.seq) return broken(prev.seq + 1, `the chain ends at seq ${prev.seq} but its head records seq ${head.seq}: entries were deleted from the end`);
  if (head.seq !== prev.seq || head.hash !== prev.hash) return broken(prev.seq, `the chain head records seq ${head.seq} with another hash than the last entry (seq ${prev.seq}): the chain or its head was edited`);
  if (options.anchor && options.anchor.seq > prev.seq) return broken(prev.seq + 1, `the anchor names seq ${options.anchor.seq} but the chain ends at seq ${prev.seq}: entries were deleted`);
  return { ok: true, count: checked, head: prev };
}
