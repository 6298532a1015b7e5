import type { DataSource } from 'typeorm';

/** Statements counted by kind (verb + first table), since `reset`. */
export interface SqlCounter {
  reset(): void;
  /** The kinds, most frequent first, with their count. */
  counts(): Array<[string, number]>;
  total(): number;
}

/** The kind of a statement: its verb and the first table it names (`SELECT obligations`, `INSERT outbox`, `COMMIT`). */
export function statementKind(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  const verb = (/^\w+/.exec(s)?.[0] ?? '?').toUpperCase();
  const table = /\b(?:FROM|INTO|UPDATE)\s+[`"]?(\w+)/i.exec(s)?.[1];
  return table ? `${verb} ${table}` : s.slice(0, 40).toUpperCase();
}

/**
 * When BENCH_SQL_COUNT is set, counts every statement the data source's query runners send (a
 * wrapper around its logger: typeorm logs each query before it runs, whether logging is on or
 * not), so that the bench can print statements per accepted message.
 */
export function countStatements(ds: DataSource): SqlCounter {
  const counts = new Map<string, number>();
  const logger = ds.logger;
  const original = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, runner) => {
    const k = statementKind(query);
    counts.set(k, (counts.get(k) ?? 0) + 1);
    return original(query, parameters, runner);
  };
  return {
    reset: () => counts.clear(),
    counts: () => [...counts].sort((a, b) => b[1] - a[1]),
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
  };
}
