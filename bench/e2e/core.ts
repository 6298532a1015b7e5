import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { encode } from '../../contracts/codec';
import type { MessageDocument } from '../../contracts/codec/message-document';
import { EmbeddedBus, OutboxRelay, RabbitMqBus, type Bus } from '../../gateway/bus';
import { gatewayTopology } from '../../gateway/app/topology';
import { systemClock } from '../../gateway/clock';
import { deliveryContext, DELIVERY_QUEUES, MailboxNotifier, startDeliveryWorkers } from '../../gateway/deliveries';
import { issueGatewayIdentity } from '../../gateway/identity';
import { Intake } from '../../gateway/intake';
import { obligationHooks } from '../../gateway/obligations';
import { Registry, seedRegistry } from '../../gateway/registry';
import type { Credential } from '../../gateway/signing/credential';
import { createDevCa, issueInstitutionCredential } from '../../gateway/signing/dev-pki';
import { signDocument } from '../../gateway/signing/documents';
import { TrustStore } from '../../gateway/signing/trust-store';
import { DeliveryEntity, migrate, openStore } from '../../gateway/store';
import { migrations } from '../../migrations';
import { countStatements, type SqlCounter } from './sql-count';
import { trackingBus } from './tracking-bus';

/** The recipients of every bench message: to miit, cc one province's ca-NN and cncert. */
export const BENCH_RECIPIENTS = ['miit', 'ca-11', 'cncert'] as const;

/** Now as absolute milliseconds (`performance.timeOrigin + performance.now()`), comparable across the bench's processes. */
export function absoluteNow(): number {
  return performance.timeOrigin + performance.now();
}

/** A running gateway core as the bench composes it: store, bus (+ relay on RabbitMQ), routing and delivery workers, intake. */
export interface Core {
  readonly ds: DataSource;
  readonly intake: Intake;
  readonly credential: Credential;
  /** Statements counted when BENCH_SQL_COUNT is set. */
  readonly sql?: SqlCounter;
  stop(): Promise<void>;
}

/** Migrates the store at `databaseUrl` and seeds the registry: once per run, before any gateway process starts. */
export async function prepareStore(databaseUrl: string): Promise<void> {
  const ds = await openStore(databaseUrl, { migrations });
  try {
    await migrate(ds);
    await seedRegistry(ds, systemClock.now());
  } finally {
    await ds.destroy();
  }
}

/**
 * Starts one gateway core on a prepared store (see prepareStore) with a dev CA, credential and
 * gateway identity of its own (its intake verifies only what this process signs itself); `routed`
 * is called with each message id and the absolute time (absoluteNow) its routing committed here.
 */
export async function startCore(databaseUrl: string, amqpUrl: string | undefined, routed: (messageId: string, at: number) => void): Promise<Core> {
  const ds = await openStore(databaseUrl, { migrations });
  const sql = process.env.BENCH_SQL_COUNT ? countStatements(ds) : undefined;
  const clock = systemClock;
  const issued = new Date('2026-11-20T00:00:00Z'); // before every example's sentAt
  const ca = createDevCa({ now: issued, keyType: 'ec' });
  const credential = issueInstitutionCredential(ca, 'op-cmcc', { now: issued, keyType: 'ec' });
  const hooks = obligationHooks();
  const delivery = deliveryContext({ clock, hooks, notifier: new MailboxNotifier(), registry: new Registry(ds, { clock, ttlMs: 5000 }) });
  const topology = gatewayTopology();
  const onError = (e: unknown) => console.error(`bench: bus: ${e instanceof Error ? e.message : String(e)}`);
  // The composition root's settings: the embedded bus polls every 100 ms (and is woken by its own publishes).
  const raw: Bus = amqpUrl === undefined ? new EmbeddedBus(ds, topology, { clock, pollIntervalMs: 100, onError }) : new RabbitMqBus(amqpUrl, topology, { onError });
  const bus = trackingBus(raw, DELIVERY_QUEUES.routing, (id) => routed(id, absoluteNow()));
  await bus.start();
  const workers = await startDeliveryWorkers(bus, ds, topology, delivery);
  // Beside RabbitMQ the committed outbox rows are relayed to the broker as the composition root
  // does: pass after pass while there are rows, woken by commits, looking every 200 ms when idle.
  const relay = amqpUrl === undefined ? undefined : new OutboxRelay(ds, bus, { idlePollMs: 200, onError });
  relay?.start();
  const intake = new Intake(ds, { trust: new TrustStore([ca.certificate]), identity: issueGatewayIdentity(ca, { now: issued }), clock, hooks });
  return {
    ds, intake, credential, ...(sql ? { sql } : {}),
    async stop() {
      for (const w of workers) await w.cancel();
      await relay?.stop();
      await bus.close({ drainTimeoutMs: 5000 });
      await ds.destroy();
    },
  };
}

/** `count` level II IncidentReports from op-cmcc (contracts/examples/incident-report.json, read from the package root), each with a fresh id (`tag` in it), encoded in `format` and signed. */
export async function signedReports(credential: Credential, format: 'xml' | 'json', count: number, tag: string): Promise<{ id: string; bytes: Buffer }[]> {
  const example = JSON.parse(fs.readFileSync(path.resolve(process.cwd(), 'contracts/examples/incident-report.json'), 'utf8')) as Record<string, unknown> & { body: Record<string, unknown> };
  example.to = ['miit'];
  example.cc = ['ca-11', 'cncert'];
  example.body.provinces = ['11'];
  const run = randomBytes(3).toString('hex');
  const out: { id: string; bytes: Buffer }[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = `op-cmcc-20261128-b${tag}${run}${String(i).padStart(6, '0')}`;
    out.push({ id, bytes: Buffer.from(await signDocument(encode({ ...example, id } as unknown as MessageDocument, format), credential)) });
    if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve)); // let IPC in (the parent may have gone)
  }
  return out;
}

/** Checks that every message has a mailbox delivery for each of BENCH_RECIPIENTS (what listMailbox reads); throws saying which is missing. */
export async function checkMailboxes(databaseUrl: string, ids: readonly string[]): Promise<void> {
  const ds = await openStore(databaseUrl, { migrations });
  try {
    const rows = await ds.manager.find(DeliveryEntity, { where: { channel: 'mailbox' }, select: { messageId: true, recipientCode: true } });
    const have = new Set(rows.map((r) => `${r.messageId} ${r.recipientCode}`));
    const missing = ids.flatMap((id) => BENCH_RECIPIENTS.filter((code) => !have.has(`${id} ${code}`)).map((code) => `${id} → ${code}`));
    if (missing.length > 0) throw new Error(`bench: ${missing.length} mailbox deliveries missing, e.g. ${missing.slice(0, 3).join(', ')}`);
  } finally {
    await ds.destroy();
  }
}
