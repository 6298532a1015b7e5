import { In, type EntityManager } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { isSqlite } from '../store/dialect';
import { DeliveryEntity, type DeliveryRow } from '../store/entities/delivery';
import { MessageEntity } from '../store/entities/message';
import { CaseEntity, CaseMessageEntity, type CaseKind, type CaseMessageRow, type CaseRow } from './entities/case';
import { ObligationEntity, type ObligationRow } from './entities/obligation';
import type { AcceptedMessage } from './hooks';

/** The case a task number names; throws `obligation.unknown-task` (the message is refused) when none does. */
export async function caseByTaskNumber(manager: EntityManager, taskNumber: string, accepted?: AcceptedMessage): Promise<CaseRow> {
  const found = await manager.findOneBy(CaseEntity, { taskNumber });
  if (found) return found;
  const what = accepted ? `${accepted.type} ${accepted.id} names task number ${taskNumber}` : `task number ${taskNumber}`;
  throw new GatewayError('obligation.unknown-task', `${what}, which no IncidentNotice (or SampleIdentification) of this gateway opened`, { field: 'taskNumber', taskNumber, ...(accepted ? { messageId: accepted.id, form: accepted.type } : {}) });
}

/** The case a message belongs to, if any. */
export async function caseOfMessage(manager: EntityManager, messageId: string): Promise<{ case: CaseRow; message: CaseMessageRow } | undefined> {
  const message = await manager.findOneBy(CaseMessageEntity, { messageId });
  if (!message) return undefined;
  const found = await manager.findOneBy(CaseEntity, { key: message.caseKey });
  return found ? { case: found, message } : undefined;
}

/** Opens a case keyed by the message that starts it (idempotent). */
export async function openCase(manager: EntityManager, key: string, kind: CaseKind, level: string | null, provinces: readonly string[], now: Date, taskNumber: string | null = null): Promise<CaseRow> {
  const existing = await manager.findOneBy(CaseEntity, { key });
  if (existing) return existing;
  const row: CaseRow = { key, taskNumber, kind, level, provinces: [...provinces], parties: [], legalHold: false, levelHistory: level ? [{ from: null, to: level, at: now.toISOString(), messageId: key }] : [], openedAt: now, updatedAt: now };
  await manager.insert(CaseEntity, row);
  return row;
}

/** Gives a case its task number (from the IncidentNotice or SampleIdentification that assigns it). */
export async function assignTaskNumber(manager: EntityManager, c: CaseRow, taskNumber: string, accepted: AcceptedMessage): Promise<CaseRow> {
  if (c.taskNumber === taskNumber) return c;
  const other = await manager.findOneBy(CaseEntity, { taskNumber });
  if (c.taskNumber !== null || other) {
    throw new GatewayError('obligation.unknown-task', `${accepted.type} ${accepted.id}: task number ${taskNumber} does not match the case it answers (${c.taskNumber ?? other?.key ?? '?'})`, { field: 'taskNumber', taskNumber, messageId: accepted.id });
  }
  await manager.update(CaseEntity, { key: c.key }, { taskNumber });
  return { ...c, taskNumber };
}

/** Records a message as part of a case: its parties and provinces join the case's. */
export async function attachMessage(manager: EntityManager, c0: CaseRow, accepted: AcceptedMessage, level: string | null, provinces: readonly string[], now: Date): Promise<CaseRow> {
  // Re-read the case under a row lock: concurrent messages of one case must not lose each other's parties.
  const qb = manager.createQueryBuilder(CaseEntity, 'c').where('c.key = :key', { key: c0.key });
  if (!isSqlite(manager)) qb.setLock('pessimistic_write');
  const c = (await qb.getOne()) ?? c0;
  if (!(await manager.findOneBy(CaseMessageEntity, { caseKey: c.key, messageId: accepted.id }))) {
    await manager.insert(CaseMessageEntity, { caseKey: c.key, messageId: accepted.id, type: accepted.type, fromCode: accepted.from, level, acceptedAt: accepted.receivedAt });
  }
  const parties = [...new Set([...c.parties, accepted.from, ...accepted.to, ...accepted.cc])];
  const allProvinces = [...new Set([...c.provinces, ...provinces])];
  await manager.update(CaseEntity, { key: c.key }, { parties, provinces: allProvinces, updatedAt: now });
  return { ...c, parties, provinces: allProvinces, updatedAt: now };
}

/** Everything of a case its parties may see. */
export interface CaseView {
  readonly case: CaseRow;
  readonly messages: ReadonlyArray<{ id: string; type: string; from: string; to: string[]; cc: string[]; sentAt: Date; acceptedAt: Date; level: string | null }>;
  readonly deliveries: readonly DeliveryRow[];
  readonly obligations: readonly ObligationRow[];
}

/**
 * Every message, delivery and obligation of the case with this task number (or case key), for
 * a party of the case only: `obligation.unknown-case`, `obligation.not-a-party`.
 */
export async function caseView(manager: EntityManager, taskNumber: string, caller: string): Promise<CaseView> {
  const c = (await manager.findOneBy(CaseEntity, { taskNumber })) ?? (await manager.findOneBy(CaseEntity, { key: taskNumber }));
  if (!c) throw new GatewayError('obligation.unknown-case', `no case has task number ${taskNumber}`, { taskNumber });
  if (!c.parties.includes(caller)) throw new GatewayError('obligation.not-a-party', `${caller} is not a party of case ${taskNumber}; only its parties may see it`, { taskNumber, caller });
  const links = await manager.find(CaseMessageEntity, { where: { caseKey: c.key }, order: { acceptedAt: 'ASC' } });
  const ids = links.map((l) => l.messageId);
  const stored = ids.length ? await manager.find(MessageEntity, { where: { id: In(ids) }, select: { id: true, type: true, fromCode: true, toCodes: true, ccCodes: true, sentAt: true, acceptedAt: true } }) : [];
  const byId = new Map(stored.map((m) => [m.id, m]));
  const messages = links.map((l) => {
    const m = byId.get(l.messageId);
    return { id: l.messageId, type: l.type, from: l.fromCode, to: m?.toCodes ?? [], cc: m?.ccCodes ?? [], sentAt: m?.sentAt ?? l.acceptedAt, acceptedAt: l.acceptedAt, level: l.level };
  });
  const deliveries = ids.length ? await manager.find(DeliveryEntity, { where: { messageId: In(ids) }, order: { id: 'ASC' } }) : [];
  const obligations = await manager.find(ObligationEntity, { where: { caseKey: c.key }, order: { id: 'ASC' } });
  return { case: c, messages, deliveries, obligations };
}
