import type { DataSource } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { appendAudit } from '../audit';
import { CaseEntity, type CaseRow } from '../obligations/entities/case';
import { isSqlite } from '../store/dialect';
import { transaction } from '../store/transaction';

/**
 * Puts a case (named by its task number or its key) under legal hold, or releases it: while
 * held, `purgeExpired` keeps the content of its messages past the retention period (Art. 12).
 * The change is audited (`legal-hold`) in the same transaction. `obligation.unknown-case` when no
 * case matches.
 */
export async function setLegalHold(ds: DataSource, caseRef: string, hold: boolean, actor: string, now: Date): Promise<CaseRow> {
  return transaction(ds, async (m) => {
    const lock = isSqlite(m) ? {} : { lock: { mode: 'pessimistic_write' as const } };
    const found = (await m.findOne(CaseEntity, { where: { taskNumber: caseRef }, ...lock })) ?? (await m.findOne(CaseEntity, { where: { key: caseRef }, ...lock }));
    if (found === null) throw new GatewayError('obligation.unknown-case', `no case has the task number or key "${caseRef}"`, { field: 'case', value: caseRef, article: 'Art. 12' });
    await m.update(CaseEntity, { key: found.key }, { legalHold: hold });
    await appendAudit(m, { kind: 'legal-hold', actor, subject: found.key, details: { hold, taskNumber: found.taskNumber, article: 'Art. 12' } }, now);
    return { ...found, legalHold: hold };
  });
}
