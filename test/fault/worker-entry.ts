import type { DataSource } from 'typeorm';
import { RabbitMqBus, relayOutbox, type BusMessage } from '../../gateway/bus';
import { systemClock } from '../../gateway/clock';
import { Batcher, deliveryContext, deliveryQueueDeclarations, DELIVERY_QUEUES, MailboxNotifier, routeAcceptedMessages, type RoutingOutcome } from '../../gateway/deliveries';
import { openStore } from '../../gateway/store';
import { migrations } from '../../migrations';

/**
 * A gateway worker process of the fault test (issue 4, item 7), compiled by the test and run as
 * a real child so it can be SIGKILLed: the outbox relay and the routing worker on RabbitMQ and
 * MariaDB, as the composition root runs them. It writes one JSON line per committed routing
 * batch ({"created": total deliveries this process created so far}) and "ready" once subscribed.
 * Env: FAULT_DATABASE_URL, FAULT_AMQP_URL, FAULT_EXCHANGE.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

async function openWithRetry(url: string): Promise<DataSource> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await openStore(url, { migrations });
    } catch (e) {
      if (attempt >= 300) throw e;
      await sleep(200);
    }
  }
}

async function main(): Promise<void> {
  const ds = await openWithRetry(required('FAULT_DATABASE_URL'));
  const ctx = deliveryContext({ clock: systemClock, notifier: new MailboxNotifier() });
  const bus = new RabbitMqBus(required('FAULT_AMQP_URL'), { exchange: required('FAULT_EXCHANGE'), queues: deliveryQueueDeclarations() }, {
    reconnectBaseDelayMs: 100, reconnectMaxDelayMs: 1000, onError: (e) => process.stderr.write(`bus: ${String(e)}\n`),
  });
  let created = 0;
  const batcher = new Batcher<BusMessage, RoutingOutcome>(async (jobs) => {
    const outcomes = await routeAcceptedMessages(ds, jobs, ctx);
    for (const o of outcomes) if (o.ok) created += o.created.length;
    process.stdout.write(`${JSON.stringify({ created })}\n`);
    return outcomes;
  }, { maxBatch: 64, maxWaitMs: 0 });
  await bus.subscribe(DELIVERY_QUEUES.routing, async (job) => {
    const outcome = await batcher.add(job);
    if (!outcome.ok) throw outcome.error;
  });
  await bus.start();
  let stopping = false;
  const relay = (async () => {
    while (!stopping) {
      const r = await relayOutbox(ds, bus).catch(() => undefined);
      if (r === undefined || r.published === 0) await sleep(20);
    }
  })();
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    stopping = true;
    void relay.then(() => bus.close({ drainTimeoutMs: 2000 })).then(() => ds.destroy()).finally(() => process.exit(0));
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`worker failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
