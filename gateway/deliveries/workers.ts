import type { DataSource } from 'typeorm';
import type { Bus, BusMessage, Subscription } from '../bus/port';
import { queueOf, resolveTopology, type BusTopologyDeclaration } from '../bus/topology';
import { runChannelJob } from './channel-job';
import { emailWorker, type Mailer } from './email-worker';
import type { PushClientOptions } from './https-post';
import type { DeliveryContext } from './options';
import { pushWorker } from './push-worker';
import { Batcher } from './batcher';
import { routeAcceptedMessages, type RoutingOutcome } from './route-message';
import { DELIVERY_QUEUES } from './topology';

/** How the routing worker batches its commits. */
export interface RoutingBatchOptions {
  /** @defaultValue 128 */
  readonly maxBatch?: number;
  /** How long the first job of a batch waits for others (ms); 0: what arrives in the same turn of the event loop. @defaultValue 0 */
  readonly maxWaitMs?: number;
  /**
   * Routing transactions at once; the jobs that come meanwhile form the next batch (group
   * commit: under load the batches grow, idle a job is routed at once). @defaultValue 1 — every
   * routing transaction appends audit entries, so it holds the one audit head from then until its
   * commit: a second one at once only waits there, and smaller batches cost more CPU per message.
   */
  readonly maxConcurrent?: number;
}

/**
 * Subscribes the routing worker to its queue (declared by `deliveryQueueDeclarations`). The
 * jobs handed over together (up to the queue's prefetch) are routed in one transaction; each
 * job is acknowledged only after that transaction committed.
 */
export async function startRoutingWorker(bus: Bus, dataSource: DataSource, ctx: DeliveryContext, batch: RoutingBatchOptions = {}): Promise<Subscription> {
  const batcher = new Batcher<BusMessage, RoutingOutcome>((jobs) => routeAcceptedMessages(dataSource, jobs, ctx), {
    maxBatch: batch.maxBatch ?? 128, maxWaitMs: batch.maxWaitMs ?? 0, maxConcurrent: batch.maxConcurrent ?? 1,
  });
  return bus.subscribe(DELIVERY_QUEUES.routing, async (job) => {
    const outcome = await batcher.add(job);
    if (!outcome.ok) throw outcome.error;
  });
}

/** Settings of the channel workers. */
export interface ChannelSettings {
  /** The push client (extra CAs, timeout). */
  readonly push?: PushClientOptions;
  /** The e-mail adapter; absent: e-mail deliveries fall back at once (`delivery.email-unavailable`). */
  readonly mailer?: Mailer;
  /** How the routing worker batches its commits. */
  readonly routing?: RoutingBatchOptions;
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
    await startRoutingWorker(bus, dataSource, ctx, settings.routing),
    await bus.subscribe(DELIVERY_QUEUES.push, (job) => runChannelJob(dataSource, job, ctx, push)),
    await bus.subscribe(DELIVERY_QUEUES.email, (job) => runChannelJob(dataSource, job, ctx, email)),
  ];
}
