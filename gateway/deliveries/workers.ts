import type { DataSource } from 'typeorm';
import type { Bus, Subscription } from '../bus/port';
import type { DeliveryContext } from './options';
import { routeAcceptedMessage } from './route-message';
import { DELIVERY_QUEUES } from './topology';

/** Subscribes the routing worker to its queue (declared by `deliveryQueueDeclarations`). */
export async function startRoutingWorker(bus: Bus, dataSource: DataSource, ctx: DeliveryContext): Promise<Subscription> {
  return bus.subscribe(DELIVERY_QUEUES.routing, async (job) => {
    await routeAcceptedMessage(dataSource, job, ctx);
  });
}
