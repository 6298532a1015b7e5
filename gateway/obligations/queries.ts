import type { EntityManager } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { CaseEntity } from './entities/case';
import { ObligationEntity, type ObligationRow, type ObligationState } from './entities/obligation';

/** What `listObligations` filters by. */
export interface ObligationQuery {
  /** Only the obligations this institution owes. */
  readonly party?: string;
  /** Only the open obligations past their due instant at `now`. */
  readonly overdue?: boolean;
  /** Only obligations in this state. */
  readonly state?: ObligationState;
  /** The instant "overdue" is judged at (required with `overdue`). */
  readonly now?: Date;
}

/** An obligation as listed, with whether it is overdue at the query's `now`. */
export interface ListedObligation extends ObligationRow {
  readonly overdue: boolean;
}

const STATES: readonly ObligationState[] = ['open', 'met', 'met-late', 'waived'];

/**
 * The obligations for `GET /v1/obligations` and `mmgw obligations --as CODE [--overdue]`, due
 * first (no deadline last). `obligation.bad-query` for a malformed party, state or instant.
 */
export async function listObligations(manager: EntityManager, query: ObligationQuery = {}): Promise<ListedObligation[]> {
  if (query.party !== undefined && !/^[a-z][a-z0-9-]{1,31}$/.test(query.party)) {
    throw new GatewayError('obligation.bad-query', `party "${query.party}" is not an institution code (e.g. op-cmcc, ca-11, cncert)`, { field: 'party', value: query.party });
  }
  if (query.state !== undefined && !STATES.includes(query.state)) {
    throw new GatewayError('obligation.bad-query', `state "${String(query.state)}" is not one of ${STATES.join(', ')}`, { field: 'state', value: query.state });
  }
  if (query.overdue && (query.now === undefined || Number.isNaN(query.now.getTime()))) {
    throw new GatewayError('obligation.bad-query', 'overdue needs the instant to judge it at (now)', { field: 'now' });
  }
  const qb = manager.createQueryBuilder(ObligationEntity, 'o');
  if (query.party !== undefined) qb.andWhere('o.party = :party', { party: query.party });
  if (query.state !== undefined) qb.andWhere('o.state = :state', { state: query.state });
  if (query.overdue) qb.andWhere('o.state = :open AND o.due IS NOT NULL AND o.due < :now', { open: 'open', now: query.now });
  const rows = await qb.orderBy('o.due IS NULL', 'ASC').addOrderBy('o.due', 'ASC').addOrderBy('o.id', 'ASC').getMany();
  const now = query.now;
  return rows.map((r) => ({ ...r, overdue: now !== undefined && r.state === 'open' && r.due !== null && r.due.getTime() < now.getTime() }));
}

/** What `pageObligations` answers one institution (GET /v1/obligations, `mmgw obligations`). */
export interface ObligationPageQuery {
  /** The institution that owes them (the caller). */
  readonly party: string;
  /** The instant "overdue" is judged at. */
  readonly now: Date;
  readonly state?: ObligationState;
  /** true: only open and past due at `now`; false: only those that are not. */
  readonly overdue?: boolean;
  /** The obligation id of rules.md, e.g. `disposal-feedback`. */
  readonly obligation?: string;
  /** The case: its task number, or its key (the id of the message that opened it). */
  readonly caseRef?: string;
  /** The `next` cursor of the previous page. */
  readonly after?: string;
  /** @defaultValue 50 */
  readonly limit?: number;
}

/** A page of obligations, due first (no deadline last); `next` is the cursor of the next page, null at the end. */
export interface ObligationPage {
  readonly items: ListedObligation[];
  readonly next: string | null;
}

/** The obligation ids of rules.md "Obligations and deadlines" that the gateway keeps a row for. */
export const OBLIGATION_IDS: readonly string[] = [
  'sample-report', 'sample-identification', 'event-report', 'cncert-event-report', 'monthly-general-summary', 'disposal-feedback',
  'domain-disposal', 'verification', 'written-followup', 'contact-change',
];

/** The largest page `pageObligations` gives. */
export const MAX_OBLIGATION_PAGE = 200;

/** The cursor of the row after which the next page starts: its due instant (ms, or `-` for none) and id. */
function cursorOf(row: ObligationRow): string {
  return `${row.due === null ? '-' : String(row.due.getTime())}.${row.id}`;
}

function readCursor(text: string): { due: Date | null; id: number } {
  const m = /^(-|\d{1,15})\.(\d{1,15})$/.exec(text);
  if (m === null) throw new GatewayError('obligation.bad-query', `after "${text}" is not the next cursor of a previous page`, { field: 'after', value: text });
  return { due: m[1] === '-' ? null : new Date(Number(m[1])), id: Number(m[2]) };
}

/**
 * One page of the obligations `party` owes, due first (no deadline last, then by id), filtered by
 * state, overdue at `now`, obligation id and case; keyset paging, so rows opened meanwhile neither
 * repeat nor shift a page. Every malformed filter is `obligation.bad-query` naming its field.
 * A case the party is not a party of simply has none of its obligations.
 */
export async function pageObligations(manager: EntityManager, query: ObligationPageQuery): Promise<ObligationPage> {
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_OBLIGATION_PAGE) {
    throw new GatewayError('obligation.bad-query', `limit must be a whole number from 1 to ${MAX_OBLIGATION_PAGE}, got ${String(query.limit)}`, { field: 'limit', value: query.limit });
  }
  if (query.obligation !== undefined && !OBLIGATION_IDS.includes(query.obligation)) {
    throw new GatewayError('obligation.bad-query', `obligation "${query.obligation}" is not one of ${OBLIGATION_IDS.join(', ')}`, { field: 'obligation', value: query.obligation });
  }
  if (query.caseRef !== undefined && (query.caseRef === '' || query.caseRef.length > 128)) {
    throw new GatewayError('obligation.bad-query', 'case must be a task number or case key of 1 to 128 characters', { field: 'case', value: query.caseRef });
  }
  const cursor = query.after === undefined ? undefined : readCursor(query.after);
  // The party, state and instant are checked the way listObligations checks them.
  if (!/^[a-z][a-z0-9-]{1,31}$/.test(query.party)) {
    throw new GatewayError('obligation.bad-query', `party "${query.party}" is not an institution code (e.g. op-cmcc, ca-11, cncert)`, { field: 'party', value: query.party });
  }
  if (query.state !== undefined && !STATES.includes(query.state)) {
    throw new GatewayError('obligation.bad-query', `state "${String(query.state)}" is not one of ${STATES.join(', ')}`, { field: 'state', value: query.state });
  }
  const qb = manager.createQueryBuilder(ObligationEntity, 'o').where('o.party = :party', { party: query.party });
  if (query.state !== undefined) qb.andWhere('o.state = :state', { state: query.state });
  if (query.obligation !== undefined) qb.andWhere('o.obligation = :obligation', { obligation: query.obligation });
  if (query.overdue === true) qb.andWhere('o.state = :open AND o.due IS NOT NULL AND o.due < :now', { open: 'open', now: query.now });
  if (query.overdue === false) qb.andWhere('NOT (o.state = :open AND o.due IS NOT NULL AND o.due < :now)', { open: 'open', now: query.now });
  if (query.caseRef !== undefined) {
    const c = (await manager.findOneBy(CaseEntity, { taskNumber: query.caseRef })) ?? (await manager.findOneBy(CaseEntity, { key: query.caseRef }));
    if (c === null) return { items: [], next: null };
    qb.andWhere('o.caseKey = :caseKey', { caseKey: c.key });
  }
  if (cursor !== undefined) {
    if (cursor.due === null) qb.andWhere('o.due IS NULL AND o.id > :afterId', { afterId: cursor.id });
    else qb.andWhere('(o.due IS NULL OR o.due > :afterDue OR (o.due = :afterDue AND o.id > :afterId))', { afterDue: cursor.due, afterId: cursor.id });
  }
  const rows = await qb.orderBy('o.due IS NULL', 'ASC').addOrderBy('o.due', 'ASC').addOrderBy('o.id', 'ASC').limit(limit + 1).getMany();
  const page = rows.slice(0, limit);
  const now = query.now.getTime();
  return {
    items: page.map((r) => ({ ...r, overdue: r.state === 'open' && r.due !== null && r.due.getTime() < now })),
    next: rows.length > limit ? cursorOf(page[page.length - 1] as ObligationRow) : null,
  };
}
