import { randomUUID } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import type { Clock } from '../../clock/clock';
import { systemClock } from '../../clock/system-clock';
import { OutboxEntity, type OutboxRow } from '../../store/entities/outbox';
import { transaction } from '../../store/transaction';
import { Batcher } from '../batcher';
import { applicationHeaders, BUS_HEADERS } from '../headers';
import { onOutboxCommit } from '../outbox-commits';
import { failureOutcome, type FailureOutcome } from '../outcome';
import type { Bus, BusMessage, MessageHandler, OutgoingMessage, Subscription } from '../port';
import { columnsOf, deleteByIds, hydrate, persistentValue, placeholders, tableOf } from '../sql';
import { topicMatches } from '../topic';
import { queueOf, resolveTopology, type BusTopology, type BusTopologyDeclaration, type ResolvedQueue } from '../topology';

/** Options of the embedded bus. */
export interface EmbeddedBusOptions {
  /**
   * The clock that stamps rows and schedules retries.
   * @defaultValue systemClock
   */
  readonly clock?: Clock;
  /**
   * How often the bus looks for due messages besides being woken by publish, retries and acks (ms).
   * @defaultValue 100
   */
  readonly pollIntervalMs?: number;
  /**
   * Outbox rows routed per pass.
   * @defaultValue 500
   */
  readonly batchSize?: number;
  /** Where problems the bus cannot hand to anyone are reported (a failed ack write, an unroutable outbox row). @defaultValue console.error */
  readonly onError?: (error: unknown) => void;
}

interface SubscriptionState {
  readonly queue: ResolvedQueue;
  readonly handler: MessageHandler;
  readonly inflight: Map<number, Promise<void>>;
  cancelled: boolean;
}

/**
 * The in-process bus (architecture.md, idea 5): the queues are rows of the store's outbox
 * table, so everything published — by `publish` or by `writeOutbox` in a caller's transaction —
 * survives a restart. It awaits each handler, then deletes the row (ack), reschedules it with
 * the queue's back-off (retry) or marks it parked, exactly as the RabbitMQ bus does. One
 * embedded bus per database: it is meant for one gateway process.
 */
export class EmbeddedBus implements Bus {
  readonly kind = 'embedded' as const;
  private readonly topology: BusTopology;
  private readonly clock: Clock;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly onError: (error: unknown) => void;
  private readonly subscriptions = new Map<string, SubscriptionState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private poller: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private pumping: Promise<void> | undefined;
  private pumpAgain = false;
  private running = false;
  private closed = false;
  /** Set when close() gave up waiting: late handler outcomes are then ignored (the rows stay). */
  private abandoned = false;
  /** The queues bound to each topic seen. */
  private readonly queuesByTopic = new Map<string, string[]>();
  /**
   * What the next pass must look at (one process writes this database's queues, so it knows):
   * queues that may hold due rows it has not handed out, and whether pending rows may wait.
   * Everything on start and on each poll (rows becoming due, rows written unseen).
   */
  private readonly dirty = new Set<string>();
  private everything = true;
  private pendingMaybe = true;
  /**
   * Rows whose handler finished (acknowledged, rescheduled or parked, committed) since the running
   * pass began. The pass's reads may come from a snapshot older than that commit (MariaDB's
   * REPEATABLE READ fixes it at the first read), where such a row still looks due and no longer
   * looks busy: it is not handed out again by that pass; the next pass reads it afresh.
   */
  private settledDuringPass = new Set<number>();
  /** Acknowledgements of the handlers that finished together: their rows deleted in one transaction. */
  private readonly acks: Batcher<number, void>;

  /** Validates the topology at once (before anything runs). */
  constructor(private readonly dataSource: DataSource, declaration: BusTopologyDeclaration, options: EmbeddedBusOptions = {}) {
    this.topology = resolveTopology(declaration);
    this.clock = options.clock ?? systemClock;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.batchSize = options.batchSize ?? 500;
    this.onError = options.onError ?? ((e) => console.error('mmgw embedded bus:', e));
    this.acks = new Batcher<number, void>(async (ids) => {
      await transaction(this.dataSource, (m) => deleteByIds(m, OutboxEntity, ids));
      return ids.map(() => undefined);
    }, { maxBatch: 500, maxWaitMs: 0, maxConcurrent: 1 });
  }

  async start(): Promise<void> {
    this.assertOpen();
    if (this.running) return;
    this.running = true;
    this.poller = setInterval(() => {
      this.everything = true;
      this.kick();
    }, this.pollIntervalMs);
    this.poller.unref();
    // A transaction that wrote outbox rows (writeOutbox) committed: route them now, not at the next poll.
    this.unsubscribe = onOutboxCommit(this.dataSource, () => {
      this.pendingMaybe = true;
      this.kick();
    });
    this.kick();
  }

  async publish(message: OutgoingMessage): Promise<string> {
    this.assertOpen();
    const queues = this.matching(message.topic);
    if (queues.length === 0) throw new GatewayError('bus.unroutable', `no queue is bound to the topic ${message.topic}`, { topic: message.topic });
    const id = message.id ?? randomUUID();
    const now = this.clock.now();
    await transaction(this.dataSource, async (m) => {
      for (const queue of queues) {
        await m.insert(OutboxEntity, {
          topic: message.topic, queue, state: 'ready', messageId: id, payload: message.payload, headers: applicationHeaders(message.headers),
          attempts: 0, lastErrorCode: null, createdAt: now, availableAt: now,
        });
      }
    });
    for (const queue of queues) this.dirty.add(queue);
    this.kick();
    return id;
  }

  async subscribe(queue: string, handler: MessageHandler): Promise<Subscription> {
    this.assertOpen();
    const q = queueOf(this.topology, queue);
    if (this.subscriptions.has(queue)) throw new GatewayError('bus.already-subscribed', `the queue ${queue} already has a handler on this bus`, { queue });
    const state: SubscriptionState = { queue: q, handler, inflight: new Map(), cancelled: false };
    this.subscriptions.set(queue, state);
    this.dirty.add(queue);
    this.kick();
    return {
      cancel: async () => {
        state.cancelled = true;
        await Promise.all(state.inflight.values());
        this.subscriptions.delete(queue);
      },
    };
  }

  async parkedCount(queue: string): Promise<number> {
    queueOf(this.topology, queue);
    return transaction(this.dataSource, (m) => m.countBy(OutboxEntity, { state: 'parked', queue }));
  }

  async redrive(queue: string, options: { limit?: number } = {}): Promise<number> {
    this.assertOpen();
    queueOf(this.topology, queue);
    const now = this.clock.now();
    const moved = await transaction(this.dataSource, async (m) => {
      const rows = await m.find(OutboxEntity, { where: { state: 'parked', queue }, order: { id: 'ASC' }, take: options.limit ?? 1000 });
      if (rows.length > 0) await m.update(OutboxEntity, { id: In(rows.map((r) => r.id)) }, { state: 'ready', attempts: 0, availableAt: now });
      return rows.length;
    });
    this.dirty.add(queue);
    this.kick();
    return moved;
  }

  async close(options: { drainTimeoutMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.running = false;
    if (this.poller) clearInterval(this.poller);
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.pumping;
    const inflight = [...this.subscriptions.values()].flatMap((s) => [...s.inflight.values()]);
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.all(inflight).then(() => true),
      new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), options.drainTimeoutMs ?? 30_000); }),
    ]);
    clearTimeout(timer);
    if (!drained) this.abandoned = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new GatewayError('bus.closed', 'the embedded bus is closed');
  }

  private matching(topic: string): string[] {
    let queues = this.queuesByTopic.get(topic);
    if (queues === undefined) {
      queues = [...this.topology.queues.values()].filter((q) => q.bindings.some((b) => topicMatches(b, topic))).map((q) => q.name);
      if (this.queuesByTopic.size < 10_000) this.queuesByTopic.set(topic, queues);
    }
    return queues;
  }

  /** Runs a pass now, or right after the one running. */
  private kick(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pass()
      .catch((e) => this.onError(e))
      .finally(() => {
        this.pumping = undefined;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.kick();
        }
      });
  }

  /**
   * One pass, in one transaction: routes the pending rows to their queues, then takes the due
   * rows of each subscribed queue (up to its room: prefetch minus the rows in its handlers) and
   * hands them to the handlers.
   */
  private async pass(): Promise<void> {
    const everything = this.everything;
    this.everything = false;
    this.settledDuringPass = new Set();
    const taken = await transaction(this.dataSource, async (m) => {
      if (everything || this.pendingMaybe) await this.routePending(m);
      const out: [SubscriptionState, OutboxRow[]][] = [];
      for (const sub of this.subscriptions.values()) {
        const q = sub.queue.name;
        if (!everything && !this.dirty.has(q)) continue; // nothing new there since it was last read to the end
        const room = sub.queue.prefetch - sub.inflight.size;
        if (room <= 0 || sub.cancelled || !this.running) {
          this.dirty.add(q); // read it once there is room
          continue;
        }
        this.dirty.delete(q);
        const rows = await this.dueRows(m, q, [...sub.inflight.keys()], room);
        if (rows.length >= room) this.dirty.add(q); // there may be more
        out.push([sub, rows]);
      }
      return out;
    }).catch((e: unknown) => {
      this.everything = true; // read it all again next time
      throw e;
    });
    const settled = this.settledDuringPass;
    for (const [sub, rows] of taken) for (const row of rows) if (this.running && !sub.cancelled && !sub.inflight.has(row.id) && !settled.has(row.id)) this.dispatch(sub, row);
  }

  /** Up to `take` rows of `queue` that are due, oldest first, without those in a handler (`busy`). */
  private async dueRows(m: EntityManager, queue: string, busy: readonly number[], take: number): Promise<OutboxRow[]> {
    const notBusy = busy.length > 0 ? ` AND id NOT IN (${placeholders(busy.length)})` : '';
    const raw = (await m.query(
      `SELECT ${columnsOf(m, OutboxEntity)} FROM ${tableOf(m, OutboxEntity)} WHERE state = 'ready' AND queue = ? AND available_at <= ?${notBusy} ORDER BY id LIMIT ?`,
      [queue, persistentValue(m, OutboxEntity, 'availableAt', this.clock.now()), ...busy, take],
    )) as Record<string, unknown>[];
    return raw.map((r) => hydrate(m, OutboxEntity, r));
  }

  /**
   * Routes rows written by `writeOutbox` (state pending) to the queues bound to their topic: one
   * UPDATE per queue for the rows of topics bound to one queue; a row of a topic bound to
   * several queues is copied into the others; a row no queue is bound to is parked.
   */
  private async routePending(m: EntityManager): Promise<void> {
    const table = tableOf(m, OutboxEntity);
    this.pendingMaybe = false;
    const pending = (await m.query(`SELECT id, topic FROM ${table} WHERE state = 'pending' ORDER BY id LIMIT ?`, [this.batchSize])) as { id: number | string; topic: string }[];
    if (pending.length >= this.batchSize) this.pendingMaybe = true; // there may be more
    if (pending.length === 0) return;
    const toQueue = new Map<string, number[]>();
    const unroutable: { id: number; topic: string }[] = [];
    const copied: number[] = [];
    for (const p of pending) {
      const id = Number(p.id);
      const [first, ...others] = this.matching(p.topic);
      if (first === undefined) unroutable.push({ id, topic: p.topic });
      else if (others.length > 0) copied.push(id);
      else toQueue.set(first, [...(toQueue.get(first) ?? []), id]);
    }
    for (const [queue, ids] of toQueue) {
      this.dirty.add(queue);
      await m.query(`UPDATE ${table} SET queue = ?, state = 'ready' WHERE id IN (${placeholders(ids.length)})`, [queue, ...ids]);
    }
    for (const { id, topic } of unroutable) {
      // Kept, not dropped: an operator can see it and fix the topology.
      await m.query(`UPDATE ${table} SET state = 'parked', last_error_code = 'bus.unroutable' WHERE id = ?`, [id]);
      this.onError(new GatewayError('bus.unroutable', `outbox row ${id}: no queue is bound to the topic ${topic}; parked without a queue`, { topic }));
    }
    if (copied.length > 0) {
      for (const row of await m.find(OutboxEntity, { where: { id: In(copied) }, order: { id: 'ASC' } })) {
        const [first, ...others] = this.matching(row.topic);
        await m.update(OutboxEntity, { id: row.id }, { queue: first, state: 'ready' });
        for (const queue of others) await m.insert(OutboxEntity, { ...row, id: undefined, queue, state: 'ready' });
        for (const queue of [first!, ...others]) this.dirty.add(queue);
      }
    }
  }

  private dispatch(sub: SubscriptionState, row: OutboxRow): void {
    const attempt = row.attempts + 1;
    const message: BusMessage = {
      id: row.messageId, topic: row.topic, queue: sub.queue.name, payload: row.payload, headers: applicationHeaders(row.headers), attempt,
      ...(row.lastErrorCode !== null ? { lastErrorCode: row.lastErrorCode } : {}),
    };
    const run = (async () => {
      let outcome: FailureOutcome | 'ack';
      try {
        await sub.handler(message);
        outcome = 'ack';
      } catch (e) {
        outcome = failureOutcome(e, attempt, sub.queue.retry);
      }
      if (this.abandoned) return; // closed without waiting for us: the row stays, the message comes again
      await this.settle(row, outcome);
    })()
      .catch((e) => this.onError(e)) // the settle write failed: the row stays and is handled again
      .finally(() => {
        this.settledDuringPass.add(row.id);
        sub.inflight.delete(row.id);
        this.kick();
      });
    sub.inflight.set(row.id, run);
  }

  /** Records a handler's outcome: ack deletes the row; a retry reschedules it; parking marks it. */
  private async settle(row: OutboxRow, outcome: FailureOutcome | 'ack'): Promise<void> {
    if (outcome === 'ack') {
      // With the acknowledgements of the handlers that finished meanwhile: one DELETE, one commit.
      await this.acks.add(row.id);
      return;
    }
    const headers = { ...row.headers, [BUS_HEADERS.lastError]: outcome.message };
    const failed = { attempts: row.attempts + 1, lastErrorCode: outcome.code, headers };
    if (outcome.action === 'park') {
      await transaction(this.dataSource, (m) => m.update(OutboxEntity, { id: row.id }, { ...failed, state: 'parked' }));
      return;
    }
    const availableAt = new Date(this.clock.now().getTime() + outcome.delayMs);
    await transaction(this.dataSource, (m) => m.update(OutboxEntity, { id: row.id }, { ...failed, availableAt }));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.dirty.add(row.queue ?? '');
      this.kick();
    }, outcome.delayMs + 1);
    timer.unref();
    this.timers.add(timer);
  }
}
