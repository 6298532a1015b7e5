import type { Channel } from 'amqplib';
import type { BusTopology } from '../topology';

/**
 * Declares the whole topology on the broker (idempotent; run at start and after each
 * reconnect): the durable topic exchange; per work queue a quorum queue bound to it whose
 * dead letters (a message delivered `deliveryLimit` times without an outcome, its consumer
 * crashing each time) go to the parking queue; the delayed-retry quorum queues, one per
 * distinct delay, whose TTL expiry dead-letters the message back to the work queue; and the
 * parking quorum queue. Quorum dead-lettering is at-least-once (needs `reject-publish`).
 */
export async function declareTopology(channel: Channel, topology: BusTopology): Promise<void> {
  const atLeastOnce = { 'x-dead-letter-exchange': '', 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' };
  await channel.assertExchange(topology.exchange, 'topic', { durable: true });
  for (const q of topology.queues.values()) {
    await channel.assertQueue(q.parkingQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.assertQueue(q.name, {
      durable: true,
      arguments: { 'x-queue-type': 'quorum', ...atLeastOnce, 'x-dead-letter-routing-key': q.parkingQueue, 'x-delivery-limit': topology.deliveryLimit },
    });
    for (const binding of q.bindings) await channel.bindQueue(q.name, topology.exchange, binding);
    const declared = new Set<string>();
    for (const r of q.retryQueues) {
      if (declared.has(r.name)) continue;
      declared.add(r.name);
      await channel.assertQueue(r.name, {
        durable: true,
        arguments: { 'x-queue-type': 'quorum', ...atLeastOnce, 'x-dead-letter-routing-key': q.name, 'x-message-ttl': r.delayMs },
      });
    }
  }
}
