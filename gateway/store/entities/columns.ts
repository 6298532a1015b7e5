import type { ValueTransformer } from 'typeorm';

/**
 * mysql2 returns BIGINT columns as strings (so that values past 2^53 survive); our counters
 * (audit seq, outbox ids) stay far below 2^53, so they are read back as numbers.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
};

/** Instants are stored with millisecond precision, in UTC on both databases. */
export const instant = { type: 'datetime', precision: 3 } as const;
