import type { EntityManager } from 'typeorm';
import { appendAuditEntries, type AuditEvent } from '../audit/append';
import type { AcceptedMessage, CoreHooks } from '../obligations/hooks';
import { recordSampleReporters } from '../registry/sample-reporters';
import { MessageEntity, type MessageRow } from '../store/entities/message';
import { ReceiptEntity, type ReceiptRow } from '../store/entities/receipt';
import { insertRows } from '../store/insert-rows';
import { writeOutboxRows, type OutboxMessage } from '../store/outbox';

/** Everything one accepted message writes, prepared before its transaction. */
export interface AcceptRows {
  readonly message: MessageRow;
  readonly receipt: ReceiptRow;
  readonly accepted: AcceptedMessage;
  readonly outbox: OutboxMessage;
  readonly audit: AuditEvent;
  readonly now: Date;
}

/**
 * Writes the accepts of one batch in the caller's transaction, in arrival order: the messages
 * and their Receipts (multi-row INSERTs: insertRows, at most 100 rows or 8 MiB of bytes per
 * statement), the sample reporters, the obligations hook for the whole batch (onMessagesAccepted;
 * onMessageAccepted per message when the hooks have no batch form), the outbox rows (multi-row)
 * and the audit entries (one head lock for the batch).
 */
export function acceptWriter(hooks: CoreHooks): (m: EntityManager, items: readonly AcceptRows[]) => Promise<void> {
  return async (m, items) => {
    const now = items.reduce((t, i) => (i.now > t ? i.now : t), items[0]!.now);
    await insertRows(m, MessageEntity, items.map((i) => i.message));
    await insertRows(m, ReceiptEntity, items.map((i) => i.receipt));
    for (const i of items) await recordSampleReporters(m, i.accepted, i.now);
    if (hooks.onMessagesAccepted) await hooks.onMessagesAccepted(m, items.map((i) => ({ accepted: i.accepted, now: i.now })));
    else for (const i of items) await hooks.onMessageAccepted(m, i.accepted, i.now);
    await writeOutboxRows(m, items.map((i) => i.outbox), now);
    await appendAuditEntries(m, items.map((i) => i.audit), now);
  };
}
