export type { Bus, BusMessage, MessageHandler, OutgoingMessage, Subscription } from './port';
export { TransientError } from './transient-error';
export { PermanentError } from './permanent-error';
export { resolveTopology, queueOf, TOPOLOGY_DEFAULTS, type BusTopology, type BusTopologyDeclaration, type QueueDeclaration, type ResolvedQueue, type RetryPolicy } from './topology';
export { retryDelay, failureOutcome, type FailureOutcome } from './outcome';
export { topicMatches } from './topic';
export { BUS_HEADERS } from './headers';
export { EmbeddedBus, type EmbeddedBusOptions } from './embedded/embedded-bus';
