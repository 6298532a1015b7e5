import { EntitySchema } from 'typeorm';
import { bigintAsNumber, instant } from './columns';

/** One entry of the append-only, hash-chained audit log (gateway/audit). */
export interface AuditEntryRow {
  /** 1, 2, 3 … without gaps. */
  seq: number;
  time: Date;
  /** What happened: accept, reject, delivery, acknowledgement, … */
  kind: string;
  /** Who did it (an institution code, `mmgw`, an operator). */
  actor: string;
  /** What it is about (usually a message id). */
  subject: string;
  /** The details, as canonical JSON text (sorted keys, no spaces). */
  details: string;
  /** The previous entry's hash (64 zeros for seq 1). */
  prevHash: string;
  /** SHA-256 over the canonical serialisation of this entry (gateway/audit/canonical.ts). */
  hash: string;
}

export const AuditEntryEntity = new EntitySchema<AuditEntryRow>({
  name: 'AuditEntry',
  tableName: 'audit_entries',
  columns: {
    seq: { type: 'bigint', primary: true, transformer: bigintAsNumber },
    time: { ...instant },
    kind: { type: 'varchar', length: 32 },
    actor: { type: 'varchar', length: 64 },
    subject: { type: 'varchar', length: 191 },
    details: { type: 'text' },
    prevHash: { type: 'varchar', length: 64, name: 'prev_hash' },
    hash: { type: 'varchar', length: 64 },
  },
});

/**
 * The head of the audit chain: one row (id 1) holding the last seq and hash. Appenders lock it
 * (SELECT … FOR UPDATE) so concurrent gateway processes append one after the other, and it
 * lets verification notice entries deleted from the end of the chain.
 */
export interface AuditHeadRow {
  id: number;
  seq: number;
  hash: string;
}

export const AuditHeadEntity = new EntitySchema<AuditHeadRow>({
  name: 'AuditHead',
  tableName: 'audit_head',
  columns: {
    id: { type: 'int', primary: true },
    seq: { type: 'bigint', transformer: bigintAsNumber },
    hash: { type: 'varchar', length: 64 },
  },
});
