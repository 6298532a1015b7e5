import { EntitySchema } from 'typeorm';
import { instant } from './columns';

/**
 * What a consumer has already done: one row per (consumer, key), inserted in the consumer's own
 * transaction, so a redelivered message is recognised and done once.
 */
export interface DedupeRow {
  /** The consumer, e.g. `routing`, `delivery.push`. */
  consumer: string;
  /** The key of the work done, usually the bus message id. */
  key: string;
  doneAt: Date;
}

export const DedupeEntity = new EntitySchema<DedupeRow>({
  name: 'Dedupe',
  tableName: 'dedupe',
  columns: {
    consumer: { type: 'varchar', length: 64, primary: true },
    key: { type: 'varchar', length: 128, primary: true, name: 'dedupe_key' },
    doneAt: { ...instant, name: 'done_at' },
  },
});
