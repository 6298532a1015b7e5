import { promises as fs } from 'node:fs';
import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { appendAuditEntries, type AuditEvent } from '../audit';
import { CaseEntity, CaseMessageEntity } from '../obligations/entities/case';
import { DeliveryEntity } from '../store/entities/delivery';
import { MessageEntity } from '../store/entities/message';
import { transaction } from '../store/transaction';
import { declaredMd5s, listSampleFiles } from './sample-files';

/** The Art. 12 default: keep content 60 days. */
export const DEFAULT_RETENTION_DAYS = 60;

/** Options of `purgeExpired`. */
export interface PurgeOptions {
  /** Keep content this many whole days after acceptance. @defaultValue 60 (Art. 12) */
  readonly days?: number;
  /** Report what would be purged and change nothing. */
  readonly dryRun?: boolean;
  /** The directory of stored sample files (`<dataDir>/samples`); absent: no sample files are looked at. */
  readonly samplesDir?: string;
  /** Who purges, for the audit. @defaultValue `mmgw` */
  readonly actor?: string;
  /** Messages purged per transaction. @defaultValue 200 */
  readonly batchSize?: number;
}

/** One message whose content was (or would be) purged: the hash stub that remains. */
export interface PurgedMessage {
  readonly id: string;
  readonly type: string;
  readonly hash: string;
  readonly size: number;
  readonly acceptedAt: string;
}

/** What a purge did (or, in a dry run, would do). */
export interface PurgeResult {
  readonly dryRun: boolean;
  readonly days: number;
  /** Content accepted before this instant is past retention. */
  readonly cutoff: string;
  readonly purged: PurgedMessage[];
  /** Past retention but kept: a message of a case under legal hold. */
  readonly held: string[];
  /** Past retention but kept: a message the gateway still has to deliver (a delivery queued or retrying). */
  readonly undelivered: string[];
  /** Sample files deleted (their `.json` facts stay as the stub): SHA-256 of each. */
  readonly samplesPurged: string[];
}

const DAY_MS = 86_400_000;

/**
 * Art. 12 retention: the content of every message accepted more than `days` days before `now`
 * (messages.bytes) is emptied, leaving the hash stub (hash, size, envelope columns), unless the
 * message belongs to a case under legal hold or still has a delivery queued or retrying; sample files declared only by purged
 * SampleReports are deleted (their facts file stays). Each purge appends an audit entry
 * (`purge`) in the same transaction as the change; audit rows themselves are never touched, so
 * `verifyAuditChain` still verifies. A dry run reports the same and changes nothing.
 */
export async function purgeExpired(ds: DataSource, now: Date, options: PurgeOptions = {}): Promise<PurgeResult> {
  const days = options.days ?? DEFAULT_RETENTION_DAYS;
  if (!Number.isSafeInteger(days) || days < 1) {
    throw new GatewayError('retention.bad-days', `days: ${String(days)} is not a whole number of days, 1 or more (Art. 12 default: ${DEFAULT_RETENTION_DAYS})`, { field: 'days', value: days, article: 'Art. 12' });
  }
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  const expired = await ds.manager.createQueryBuilder(MessageEntity, 'm')
    .select(['m.id', 'm.type', 'm.hash', 'm.size', 'm.acceptedAt'])
    .where('m.acceptedAt < :cutoff', { cutoff })
    .andWhere('LENGTH(m.bytes) > 0')
    .orderBy('m.acceptedAt', 'ASC').addOrderBy('m.id', 'ASC')
    .getMany();
  const heldIds = await heldMessageIds(ds, expired.map((m) => m.id));
  const owed = await undeliveredIds(ds, expired.map((m) => m.id));
  const purge = expired.filter((m) => !heldIds.has(m.id) && !owed.has(m.id));
  const purged: PurgedMessage[] = purge.map((m) => ({ id: m.id, type: m.type, hash: m.hash, size: m.size, acceptedAt: m.acceptedAt.toISOString() }));
  const samples = options.samplesDir === undefined ? [] : await samplesToPurge(ds, options.samplesDir, new Set(purge.filter((m) => m.type === 'SampleReport').map((m) => m.id)));
  const result: PurgeResult = { dryRun: options.dryRun === true, days, cutoff: cutoff.toISOString(), purged, held: expired.filter((m) => heldIds.has(m.id)).map((m) => m.id), undelivered: expired.filter((m) => !heldIds.has(m.id) && owed.has(m.id)).map((m) => m.id), samplesPurged: samples.map((s) => s.sha256) };
  if (options.dryRun) return result;
  const actor = options.actor ?? 'mmgw';
  const size = options.batchSize ?? 200;
  for (let i = 0; i < purged.length; i += size) {
    const candidates = purged.slice(i, i + size);
    await transaction(ds, async (m) => {
      // Only rows still holding content: a concurrent purge does not record a message twice.
      const still = await m.createQueryBuilder(MessageEntity, 'm').select(['m.id']).where({ id: In(candidates.map((p) => p.id)) }).andWhere('LENGTH(m.bytes) > 0').getMany();
      const ids = new Set(still.map((r) => r.id));
      const batch = candidates.filter((p) => ids.has(p.id));
      if (batch.length === 0) return;
      await m.update(MessageEntity, { id: In(batch.map((p) => p.id)) }, { bytes: Buffer.alloc(0) });
      const events: AuditEvent[] = batch.map((p) => ({ kind: 'purge', actor, subject: p.id, details: { article: 'Art. 12', days, cutoff: result.cutoff, hash: p.hash, size: p.size, type: p.type } }));
      await appendAuditEntries(m, events, now);
    });
  }
  for (const s of samples) {
    await transaction(ds, async (m) => {
      await appendAuditEntries(m, [{ kind: 'purge', actor, subject: `sample:${s.sha256}`, details: { article: 'Art. 12', days, cutoff: result.cutoff, sha256: s.sha256, md5: s.md5, size: s.size } }], now);
      await fs.rm(s.file, { force: true }); // a failure rolls the audit entry back
    });
  }
  return result;
}

/** Of `ids`, the messages with a delivery still queued or retrying: the gateway owes their bytes to a recipient. */
async function undeliveredIds(ds: DataSource, ids: readonly string[]): Promise<Set<string>> {
  const owed = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ds.manager.find(DeliveryEntity, { where: { messageId: In(ids.slice(i, i + 500)), status: In(['queued', 'retrying']) }, select: { messageId: true } });
    for (const r of rows) owed.add(r.messageId);
  }
  return owed;
}

/** Of `ids`, those belonging to a case under legal hold. */
async function heldMessageIds(ds: DataSource, ids: readonly string[]): Promise<Set<string>> {
  const held = new Set<string>();
  if (ids.length === 0) return held;
  const cases = await ds.manager.find(CaseEntity, { where: { legalHold: true }, select: { key: true } });
  if (cases.length === 0) return held;
  const links = await ds.manager.find(CaseMessageEntity, { where: { caseKey: In(cases.map((c) => c.key)) }, select: { messageId: true } });
  const wanted = new Set(ids);
  for (const l of links) if (wanted.has(l.messageId)) held.add(l.messageId);
  return held;
}

/** The sample files declared by a SampleReport being purged and by no SampleReport that keeps its content. */
async function samplesToPurge(ds: DataSource, dir: string, purging: ReadonlySet<string>) {
  const files = await listSampleFiles(dir);
  if (files.length === 0 || purging.size === 0) return [];
  const reports = await ds.manager.find(MessageEntity, { where: { type: 'SampleReport' }, select: { id: true, bytes: true } });
  const released = new Set<string>();
  const kept = new Set<string>();
  for (const r of reports) for (const md5 of declaredMd5s(r.bytes)) (purging.has(r.id) ? released : kept).add(md5);
  return files.filter((f) => released.has(f.md5) && !kept.has(f.md5));
}
