import type { Channel } from '../store/entities/institution';
import type { ChannelWorker } from './channel-job';
import { deliveryRef } from './delivery-id';
import { DELIVERY_QUEUES } from './topology';

/** One e-mail to send: the signed document as an attachment, to the recipient's address. */
export interface OutgoingMail {
  readonly to: string;
  readonly deliveryId: string;
  readonly messageId: string;
  readonly type: string;
  readonly format: 'xml' | 'json';
  readonly bytes: Buffer;
}

/** The e-mail adapter's port (a later issue implements it); `send` rejects when the mail could not be handed over. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * The e-mail channel. Without a mailer (the adapter comes in a later issue) every e-mail
 * delivery falls back to the recipient's next channel at once, code `delivery.email-unavailable`
 * (the mailbox at the latest: nothing waits on a channel that cannot work). With a mailer: a
 * handed-over mail is `sent`, a failure is retried like a push, then falls back.
 */
export function emailWorker(options: { readonly mailer?: Mailer; readonly maxAttempts: number }): ChannelWorker {
  return {
    queue: DELIVERY_QUEUES.email,
    channel: 'email',
    maxAttempts: options.maxAttempts,
    exhaustedCode: 'delivery.email-failed',
    async send(d, message, channel: Channel | undefined) {
      const mailer = options.mailer;
      if (mailer === undefined) return { kind: 'refused', code: 'delivery.email-unavailable', attempted: false, detail: 'no mailer is configured on this gateway' };
      const to = channel?.endpoint;
      if (to === undefined || !/^[^@\s]+@[^@\s]+$/.test(to)) return { kind: 'refused', code: 'delivery.bad-endpoint', attempted: false, detail: `the e-mail address of ${d.recipientCode} is not usable: ${String(to)}` };
      try {
        await mailer.send({ to, deliveryId: deliveryRef(d.id), messageId: message.id, type: message.type, format: message.format, bytes: message.bytes });
        return { kind: 'delivered', detail: `mailed to ${to}` };
      } catch (e) {
        return { kind: 'unavailable', code: 'delivery.email-failed', detail: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}
