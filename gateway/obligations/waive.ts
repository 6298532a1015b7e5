import type { EntityManager } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { appendAudit } from '../audit/append';
import { ObligationEntity, type ObligationRow } from './entities/obligation';

/**
 * Waives an open obligation (an administrator's decision, e.g. a notice sent to a unit by
 * mistake), with the reason, inside the caller's transaction and with an audit entry (kind
 * `waive`). `obligation.not-open` for an unknown or already closed one, `obligation.bad-body`
 * for an empty reason.
 */
export async function waiveObligation(manager: EntityManager, id: number, reason: string, actor: string, now: Date): Promise<ObligationRow> {
  if (reason.trim() === '' || reason.length > 500) throw new GatewayError('obligation.bad-body', 'waive: reason must be 1 to 500 characters', { field: 'reason' });
  const row = await manager.findOneBy(ObligationEntity, { id });
  if (!row || row.state !== 'open') throw new GatewayError('obligation.not-open', `obligation ${id} ${row ? `is ${row.state}` : 'does not exist'}; only an open obligation can be waived`, { id, state: row?.state ?? null });
  const changes = { state: 'waived' as const, waivedReason: reason, closedAt: now, nextAlertAt: null };
  await manager.update(ObligationEntity, { id }, changes);
  await appendAudit(manager, { kind: 'waive', actor, subject: `obligation:${id}`, details: { obligation: row.obligation, party: row.party, reason } }, now);
  return { ...row, ...changes };
}
