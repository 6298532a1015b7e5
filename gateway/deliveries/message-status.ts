import type { DataSource } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { DeliveryEntity, type DeliveryStatus } from '../store/entities/delivery';
import { MessageEntity } from '../store/entities/message';
import { transaction } from '../store/transaction';
import type { ChannelKind } from './channels';
import { deliveryRef } from './delivery-id';
import { recipientsOf } from './route-message';

/** One delivery of a message, as its parties see it. */
export interface DeliveryState {
  readonly deliveryId: string;
  readonly channel: ChannelKind;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastErrorCode: string | null;
  readonly queuedAt: Date;
  readonly sentAt: Date | null;
  readonly acknowledgedAt: Date | null;
  /** When it entered its current status. */
  readonly statusSince: Date;
}

/** Where a message stands for one recipient: its current delivery first, then the channels it fell back from. */
export interface RecipientStatus {
  readonly recipient: string;
  readonly role: 'to' | 'cc';
  /** The status of the current delivery: the acknowledged one if any (a copy beside it is `superseded`), else the latest; `routing` before the routing worker has run. */
  readonly status: DeliveryStatus | 'routing';
  readonly channel: ChannelKind | null;
  /** Every delivery to this recipient, newest first. */
  readonly deliveries: readonly DeliveryState[];
}

/** The delivery status of a message. */
export interface MessageStatus {
  readonly messageId: string;
  readonly type: string;
  readonly from: string;
  readonly acceptedAt: Date;
  readonly recipients: readonly RecipientStatus[];
}

/**
 * The delivery status of a message, per recipient (to then cc) and channel, with times.
 * Only the sender and the recipients may see it: anyone else gets `delivery.status-forbidden`;
 * an unknown id `delivery.unknown-message`.
 */
export async function messageStatus(dataSource: DataSource, messageId: string, caller: string): Promise<MessageStatus> {
  return transaction(dataSource, async (m) => {
    const message = await m.findOne(MessageEntity, { where: { id: messageId }, select: { id: true, type: true, fromCode: true, toCodes: true, ccCodes: true, acceptedAt: true } });
    if (message === null) throw new GatewayError('delivery.unknown-message', `no accepted message ${messageId}`, { messageId });
    const recipients = recipientsOf(message);
    if (caller !== message.fromCode && !recipients.some((r) => r.code === caller)) {
      throw new GatewayError('delivery.status-forbidden', `${caller} is neither the sender nor a recipient of ${messageId}`, { messageId, caller });
    }
    const rows = await m.find(DeliveryEntity, { where: { messageId }, order: { id: 'DESC' } });
    return {
      messageId, type: message.type, from: message.fromCode, acceptedAt: message.acceptedAt,
      recipients: recipients.map((r): RecipientStatus => {
        const mine = rows.filter((d) => d.recipientCode === r.code).map((d): DeliveryState => ({
          deliveryId: deliveryRef(d.id), channel: d.channel, status: d.status, attempts: d.attempts, lastErrorCode: d.lastErrorCode,
          queuedAt: d.queuedAt, sentAt: d.sentAt, acknowledgedAt: d.acknowledgedAt, statusSince: d.statusSince,
        }));
        // An acknowledged copy settles the recipient, whichever copy is newest (the other one is then superseded).
        const current = mine.find((d) => d.status === 'acknowledged') ?? mine[0];
        return { recipient: r.code, role: r.role, status: current?.status ?? 'routing', channel: current?.channel ?? null, deliveries: mine };
      }),
    };
  });
}
