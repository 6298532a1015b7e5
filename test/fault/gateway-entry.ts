import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { RabbitMqBus, relayOutbox, type BusMessage } from '../../gateway/bus';
import { TestClock } from '../../gateway/clock';
import { acknowledge, Batcher, deliveryContext, deliveryQueueDeclarations, DELIVERY_QUEUES, MailboxNotifier, routeAcceptedMessages, type RoutingOutcome } from '../../gateway/deliveries';
import { gatewayIdentityFromPem } from '../../gateway/identity';
import { Intake } from '../../gateway/intake';
import { TrustStore } from '../../gateway/signing/trust-store';
import { openStore } from '../../gateway/store';
import { migrations } from '../../migrations';

/**
 * A gateway process of the fault test (issue 4, item 7), compiled by the test and run as a real
 * child so it can be SIGKILLed mid-batch: intake (the accepting side), the outbox relay and the
 * routing worker on RabbitMQ and MariaDB, as the composition root runs them, and acknowledgements.
 * It serves plain HTTP on 127.0.0.1 (a random port) — the mutual-TLS adapter is tested elsewhere;
 * here the caller is named in a header:
 *   POST /submit (x-caller: CODE, body: the signed bytes) → 200 {accepted, messageId, duplicate, receipt (base64)} or {accepted: false, codes}
 *   POST /ack/DELIVERY-ID (body: the signed Acknowledgement) → 200 {duplicate, receiptId}, 422 {code} when refused
 *   a failing service (the database) → 503 {error}: nothing was answered, the client retries with the same bytes.
 * Writes `{"ready":PORT}` once serving and subscribed, and `{"created":[delivery row ids]}` after each
 * routing commit that created deliveries.
 * Env: FAULT_DATABASE_URL, FAULT_AMQP_URL, FAULT_EXCHANGE, FAULT_PKI_DIR (ca.pem, mmgw.key.pem, mmgw.cert.pem), FAULT_NOW.
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

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function main(): Promise<void> {
  const pki = required('FAULT_PKI_DIR');
  const trust = new TrustStore([readFileSync(join(pki, 'ca.pem'), 'utf8')]);
  const identity = gatewayIdentityFromPem(readFileSync(join(pki, 'mmgw.key.pem')), readFileSync(join(pki, 'mmgw.cert.pem')));
  const clock = new TestClock(required('FAULT_NOW'));
  const ds = await openWithRetry(required('FAULT_DATABASE_URL'));
  const ctx = deliveryContext({ clock, notifier: new MailboxNotifier() });
  const intake = new Intake(ds, { trust, identity, clock });
  // The routing worker as startRoutingWorker runs it, reporting the ids it created.
  const batcher = new Batcher<BusMessage, RoutingOutcome>(async (jobs) => {
    const outcomes = await routeAcceptedMessages(ds, jobs, ctx);
    const created = outcomes.flatMap((o) => (o.ok ? o.created.map((d) => d.id) : []));
    if (created.length > 0) process.stdout.write(`${JSON.stringify({ created })}\n`);
    return outcomes;
  }, { maxBatch: 64, maxWaitMs: 0 });
  // A process started while RabbitMQ is down (the test replaces a killed one at any moment) waits for it, as a supervisor would restart it.
  const bus = await (async () => {
    for (let attempt = 1; ; attempt += 1) {
      const b = new RabbitMqBus(required('FAULT_AMQP_URL'), { exchange: required('FAULT_EXCHANGE'), queues: deliveryQueueDeclarations() }, {
        reconnectBaseDelayMs: 100, reconnectMaxDelayMs: 1000, onError: (e) => process.stderr.write(`bus: ${String(e)}\n`),
      });
      await b.subscribe(DELIVERY_QUEUES.routing, async (job) => {
        const outcome = await batcher.add(job);
        if (!outcome.ok) throw outcome.error;
      });
      try {
        await b.start();
        return b;
      } catch (e) {
        await b.close({ drainTimeoutMs: 0 }).catch(() => undefined);
        if (attempt >= 600) throw e;
        await sleep(200);
      }
    }
  })();
  void (async () => {
    for (;;) {
      const r = await relayOutbox(ds, bus).catch(() => undefined);
      if (r === undefined || r.published === 0) await sleep(20);
    }
  })();

  const server = createServer((req, res) => {
    void (async () => {
      const bytes = await body(req);
      try {
        if (req.method === 'POST' && req.url === '/submit') {
          const caller = req.headers['x-caller'];
          const outcome = await intake.submit({ bytes, caller: typeof caller === 'string' ? caller : undefined });
          if (outcome.accepted) answer(res, 200, { accepted: true, messageId: outcome.messageId, duplicate: outcome.duplicate, receipt: outcome.receipt.bytes.toString('base64') });
          else answer(res, 200, { accepted: false, messageId: outcome.messageId, codes: outcome.errors.map((e) => e.code) });
        } else if (req.method === 'POST' && req.url?.startsWith('/ack/')) {
          const result = await acknowledge(ds, bytes, { trust, deliveryId: decodeURIComponent(req.url.slice('/ack/'.length)) }, ctx);
          answer(res, 200, { duplicate: result.duplicate, receiptId: result.receiptId });
        } else answer(res, 404, { error: `no route ${req.method ?? ''} ${req.url ?? ''}` });
      } catch (e) {
        if (e instanceof GatewayError && e.code.startsWith('delivery.')) answer(res, 422, { code: e.code });
        else answer(res, 503, { error: e instanceof Error ? e.message : String(e) });
      }
    })().catch((e: unknown) => {
      process.stderr.write(`request failed: ${String(e)}\n`);
      res.destroy();
    });
  });
  server.keepAliveTimeout = 120_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${JSON.stringify({ ready: typeof address === 'object' && address ? address.port : 0 })}\n`);
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`gateway failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
