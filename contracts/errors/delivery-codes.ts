import { defineCodes } from './code-info';

/** Deliveries: routing to recipients, mailbox, push, e-mail, fall-back, acknowledgements, status (issue 4, item 5). */
export const deliveryCodes = defineCodes('delivery', {
  'delivery.bad-job': { description: 'A routing or delivery job taken from the bus is not the JSON object its worker expects (messageId or deliveryId missing); it is parked.', http: 500, exit: 3 },
  'delivery.unknown-message': { description: 'No accepted message has this id.', http: 404, exit: 1 },
  'delivery.unknown-delivery': { description: 'No delivery has this id (delivery ids look like dlv-00000042).', http: 404, exit: 1 },
  'delivery.bad-cursor': { description: 'The mailbox cursor is not one this gateway handed out (a delivery number, digits only).', http: 400, exit: 2 },
  'delivery.bad-limit': { description: 'The mailbox page size must be an integer from 1 to 1000.', http: 400, exit: 2 },
  'delivery.bad-wait': { description: 'The mailbox long-poll wait must be an integer number of milliseconds from 0 to 120000.', http: 400, exit: 2 },
  'delivery.ack-invalid': { description: 'The acknowledgement is not a valid Acknowledgement document (decoding or validation failed, or it is another form); every error is listed.', http: 400, exit: 1 },
  'delivery.ack-signature': { description: 'The acknowledgement\'s signature does not verify against the trust store (the signature code says why).', http: 400, exit: 1 },
  'delivery.ack-wrong-signer': { description: 'The acknowledgement is signed by an institution other than the delivery\'s recipient; only the recipient may acknowledge its delivery.', http: 403, exit: 1 },
  'delivery.ack-mismatch': { description: 'The acknowledgement names a message other than the one the delivery carries.', http: 400, exit: 1 },
  'delivery.ack-not-open': { description: 'The delivery can no longer be acknowledged: it failed or fell back to another channel (acknowledge that delivery instead).', http: 409, exit: 1 },
  'delivery.ack-id-reused': { description: 'The acknowledgement\'s message id is already used by another stored document.', http: 409, exit: 1 },
  'delivery.status-forbidden': { description: 'Only the sender and the recipients of a message may see its delivery status.', http: 403, exit: 1 },
  'delivery.push-unavailable': { description: 'The recipient\'s push endpoint could not be reached, timed out or answered 5xx; the push is retried with back-off.', http: 503, exit: 3 },
  'delivery.push-refused': { description: 'The recipient\'s push endpoint answered 4xx: it refuses the document, so the delivery falls back to the next channel.', http: 502, exit: 3 },
  'delivery.push-exhausted': { description: 'The push failed on every attempt the queue allows; the delivery falls back to the next channel.', http: 503, exit: 3 },
  'delivery.bad-endpoint': { description: 'The recipient\'s channel has no usable endpoint (push needs an https:// URL, e-mail an address); the delivery falls back to the next channel.', http: 500, exit: 2 },
  'delivery.email-unavailable': { description: 'No mailer is configured (the e-mail adapter comes later), so an e-mail delivery falls back to the recipient\'s next channel at once.', http: 503, exit: 3 },
  'delivery.email-failed': { description: 'The mailer could not hand the e-mail over; it is retried, then the delivery falls back to the next channel.', http: 503, exit: 3 },
  'delivery.no-channel-left': { description: 'A delivery failed and its recipient has no further channel to fall back to; an operator must act (the detector reports it).', http: 503, exit: 3 },
  'delivery.bad-threshold': { description: 'A stuck-delivery threshold is not a delivery status with a non-negative integer number of milliseconds.', http: 400, exit: 2 },
});
