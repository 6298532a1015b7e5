import { defineCodes } from './code-info';

/** The database: its configuration (MMGW_DATABASE_URL), reachability and schema (issue 4, item 1). */
export const storeCodes = defineCodes('store', {
  'store.bad-database-url': { description: 'MMGW_DATABASE_URL is not a database URL mmgw can use (mysql://user:pass@host:port/database or sqlite:PATH).', http: 500, exit: 2 },
  'store.unreachable': { description: 'The database cannot be reached or refused the connection.', http: 503, exit: 3 },
  'store.not-migrated': { description: 'The database schema is behind the code: migrations are pending (run `mmgw migrate` / `npm run migrate`).', http: 503, exit: 3 },
  'store.migration-failed': { description: 'A schema migration failed; the database is left at the last migration that succeeded.', http: 500, exit: 3 },
});

/** The message bus: its configuration (MMGW_AMQP_URL, the topology declaration) and its delivery outcomes (issue 4, item 3). */
export const busCodes = defineCodes('bus', {
  'bus.bad-amqp-url': { description: 'MMGW_AMQP_URL is not an amqp:// or amqps:// URL.', http: 500, exit: 2 },
  'bus.invalid-topology': { description: 'The bus topology declaration is invalid (unknown key, bad name, bad binding pattern or retry setting); every problem is listed.', http: 500, exit: 2 },
  'bus.unreachable': { description: 'The message broker cannot be reached.', http: 503, exit: 3 },
  'bus.unknown-queue': { description: 'The queue is not declared in the bus topology.', http: 500, exit: 2 },
  'bus.already-subscribed': { description: 'The queue already has a handler on this bus; one bus instance runs one handler per queue (its prefetch bounds the concurrency).', http: 500, exit: 2 },
  'bus.unroutable': { description: 'No queue of the topology is bound to the topic the message was published to, so nobody would receive it.', http: 500, exit: 3 },
  'bus.publish-failed': { description: 'The broker did not confirm the message (negative confirm or lost connection); it was not published.', http: 503, exit: 3 },
  'bus.closed': { description: 'The bus was closed; it cannot publish or subscribe any more.', http: 503, exit: 3 },
  'bus.handler-transient': { description: 'A message handler failed in a way worth retrying later (the default code of a TransientError).', http: 503, exit: 3 },
  'bus.handler-permanent': { description: 'A message handler refused a message that no retry can fix (the default code of a PermanentError); the message is parked.', http: 500, exit: 1 },
  'bus.handler-failed': { description: 'A message handler threw an error that is neither transient nor permanent; it is retried like a transient one.', http: 500, exit: 3 },
});

/** The hash-chained audit log (issue 4, item 6). */
export const auditCodes = defineCodes('audit', {
  'audit.bad-entry': { description: 'An audit entry to append is incomplete (kind, actor or subject missing or too long, details not a JSON object).', http: 500, exit: 2 },
  'audit.no-transaction': { description: 'appendAudit was called outside a transaction; an audit entry is written in the same transaction as the change it records.', http: 500, exit: 3 },
  'audit.chain-broken': { description: 'The audit chain does not verify: an entry was edited, inserted or deleted (the first broken seq is given).', http: 500, exit: 1 },
});

/** Every code of the store, the bus and the audit log. */
export const storeBusAuditCodes = { ...storeCodes, ...busCodes, ...auditCodes };
