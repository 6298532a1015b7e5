import { Router } from 'express';
import { MAX_OBLIGATION_PAGE, OBLIGATION_IDS } from '../../../gateway/obligations';
import { callerOf } from '../caller';
import type { ObligationsPort, ObligationsQuery } from '../obligation-ports';
import { asQueryError, QueryParams } from './query-params';

const STATES = ['open', 'met', 'met-late', 'waived'] as const;
const PARAMS = ['state', 'overdue', 'obligation', 'case', 'after', 'limit'];

/**
 * `GET /v1/obligations` (issue 6 item 2): the obligations the caller owes, due first (no deadline
 * last), with `overdue` judged now. Filters: `state` (open, met, met-late, waived), `overdue`
 * (true/false), `obligation` (an id of rules.md), `case` (task number or case key); paging by
 * `limit` (1–200, default 50) and the `after` cursor. A bad parameter is a 400 naming it and its rule.
 */
export function obligationsRouter(port: ObligationsPort): Router {
  const router = Router();
  router.get('/v1/obligations', async (req, res) => {
    const q = new QueryParams(req, PARAMS);
    const state = q.string('state');
    if (state !== undefined && !(STATES as readonly string[]).includes(state)) q.refuse('state', 'obligation.bad-query', `state must be one of ${STATES.join(', ')}, got ${JSON.stringify(state)}`);
    const overdue = q.string('overdue');
    if (overdue !== undefined && overdue !== 'true' && overdue !== 'false') q.refuse('overdue', 'obligation.bad-query', `overdue must be true or false, got ${JSON.stringify(overdue)}`);
    const obligation = q.string('obligation');
    if (obligation !== undefined && !OBLIGATION_IDS.includes(obligation)) q.refuse('obligation', 'obligation.bad-query', `obligation must be an obligation id of rules.md (${OBLIGATION_IDS.join(', ')}), got ${JSON.stringify(obligation)}`);
    const caseRef = q.string('case');
    if (caseRef !== undefined && (caseRef === '' || caseRef.length > 128)) q.refuse('case', 'obligation.bad-query', 'case must be a task number or case key of 1 to 128 characters');
    const limitText = q.string('limit');
    if (limitText !== undefined && (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > MAX_OBLIGATION_PAGE)) q.refuse('limit', 'obligation.bad-query', `limit must be a whole number from 1 to ${MAX_OBLIGATION_PAGE}, got ${JSON.stringify(limitText)}`);
    const after = q.string('after');
    q.check();
    const query: ObligationsQuery = {
      caller: callerOf(res),
      limit: limitText === undefined ? 50 : Number(limitText),
      ...(state !== undefined && { state: state as ObligationsQuery['state'] }),
      ...(overdue !== undefined && { overdue: overdue === 'true' }),
      ...(obligation !== undefined && { obligation }),
      ...(caseRef !== undefined && { caseRef }),
      ...(after !== undefined && { after }),
    };
    const page = await port.obligations(query).catch((e: unknown) => asQueryError(e));
    if (res.headersSent) return;
    res.json(page);
  });
  return router;
}
