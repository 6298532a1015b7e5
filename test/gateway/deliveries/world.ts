import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { EmbeddedBus, type BusTopologyDeclaration } from '../../../gateway/bus';
import { TestClock } from '../../../gateway/clock';
import { deliveryContext, deliveryQueueDeclarations, MailboxNotifier, type DeliveryContext, type DeliveryHooks } from '../../../gateway/deliveries';
import { migrate, openStore, transaction, writeOutbox, DeliveryEntity, InstitutionEntity, MessageEntity, type Channel, type DeliveryRow } from '../../../gateway/store';
import { migrations } from '../../../migrations';

/** The short push back-off of the tests: 3 attempts, 20 ms apart. */
export const TEST_PUSH_RETRY = { maxAttempts: 3, baseDelayMs: 20, factor: 1, maxDelayMs: 20 };

/** The test bus topology: the delivery queues with the short push back-off. */
export const testTopology = (): BusTopologyDeclaration => ({ exchange: 'mmgw', queues: deliveryQueueDeclarations({ push: { retry: TEST_PUSH_RETRY } }) });

/** A store, an embedded bus on it, a test clock and the delivery context. */
export interface World {
  readonly ds: DataSource;
  readonly bus: EmbeddedBus;
  readonly clock: TestClock;
  readonly ctx: DeliveryContext;
  readonly acknowledged: Parameters<DeliveryHooks['onDeliveryAcknowledged']>[1][];
}

/** A database URL per world: a fresh SQLite file, or the MariaDB database of the test file; undefined when the service is missing (the tests were reported skipped). */
export type UrlSource = () => string | undefined;

/**
 * `it` for the suites: the test body runs only when the world could be opened (a missing
 * MariaDB outside CI was already reported loudly by test/support/services.ts; in CI it fails).
 */
export function liveIt(ready: () => boolean): (name: string, fn: () => Promise<void>, timeoutMs?: number) => void {
  return (name, fn, timeoutMs) => it(name, async () => {
    if (ready()) await fn();
  }, timeoutMs);
}

/** Opens a world when the URL source has a database. */
export async function openWorldIf(urls: UrlSource): Promise<World | undefined> {
  const url = urls();
  return url === undefined || url === '' ? undefined : openWorld(url);
}

/** A fresh SQLite file per call, removed after the test file. */
export function sqliteUrls(): UrlSource {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-deliveries-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return () => `sqlite:${path.join(dir, `${randomBytes(4).toString('hex')}.sqlite`)}`;
}

/** Opens a world; the caller closes it with `closeWorld`. The bus runs on the system clock (retries take real, short delays); the delivery stage on the test clock. */
export async function openWorld(url: string): Promise<World> {
  const ds = await openStore(url, { migrations });
  await migrate(ds);
  const clock = new TestClock('2026-11-28T03:00:00Z');
  const acknowledged: World['acknowledged'] = [];
  const ctx = deliveryContext({ clock, notifier: new MailboxNotifier(), hooks: { onDeliveryAcknowledged: async (_m, ack) => { acknowledged.push(ack); } } });
  const bus = new EmbeddedBus(ds, testTopology(), { pollIntervalMs: 20 });
  return { ds, bus, clock, ctx, acknowledged };
}

/** Closes the bus and the store. */
export async function closeWorld(w: World | undefined): Promise<void> {
  if (w === undefined) return;
  await w.bus.close({ drainTimeoutMs: 5000 });
  await w.ds.destroy();
}

let counter = 0;
/** A fresh operator code for one test (op-t…), so tests sharing a database do not see each other's mailboxes. */
export function freshCode(prefix = 'op'): string {
  counter += 1;
  return `${prefix}-t${randomBytes(3).toString('hex')}${counter}`;
}

/** Registers an institution with its channels in order of preference. */
export async function register(w: World, code: string, channels: Channel[]): Promise<void> {
  const now = w.clock.now();
  await transaction(w.ds, (m) => m.save(InstitutionEntity, { code, kind: code.startsWith('op-') ? 'operator' : 'cncert', name: code, province: null, channels, createdAt: now, updatedAt: now }));
}

/** A stored message as intake would leave it. */
export interface Accepted {
  readonly id: string;
  readonly bytes: Buffer;
  readonly hash: string;
}

/**
 * Does what intake does for an accepted message (seam 1): inserts the `messages` row (exact
 * bytes, hash, envelope) and, in the same transaction, the outbox row `message.accepted.<type>`.
 */
export async function accept(w: World, env: { from: string; to: string[]; cc?: string[]; type?: string; format?: 'xml' | 'json'; id?: string }): Promise<Accepted> {
  counter += 1;
  const id = env.id ?? `${env.from}-20261128-${String(counter).padStart(4, '0')}${randomBytes(2).toString('hex')}`;
  const type = env.type ?? 'IncidentNotice';
  const format = env.format ?? 'json';
  const bytes = format === 'json'
    ? Buffer.from(`{"payload":"${Buffer.from(JSON.stringify({ id, type, from: env.from })).toString('base64url')}","protected":"e30","signature":"c2ln"}\n`)
    : Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<Message xmlns="urn:mmgw:message:1"><id>${id}</id><!-- 签名 --></Message>\n`);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const now = w.clock.now();
  await transaction(w.ds, async (m) => {
    await m.insert(MessageEntity, {
      id, type, version: '1.0', fromCode: env.from, toCodes: env.to, ccCodes: env.cc ?? [], sentAt: now, taskNumber: null, inReplyTo: null,
      format, bytes, hash, size: bytes.length, acceptedAt: now,
    });
    await writeOutbox(m, [{ topic: `message.accepted.${type}`, messageId: `accepted:${id}`, payload: Buffer.from(JSON.stringify({ messageId: id })) }], now);
  });
  return { id, bytes, hash };
}

/** The deliveries of a message, by id. */
export async function deliveriesOf(w: World, messageId: string): Promise<DeliveryRow[]> {
  return transaction(w.ds, (m) => m.find(DeliveryEntity, { where: { messageId }, order: { id: 'ASC' } }));
}

/** Waits (checking every 10 ms, at most `timeoutMs`) until `check` returns a value other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
