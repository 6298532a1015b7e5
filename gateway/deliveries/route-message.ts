import { In, type DataSource } from 'typeorm';
import { appendAuditEntries } from '../audit/append';
import type { BusMessage } from '../bus/port';
import { PermanentError } from '../bus/permanent-error';
import { claimOnce } from '../store/dedupe';
import { DeliveryEntity, type DeliveryRow } from '../store/entities/delivery';
import { InstitutionEntity } from '../store/entities/institution';
import { MessageEntity } from '../store/entities/message';
import { transaction } from '../store/transaction';
import { deliveryChannels } from './channels';
import { readJob } from './job';
import { openDelivery } from './open-delivery';
import type { DeliveryContext } from './options';
import { DELIVERY_QUEUES } from './topology';

/** The recipients of a message, `to` then `cc`, each once (a code in both counts as `to`). */
export function recipientsOf(message: { toCodes: readonly string[]; ccCodes: readonly string[] }): { code: string; role: 'to' | 'cc' }[] {
  const out: { code: string; role: 'to' | 'cc' }[] = [];
  for (const code of message.toCodes) if (!out.some((r) => r.code === code)) out.push({ code, role: 'to' });
  for (const code of message.ccCodes) if (!out.some((r) => r.code === code)) out.push({ code, role: 'cc' });
  return out;
}

/**
 * The routing worker's handler for `message.accepted.*` (seam 1): creates ONE delivery per
 * recipient (to ∪ cc of the stored message) on the recipient's first channel, with its audit
 * entries and channel jobs, in one transaction. A redelivered bus message is recognised by its
 * id in the dedupe table and creates nothing (the unique key message/recipient/channel backs
 * that up). Returns the deliveries created.
 */
export async function routeAcceptedMessage(dataSource: DataSource, job: BusMessage, ctx: DeliveryContext): Promise<DeliveryRow[]> {
  const messageId = readJob(job.payload, 'messageId', DELIVERY_QUEUES.routing);
  const now = ctx.clock.now();
  const created = await transaction(dataSource, async (m) => {
    if (!(await claimOnce(m, DELIVERY_QUEUES.routing, job.id, now))) return [];
    const message = await m.findOne(MessageEntity, { where: { id: messageId }, select: { id: true, toCodes: true, ccCodes: true } });
    if (message === null) throw new PermanentError(`routing: no accepted message ${messageId}`, { code: 'delivery.unknown-message' });
    const recipients = recipientsOf(message);
    // A message already routed under another bus id (e.g. republished by hand) is not routed twice.
    if (await m.existsBy(DeliveryEntity, { messageId })) return [];
    const institutions = await m.findBy(InstitutionEntity, { code: In(recipients.map((r) => r.code)) });
    const rows: DeliveryRow[] = [];
    const events = [];
    for (const r of recipients) {
      const [first] = deliveryChannels(institutions.find((i) => i.code === r.code) ?? null);
      const { row, event } = await openDelivery(m, { messageId, recipientCode: r.code, role: r.role, channel: first!.kind }, now);
      rows.push(row);
      events.push(event);
    }
    await appendAuditEntries(m, events, now);
    return rows;
  });
  for (const row of created) if (row.channel === 'mailbox') ctx.notifier.notify(row.recipientCode);
  return created;
}
