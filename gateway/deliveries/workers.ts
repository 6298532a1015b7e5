import type { DataSource } from 'typeorm';
import type { Bus, Subscription } from '../bus/port';
import { queueOf, resolveTopology, type BusTopologyDeclaration } from '../bus/topology';
import { runChannelJob } from './channel-job';
import { emailWorker, type Mailer } from './email-worker';
import type { PushClientOptions } from './https-post';
import type { DeliveryContext } from './options';
import { pushWorker } from './push-worker';
import { routeAcceptedMessage } from './route-message';
import { DELIVERY_QUEUES } from './topology';

/** Subscribes the routing worker to its queue (declared by `deliveryQueueDeclarations`). */
export async function startRoutingWorker(bus: Bus, dataSource: DataSource, ctx: DeliveryContext): Promise<Subscription> {
  return bus.subscribe(DELIVERY_QUEUES.routing, async (job) => {
    await routeAcceptedMessage(dataSource, job, ctx);
  });
}

/** Settings of the channel workers. */
export interface ChannelSettings {
  /** The push client (extra CAs, timeout). */
  readonly push?: PushClientOptions;
  /** The e-mail adapter; absent: e-mail deliveries fall back at once (`delivery.email-unavailable`). */
  readonly mailer?: Mailer;
}

/**
 * Starts the whole delivery stage on `bus`: the routing worker and the push and e-mail workers.
 * `declaration` is the topology the bus was built with: a channel gives up and falls back at
 * its queue's `retry.maxAttempts`. Cancel the subscriptions to stop.
 */
export async function startDeliveryWorkers(bus: Bus, dataSource: DataSource, declaration: BusTopologyDeclaration, ctx: DeliveryContext, settings: ChannelSettings = {}): Promise<Subscription[]> {
  const topology = resolveTopology(declaration);
  const push = pushWorker({ ...settings.push, maxAttempts: queueOf(topology, DELIVERY_QUEUES.push).retry.maxAttempts });
  const email = emailWorker({ mailer: settings.mailer, maxAttempts: queueOf(topology, DELIVERY_QUEUES.email).retry.maxAttempts });
  return [
    await startRoutingWorker(bus, dataSource, ctx),
    await bus.subscribe(DELIVERY_QUEUES.push, (job) => runChannelJob(dataSource, job, ctx, push)),
    await bus.subscribe(DELIVERY_QUEUES.email, (job) => runChannelJob(dataSource, job, ctx, email)),
  ];
}
