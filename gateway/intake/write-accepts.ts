import type { EntityManager, EntitySchema } from 'typeorm';
import { appendAuditEntries, type AuditEvent } from '../audit/append';
import type { AcceptedMessage, CoreHooks } from '../obligations/hooks';
import { recordSampleReporters } from '../registry/sample-reporters';
import { MessageEntity, type MessageRow } from '../store/entities/message';
import { ReceiptEntity, type ReceiptRow } from '../store/entities/receipt';
import { writeOutbox, type OutboxMessage } from '../store/outbox';

/** Everything one accepted message writes, prepared before its transaction. */
export interface AcceptRows {
  readonly message: MessageRow;
  readonly receipt: ReceiptRow;
  readonly accepted: AcceptedMessage;
  readonly outbox: OutboxMessage;
  readonly audit: AuditEvent;
  readonly now: Date;
}

/** Rows per INSERT statement, and bytes: well under MySQL's max_allowed_packet (16 MiB by default). */
const MAX_ROWS = 100;
const MAX_BYTES = 8 * 1024 * 1024;

async function insertChunked<R extends object>(m: EntityManager, entity: EntitySchema<R>, rows: readonly R[], size: (r: R) => number): Promise<void> {
  let chunk: R[] = [];
  let bytes = 0;
  for (const r of rows) {
    if (chunk.length > 0 && (chunk.length >= MAX_ROWS || bytes + size(r) > MAX_BYTES)) {
      await m.insert(entity, chunk as never);
      chunk = [];
      bytes = 0;
    }
    chunk.push(r);
    bytes += size(r);
  }
  if (chunk.length > 0) await m.insert(entity, chunk as never);
}

/**
 * Writes the accepts of one batch in the caller's transaction: the messages and their Receipts
 * (a few multi-row INSERTs), the sample reporters, the obligations hook per message, the outbox
 * rows and the audit entries (one head lock for the batch), in arrival order.
 */
export function acceptWriter(hooks: CoreHooks): (m: EntityManager, items: readonly AcceptRows[]) => Promise<void> {
  return async (m, items) => {
    const now = items.reduce((t, i) => (i.now > t ? i.now : t), items[0]!.now);
    await insertChunked(m, MessageEntity, items.map((i) => i.message), (r) => r.size);
    await insertChunked(m, ReceiptEntity, items.map((i) => i.receipt), (r) => r.bytes.length);
    for (const i of items) {
      await recordSampleReporters(m, i.accepted, i.now);
      await hooks.onMessageAccepted(m, i.accepted, i.now);
    }
    await writeOutbox(m, items.map((i) => i.outbox), now);
    await appendAuditEntries(m, items.map((i) => i.audit), now);
  };
}
