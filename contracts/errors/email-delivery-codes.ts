import { defineCodes } from './code-info';

/**
 * Delivery by e-mail (issue 7, item 3): bounces, the deadline-aware second channel, delivery
 * reports that cannot be matched. Beside `delivery-codes.ts` (the delivery stage itself).
 */
export const emailDeliveryCodes = defineCodes('delivery', {
  'delivery.email-bounced': { description: 'A delivery status notification (bounce) came back for the delivery mail: the recipient\'s mail server refused it, so the delivery falls back to the next channel.', http: 502, exit: 3 },
  'delivery.bad-deadline-share': { description: 'The share of an obligation\'s time after which an unacknowledged delivery is also sent by e-mail must be a whole percentage from 1 to 99.', http: 400, exit: 2 },
});

/** Delivery reports (DSNs) arriving in the intake mailbox that cannot be matched to a delivery. */
export const emailReportCodes = defineCodes('email', {
  'email.unmatched-report': { description: 'A delivery status notification arrived that names no delivery of this gateway (no tag, or a tag whose MAC does not verify); it is quarantined for an operator.', http: 400, exit: 1 },
});
