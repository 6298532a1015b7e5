/** Deliveries (issue 4, item 5): routing to recipients, the mailbox, push, e-mail, fall-back, acknowledgements, status, the stuck detector. */
export { DELIVERY_QUEUES, DELIVERY_TOPICS, deliveryQueueDeclarations } from './topology';
export { deliveryContext, type DeliveryContext, type DeliveryOptions, type DeliveryHooks, type DeliveryAcknowledged } from './options';
export { MailboxNotifier } from './notifier';
export { deliveryRef, parseDeliveryRef } from './delivery-id';
export { deliveryChannels, type ChannelKind } from './channels';
export { routeAcceptedMessage, recipientsOf } from './route-message';
export { listMailbox, MAILBOX_DEFAULTS, type MailboxItem, type MailboxPage, type MailboxQuery } from './mailbox';
export { startRoutingWorker } from './workers';
export { acknowledge, type AcknowledgementResult } from './acknowledge';
