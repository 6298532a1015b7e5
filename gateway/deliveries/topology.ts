import type { QueueDeclaration } from '../bus/topology';

/** The queues of the delivery stage, by role. */
export const DELIVERY_QUEUES = {
  /** Accepted messages to route: one delivery per recipient (seam 1). */
  routing: 'deliveries.routing',
  /** Push deliveries to POST. */
  push: 'deliveries.push',
  /** E-mail deliveries to send. */
  email: 'deliveries.email',
} as const;

/** The topics the delivery stage publishes (through the outbox) for its channel workers. */
export const DELIVERY_TOPICS = {
  push: 'delivery.push',
  email: 'delivery.email',
} as const;

/**
 * The delivery stage's part of the bus topology: merge it into the gateway's declaration
 * (`{ exchange, queues: { ...deliveryQueueDeclarations(), ...others } }`). The push queue's
 * retry policy is the push back-off; its `maxAttempts` is when a push gives up and falls back.
 */
export function deliveryQueueDeclarations(overrides: { push?: Partial<QueueDeclaration>; routing?: Partial<QueueDeclaration>; email?: Partial<QueueDeclaration> } = {}): Record<string, QueueDeclaration> {
  return {
    // Prefetch 256: two full routing batches (startRoutingWorker), one committing while the next fills.
    [DELIVERY_QUEUES.routing]: { bindings: ['message.accepted.#'], prefetch: 256, ...overrides.routing },
    [DELIVERY_QUEUES.push]: { bindings: [DELIVERY_TOPICS.push], ...overrides.push },
    [DELIVERY_QUEUES.email]: { bindings: [DELIVERY_TOPICS.email], ...overrides.email },
  };
}
