import { EntitySchema } from 'typeorm';
import { bigintAsNumber, instant } from './columns';

/**
 * The state of an outbox row. `pending`: written by a transaction, not yet routed to a queue
 * (the relay publishes it to RabbitMQ; the embedded bus routes it to its queues). `ready`: in a
 * queue of the embedded bus, to be handled when `availableAt` has passed. `parked`: in the
 * queue's parking area, waiting for a redrive.
 */
export type OutboxState = 'pending' | 'ready' | 'parked';

/** A message waiting to be published (pending) or, for the embedded bus, waiting in a queue. */
export interface OutboxRow {
  id: number;
  /** The routing key (topic) it was published with. */
  topic: string;
  /** The queue it sits in (embedded bus); null while pending. */
  queue: string | null;
  state: OutboxState;
  /** The bus message id: stable across retries and redeliveries, for dedupe. */
  messageId: string;
  payload: Buffer;
  /** Application headers (string values). */
  headers: Record<string, string>;
  /** Failed handling attempts so far. */
  attempts: number;
  lastErrorCode: string | null;
  createdAt: Date;
  /** Not to be handled before this instant (the retry back-off). */
  availableAt: Date;
}

export const OutboxEntity = new EntitySchema<OutboxRow>({
  name: 'Outbox',
  tableName: 'outbox',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment', transformer: bigintAsNumber },
    topic: { type: 'varchar', length: 200 },
    queue: { type: 'varchar', length: 200, nullable: true },
    state: { type: 'varchar', length: 8 },
    messageId: { type: 'varchar', length: 128, name: 'message_id' },
    payload: { type: 'blob' },
    headers: { type: 'simple-json' },
    attempts: { type: 'int', default: 0 },
    lastErrorCode: { type: 'varchar', length: 64, name: 'last_error_code', nullable: true },
    createdAt: { ...instant, name: 'created_at' },
    availableAt: { ...instant, name: 'available_at' },
  },
});
