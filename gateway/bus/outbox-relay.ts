import type { DataSource, EntityManager } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { isSqlite } from '../store/dialect';
import { OutboxEntity, type OutboxRow } from '../store/entities/outbox';
import { transaction } from '../store/transaction';
import { onOutboxCommit } from './outbox-commits';
import type { Bus } from './port';
import { columnsOf, deleteByIds, hydrate, tableOf } from './sql';

/** What one relay pass did. */
export interface RelayResult {
  /** Rows published (confirmed) and deleted. */
  readonly published: number;
  /** Rows whose topic no queue is bound to: kept, parked without a queue, code `bus.unroutable`. */
  readonly unroutable: number;
  /** Rows the bus did not confirm: left pending for the next pass. */
  readonly failed: number;
}

/**
 * One pass of the outbox relay (architecture.md, idea 2): publishes up to `batchSize` pending
 * outbox rows — written by `writeOutbox` in the transactions that accepted the messages — to
 * the bus with confirms, and deletes those confirmed. The rows stay locked (`FOR UPDATE SKIP
 * LOCKED` on MySQL) until then, so relays in several gateway processes share the rows without
 * publishing one twice; a crash between confirm and commit publishes it again (at least once).
 * Three statements besides the transaction: the SELECT, one DELETE for all the rows confirmed,
 * and an UPDATE per unroutable row (rare).
 */
export async function relayOutbox(dataSource: DataSource, bus: Bus, options: { batchSize?: number } = {}): Promise<RelayResult> {
  return transaction(dataSource, async (m) => {
    const rows = await pendingRows(m, options.batchSize ?? 200);
    // Published in id order on one channel: the broker keeps that order.
    const outcomes = await Promise.allSettled(rows.map((r) => bus.publish({ topic: r.topic, payload: r.payload, id: r.messageId, headers: r.headers })));
    const published: number[] = [];
    const unroutable: number[] = [];
    outcomes.forEach((o, i) => {
      if (o.status === 'fulfilled') published.push(rows[i].id);
      else if (o.reason instanceof GatewayError && o.reason.code === 'bus.unroutable') unroutable.push(rows[i].id);
    });
    // By primary key only (see deleteByIds): a scan would wait on the other relays' rows.
    await deleteByIds(m, OutboxEntity, published);
    for (const id of unroutable) await m.query(`UPDATE ${tableOf(m, OutboxEntity)} SET state = 'parked', last_error_code = 'bus.unroutable' WHERE id = ?`, [id]);
    return { published: published.length, unroutable: unroutable.length, failed: rows.length - published.length - unroutable.length };
  }, { isolation: 'READ COMMITTED' }); // no gap locks: concurrent relays would deadlock on them
}

/** Up to `take` pending rows, oldest first, locked for this transaction (skipping those other relays hold) on MySQL. */
async function pendingRows(m: EntityManager, take: number): Promise<OutboxRow[]> {
  const cols = columnsOf(m, OutboxEntity, ['id', 'topic', 'messageId', 'payload', 'headers']);
  const lock = isSqlite(m) ? '' : ' FOR UPDATE SKIP LOCKED';
  const raw = (await m.query(`SELECT ${cols} FROM ${tableOf(m, OutboxEntity)} WHERE state = 'pending' ORDER BY id LIMIT ?${lock}`, [take])) as Record<string, unknown>[];
  return raw.map((r) => hydrate(m, OutboxEntity, r));
}

/** Options of the running relay. */
export interface OutboxRelayOptions {
  /**
   * Rows per pass.
   * @defaultValue 500
   */
  readonly batchSize?: number;
  /**
   * How often the relay looks when nothing woke it (ms): rows committed by other processes, or
   * written without typeorm's knowledge, are published within this time.
   * @defaultValue 200
   */
  readonly idlePollMs?: number;
  /**
   * The pause after a pass in which the bus confirmed nothing it was given (the broker away), before trying again (ms).
   * @defaultValue 200
   */
  readonly retryDelayMs?: number;
  /** Where a failed pass is reported. @defaultValue console.error */
  readonly onError?: (error: unknown) => void;
}

/**
 * The outbox relay as it runs beside RabbitMQ: pass after pass while there are rows (a pass
 * that found a full batch or was woken meanwhile is followed at once by the next), and when
 * the outbox is empty it waits until a transaction of this process that inserted outbox rows
 * commits (onOutboxCommit) or `idlePollMs` has passed. One pass at a time in a process, so the rows are published in the
 * order of their ids; relays of several processes share the rows (see relayOutbox).
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly idlePollMs: number;
  private readonly retryDelayMs: number;
  private readonly onError: (error: unknown) => void;
  private unsubscribe: (() => void) | undefined;
  private running = false;
  private woken = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly dataSource: DataSource, private readonly bus: Bus, options: OutboxRelayOptions = {}) {
    this.batchSize = options.batchSize ?? 500;
    this.idlePollMs = options.idlePollMs ?? 200;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.onError = options.onError ?? ((e) => console.error('mmgw outbox relay:', e));
  }

  /** Starts relaying (a first pass at once). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = onOutboxCommit(this.dataSource, () => this.wake());
    this.loop = this.run();
  }

  /** Asks for a pass now (or right after the one running). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops after the pass running, then makes a last pass (what the stopping workers committed). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.wakeUp?.();
    await this.loop;
    await relayOutbox(this.dataSource, this.bus, { batchSize: this.batchSize }).catch((e: unknown) => this.onError(e));
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      let pause = this.idlePollMs;
      try {
        const r = await relayOutbox(this.dataSource, this.bus, { batchSize: this.batchSize });
        if (r.failed > 0 && r.published === 0) pause = this.retryDelayMs;
        else if (r.published + r.unroutable + r.failed >= this.batchSize) pause = 0;
      } catch (e) {
        this.onError(e);
        pause = this.retryDelayMs;
      }
      if (pause === 0 || !this.running) continue;
      if (pause === this.idlePollMs && this.woken) continue; // a commit came during the pass
      await this.sleep(pause, pause === this.idlePollMs);
    }
  }

  /** Waits `ms`; a wake ends the wait when `wakeable` (not the pause after a failure); stop always does. */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = () => {
        if (wakeable || !this.running) done();
      };
    });
  }
}
