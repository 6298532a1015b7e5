import type { Bus, MessageHandler, Subscription } from '../../gateway/bus';

/**
 * `bus` with the handlers of `queue` observed: after a handler resolved — for the routing
 * worker, after the transaction that put the message's deliveries in the mailboxes committed,
 * and before the bus acknowledges the job — `done(message id from the job)` is called.
 */
export function trackingBus(bus: Bus, queue: string, done: (messageId: string) => void): Bus {
  const wrap = (handler: MessageHandler): MessageHandler => async (job) => {
    await handler(job);
    const id = (JSON.parse(job.payload.toString('utf8')) as { messageId?: unknown }).messageId;
    if (typeof id === 'string') done(id);
  };
  return {
    kind: bus.kind,
    start: () => bus.start(),
    publish: (m) => bus.publish(m),
    subscribe: (q, handler): Promise<Subscription> => bus.subscribe(q, q === queue ? wrap(handler) : handler),
    parkedCount: (q) => bus.parkedCount(q),
    redrive: (q, o) => bus.redrive(q, o),
    close: (o) => bus.close(o),
  };
}
