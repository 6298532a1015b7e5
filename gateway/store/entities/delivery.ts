import { EntitySchema } from 'typeorm';
import { bigintAsNumber, instant } from './columns';

/**
 * Where a delivery stands: queued → sent → acknowledged, or retrying → failed → fell-back (the
 * next channel of the recipient then gets its own delivery row); `superseded`: another copy of
 * the message to the same recipient (the e-mail sent beside the primary) was acknowledged.
 */
export type DeliveryStatus = 'queued' | 'sent' | 'acknowledged' | 'retrying' | 'failed' | 'fell-back' | 'superseded';

/** Every delivery status, in the order of the happy path then the unhappy one. */
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['queued', 'sent', 'acknowledged', 'retrying', 'failed', 'fell-back', 'superseded'];

/** One message to one recipient over one channel. */
export interface DeliveryRow {
  id: number;
  messageId: string;
  recipientCode: string;
  /** `to` or `cc`: how the message names the recipient. */
  role: 'to' | 'cc';
  channel: 'mailbox' | 'push' | 'email';
  status: DeliveryStatus;
  attempts: number;
  lastErrorCode: string | null;
  queuedAt: Date;
  sentAt: Date | null;
  /** The recipient's acknowledgement time: the "received" time later clocks run from. */
  acknowledgedAt: Date | null;
  /** The receipt row holding the recipient's signed acknowledgement. */
  ackReceiptId: string | null;
  nextAttemptAt: Date | null;
  /** When the delivery entered its current status (for the stuck-delivery detector). */
  statusSince: Date;
}

export const DeliveryEntity = new EntitySchema<DeliveryRow>({
  name: 'Delivery',
  tableName: 'deliveries',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment', transformer: bigintAsNumber },
    messageId: { type: 'varchar', length: 128, name: 'message_id' },
    recipientCode: { type: 'varchar', length: 32, name: 'recipient_code' },
    role: { type: 'varchar', length: 2 },
    channel: { type: 'varchar', length: 16 },
    status: { type: 'varchar', length: 16 },
    attempts: { type: 'int', default: 0 },
    lastErrorCode: { type: 'varchar', length: 64, name: 'last_error_code', nullable: true },
    queuedAt: { ...instant, name: 'queued_at' },
    sentAt: { ...instant, name: 'sent_at', nullable: true },
    acknowledgedAt: { ...instant, name: 'acknowledged_at', nullable: true },
    ackReceiptId: { type: 'varchar', length: 128, name: 'ack_receipt_id', nullable: true },
    nextAttemptAt: { ...instant, name: 'next_attempt_at', nullable: true },
    statusSince: { ...instant, name: 'status_since' },
  },
});
