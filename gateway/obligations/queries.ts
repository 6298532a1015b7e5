import type { EntityManager } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
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
