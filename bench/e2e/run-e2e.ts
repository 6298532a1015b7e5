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
import { profiled } from './profile';
import { countStatements, type SqlCounter } from './sql-count';
import { trackingBus } from './tracking-bus';

/** The recipients of every bench message: to miit, cc one province's ca-NN and cncert. */
export const BENCH_RECIPIENTS = ['miit', 'ca-11', 'cncert'] as const;

/** One timed phase: how many, messages per second, and each message's submit → in every mailbox latency (ms). */
export interface PhaseResult {
  readonly count: number;
  readonly msgsPerSecond: number;
  /** Accepted by intake per second (every submit answered), the routing not waited for: where the time goes. */
  readonly acceptsPerSecond: number;
  readonly latenciesMs: readonly number[];
  /** CPU time of this process (user + system) per message, ms: near wall time per message means the bench process is CPU-bound. */
  readonly cpuMsPerMessage: number;
}

/** A running gateway core as the bench composes it: store, bus (+ relay on RabbitMQ), routing and delivery workers, intake. */
interface Core {
  readonly ds: DataSource;
  readonly intake: Intake;
  readonly credential: Credential;
  readonly routed: Map<string, number>;
  /** Statements counted when BENCH_SQL_COUNT is set. */
  readonly sql?: SqlCounter;
  stop(): Promise<void>;
}

async function startCore(databaseUrl: string, amqpUrl: string | undefined): Promise<Core> {
  const ds = await openStore(databaseUrl, { migrations });
  await migrate(ds);
  const sql = process.env.BENCH_SQL_COUNT ? countStatements(ds) : undefined;
  const clock = systemClock;
  await seedRegistry(ds, clock.now());
  const issued = new Date('2026-11-20T00:00:00Z'); // before every example's sentAt
  const ca = createDevCa({ now: issued, keyType: 'ec' });
  const credential = issueInstitutionCredential(ca, 'op-cmcc', { now: issued, keyType: 'ec' });
  const hooks = obligationHooks();
  const delivery = deliveryContext({ clock, hooks, notifier: new MailboxNotifier(), registry: new Registry(ds, { clock, ttlMs: 5000 }) });
  const topology = gatewayTopology();
  const onError = (e: unknown) => console.error(`bench: bus: ${e instanceof Error ? e.message : String(e)}`);
  // The composition root's settings: the embedded bus polls every 100 ms (and is woken by its own publishes).
  const raw: Bus = amqpUrl === undefined ? new EmbeddedBus(ds, topology, { clock, pollIntervalMs: 100, onError }) : new RabbitMqBus(amqpUrl, topology, { onError });
  const routed = new Map<string, number>();
  const bus = trackingBus(raw, DELIVERY_QUEUES.routing, (id) => { if (!routed.has(id)) routed.set(id, performance.now()); });
  await bus.start();
  const workers = await startDeliveryWorkers(bus, ds, topology, delivery);
  // Beside RabbitMQ the committed outbox rows are relayed to the broker as the composition root
  // does: pass after pass while there are rows, woken by commits, looking every 200 ms when idle.
  const relay = amqpUrl === undefined ? undefined : new OutboxRelay(ds, bus, { idlePollMs: 200, onError });
  relay?.start();
  const intake = new Intake(ds, { trust: new TrustStore([ca.certificate]), identity: issueGatewayIdentity(ca, { now: issued }), clock, hooks });
  return {
    ds, intake, credential, routed, ...(sql ? { sql } : {}),
    async stop() {
      for (const w of workers) await w.cancel();
      await relay?.stop();
      await bus.close({ drainTimeoutMs: 5000 });
      await ds.destroy();
    },
  };
}

/** `count` level II IncidentReports from op-cmcc (contracts/examples/incident-report.json, read from the package root), each with a fresh id, encoded in `format` and signed. */
async function signedReports(credential: Credential, format: 'xml' | 'json', count: number, tag: string): Promise<{ id: string; bytes: Buffer }[]> {
  const example = JSON.parse(fs.readFileSync(path.resolve(process.cwd(), 'contracts/examples/incident-report.json'), 'utf8')) as Record<string, unknown> & { body: Record<string, unknown> };
  example.to = ['miit'];
  example.cc = ['ca-11', 'cncert'];
  example.body.provinces = ['11'];
  const run = randomBytes(3).toString('hex');
  const out: { id: string; bytes: Buffer }[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = `op-cmcc-20261128-b${tag}${run}${String(i).padStart(6, '0')}`;
    out.push({ id, bytes: Buffer.from(await signDocument(encode({ ...example, id } as unknown as MessageDocument, format), credential)) });
  }
  return out;
}

/** Submits `docs` through intake with `concurrency` in flight and waits until each is in every recipient's mailbox. */
async function timedPhase(core: Core, docs: readonly { id: string; bytes: Buffer }[], concurrency: number, timeoutMs = 300_000): Promise<PhaseResult> {
  const submitted = new Map<string, number>();
  let next = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < docs.length) {
      const doc = docs[next++]!;
      submitted.set(doc.id, performance.now());
      const out = await core.intake.submit({ bytes: doc.bytes, caller: 'op-cmcc' });
      if (!out.accepted) throw new Error(`bench: intake refused ${doc.id}: ${JSON.stringify(out.errors)}`);
    }
  }));
  const accepted = performance.now();
  const deadline = Date.now() + timeoutMs;
  while (docs.some((d) => !core.routed.has(d.id))) {
    if (Date.now() > deadline) throw new Error(`bench: ${docs.filter((d) => !core.routed.has(d.id)).length} messages never reached the mailboxes`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const used = process.cpuUsage(cpu);
  const end = Math.max(...docs.map((d) => core.routed.get(d.id)!));
  return { count: docs.length, msgsPerSecond: docs.length / ((end - start) / 1000), acceptsPerSecond: docs.length / ((accepted - start) / 1000), latenciesMs: docs.map((d) => core.routed.get(d.id)! - submitted.get(d.id)!), cpuMsPerMessage: (used.user + used.system) / 1000 / docs.length };
}

/** Checks that every message has a mailbox delivery for each of BENCH_RECIPIENTS (what listMailbox reads); throws saying which is missing. */
async function checkMailboxes(ds: DataSource, ids: readonly string[]): Promise<void> {
  const rows = await ds.manager.find(DeliveryEntity, { where: { channel: 'mailbox' }, select: { messageId: true, recipientCode: true } });
  const have = new Set(rows.map((r) => `${r.messageId} ${r.recipientCode}`));
  const missing = ids.flatMap((id) => BENCH_RECIPIENTS.filter((code) => !have.has(`${id} ${code}`)).map((code) => `${id} → ${code}`));
  if (missing.length > 0) throw new Error(`bench: ${missing.length} mailbox deliveries missing, e.g. ${missing.slice(0, 3).join(', ')}`);
}

/** BENCH_SQL_COUNT: the statements of the JSON phase per message, on stderr (intake and routing together). */
function printStatements(sql: SqlCounter, messages: number): void {
  const per = (n: number) => (n / messages).toFixed(2);
  console.error(`bench: SQL statements per JSON message: ${per(sql.total())}`);
  for (const [kind, n] of sql.counts()) console.error(`  ${per(n).padStart(7)}  ${kind}`);
}

/** The end-to-end runs: a warm-up, then `jsonCount` JSON and `xmlCount` XML documents (signed before the clock starts). */
export async function runEndToEnd(options: { databaseUrl: string; amqpUrl?: string; jsonCount: number; xmlCount: number; concurrency: number }): Promise<{ json: PhaseResult; xml: PhaseResult }> {
  const core = await startCore(options.databaseUrl, options.amqpUrl);
  try {
    const warm = await signedReports(core.credential, 'json', Math.min(200, options.concurrency * 2), 'w');
    const json = await signedReports(core.credential, 'json', options.jsonCount, 'j');
    const xml = await signedReports(core.credential, 'xml', options.xmlCount, 'x');
    await timedPhase(core, warm, options.concurrency);
    const [jsonResult, xmlResult] = await profiled(async () => {
      core.sql?.reset();
      const j = await timedPhase(core, json, options.concurrency);
      if (core.sql) printStatements(core.sql, json.length);
      return [j, await timedPhase(core, xml, options.concurrency)];
    });
    await checkMailboxes(core.ds, [...warm, ...json, ...xml].map((d) => d.id));
    return { json: jsonResult, xml: xmlResult };
  } finally {
    await core.stop();
  }
}
