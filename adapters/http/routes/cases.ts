import { Router } from 'express';
import { callerOf } from '../caller';
import type { ObligationsPort } from '../obligation-ports';
import { problemFor, sendProblem } from '../problem';

/**
 * `GET /v1/cases/{taskNumber}` (issue 6 item 1): every message, delivery and obligation of the
 * case with this task number (or case key), to the parties of the case only. Anyone else, and
 * an unknown task number, get the same 404, so a stranger cannot learn that a case exists.
 */
export function casesRouter(port: ObligationsPort): Router {
  const router = Router();
  router.get('/v1/cases/:taskNumber', async (req, res) => {
    const taskNumber = String(req.params.taskNumber);
    const caller = callerOf(res);
    const view = taskNumber.length > 128 ? undefined : await port.caseView({ taskNumber, caller });
    if (res.headersSent) return;
    if (view === undefined) {
      sendProblem(res, problemFor('http.not-found', `no case ${taskNumber} of which ${caller} is a party`));
      return;
    }
    res.json(view);
  });
  return router;
}
