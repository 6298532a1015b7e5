import type { DeliveryRow } from '../store/entities/delivery';
import type { Channel } from '../store/entities/institution';
import type { MessageRow } from '../store/entities/message';
import type { ChannelOutcome, ChannelWorker } from './channel-job';
import { deliveryRef } from './delivery-id';
import { postDocument, type PushClientOptions } from './https-post';
import { DELIVERY_QUEUES } from './topology';

/** The media type of a signed document: XML-DSig XML, or a JWS in its JSON serialisation (RFC 7515). */
export function contentTypeOf(format: 'xml' | 'json'): string {
  return format === 'xml' ? 'application/xml' : 'application/jose+json';
}

/**
 * The push channel: POSTs the signed document's exact stored bytes to the recipient's HTTPS
 * endpoint. 2xx → sent (acknowledged only by the recipient's signed Acknowledgement); network
 * error, timeout or 5xx → retry; 3xx/4xx or a missing/non-https endpoint → fall back.
 */
export function pushWorker(options: PushClientOptions & { readonly maxAttempts: number }): ChannelWorker {
  return {
    queue: DELIVERY_QUEUES.push,
    channel: 'push',
    maxAttempts: options.maxAttempts,
    exhaustedCode: 'delivery.push-exhausted',
    async send(d: DeliveryRow, message: Pick<MessageRow, 'id' | 'type' | 'format' | 'bytes' | 'hash'>, channel: Channel | undefined): Promise<ChannelOutcome> {
      let url: URL | undefined;
      try {
        url = channel?.endpoint === undefined ? undefined : new URL(channel.endpoint);
      } catch {
        url = undefined;
      }
      if (url === undefined || url.protocol !== 'https:') return { kind: 'refused', code: 'delivery.bad-endpoint', attempted: false, detail: `the push endpoint of ${d.recipientCode} is not an https:// URL: ${String(channel?.endpoint)}` };
      const headers = {
        'content-type': contentTypeOf(message.format), 'x-mmgw-delivery-id': deliveryRef(d.id), 'x-mmgw-message-id': message.id,
        'x-mmgw-message-type': message.type, 'x-mmgw-content-sha256': message.hash,
      };
      const posted = await postDocument(url, message.bytes, headers, options);
      if (posted.kind === 'delivered') return { kind: 'delivered', detail: `HTTP ${posted.status}` };
      if (posted.kind === 'refused') return { kind: 'refused', code: 'delivery.push-refused', detail: `HTTP ${posted.status} from ${url.origin}` };
      return { kind: 'unavailable', code: 'delivery.push-unavailable', detail: `${url.origin}: ${posted.detail}` };
    },
  };
}
