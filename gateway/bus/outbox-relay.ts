import type { DataSource } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { isSqlite } from '../store/dialect';
import { OutboxEntity } from '../store/entities/outbox';
import { transaction } from '../store/transaction';
import type { Bus } from './port';

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
 */
export async function relayOutbox(dataSource: DataSource, bus: Bus, options: { batchSize?: number } = {}): Promise<RelayResult> {
  return transaction(dataSource, async (m) => {
    const rows = await m.find(OutboxEntity, {
      where: { state: 'pending' },
      order: { id: 'ASC' },
      take: options.batchSize ?? 200,
      ...(isSqlite(m) ? {} : { lock: { mode: 'pessimistic_write' as const, onLocked: 'skip_locked' as const } }),
    });
    const outcomes = await Promise.allSettled(rows.map((r) => bus.publish({ topic: r.topic, payload: r.payload, id: r.messageId, headers: r.headers })));
    const published: number[] = [];
    const unroutable: number[] = [];
    outcomes.forEach((o, i) => {
      if (o.status === 'fulfilled') published.push(rows[i].id);
      else if (o.reason instanceof GatewayError && o.reason.code === 'bus.unroutable') unroutable.push(rows[i].id);
    });
    // One primary-key equality per row: it locks only our row. An `IN (…)` or OR list lets
    // MariaDB pick a scan on a small outbox, which waits on the other relays' rows (deadlock).
    for (const id of published) await m.delete(OutboxEntity, { id });
    for (const id of unroutable) await m.update(OutboxEntity, { id }, { state: 'parked', lastErrorCode: 'bus.unroutable' });
    return { published: published.length, unroutable: unroutable.length, failed: rows.length - published.length - unroutable.length };
  }, { isolation: 'READ COMMITTED' }); // no gap locks: concurrent relays would deadlock on them
}
