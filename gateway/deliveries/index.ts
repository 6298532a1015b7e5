/** Deliveries (issue 4, item 5): routing to recipients, the mailbox, push, e-mail, fall-back, acknowledgements, status, the stuck detector. */
export { DELIVERY_QUEUES, DELIVERY_TOPICS, deliveryQueueDeclarations } from './topology';
export { deliveryContext, type DeliveryContext, type DeliveryOptions, type DeliveryHooks, type DeliveryAcknowledged } from './options';
export { MailboxNotifier } from './notifier';
export { deliveryRef, parseDeliveryRef } from './delivery-id';
export { deliveryChannels, type ChannelKind } from './channels';
export { routeAcceptedMessage, routeAcceptedMessages, recipientsOf, type RoutingOutcome } from './route-message';
export { listMailbox, MAILBOX_DEFAULTS, type MailboxItem, type MailboxPage, type MailboxQuery } from './mailbox';
export { acknowledge, type AcknowledgementResult, type AcknowledgeOptions } from './acknowledge';
export { startDeliveryWorkers, startRoutingWorker, type ChannelSettings, type RoutingBatchOptions } from './workers';
export { Batcher } from './batcher';
export { runChannelJob, type ChannelOutcome, type ChannelWorker } from './channel-job';
export { pushWorker, contentTypeOf } from './push-worker';
export { emailWorker, type Mailer, type OutgoingMail } from './email-worker';
export { postDocument, PUSH_DEFAULTS, type PostOutcome, type PushClientOptions } from './https-post';
export { fallBack, bounceDelivery, type FallBack, type BounceOutcome } from './fall-back';
export { runDeadlineFallback, checkDeadlineShare, DEFAULT_DEADLINE_SHARE_PERCENT, DEADLINE_FALLBACK_CONSUMER, type DeadlineFallback, type DeadlineFallbackOptions } from './deadline-fallback';
export { messageStatus, type MessageStatus, type RecipientStatus, type DeliveryState } from './message-status';
export { findStuckDeliveries, DEFAULT_STUCK_THRESHOLDS, type StuckDelivery, type StuckThresholds } from './stuck';
