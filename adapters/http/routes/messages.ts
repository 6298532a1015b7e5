import { Router } from 'express';
import { callerOf } from '../caller';
import { documentBody, type DocumentLocals } from '../document-body';
import type { HttpMetrics } from '../metrics';
import type { DeliveriesPort, SubmitPort } from '../ports';
import { problemFor, problemForErrors, sendProblem } from '../problem';

/**
 * `POST /v1/messages`: a signed document → 202 with the gateway's signed Receipt (its own media
 * type, `Location` of the message status), or the Rejection as problem details listing every
 * error, with the status of the outcome table. `GET /v1/messages/{id}`: the status per recipient,
 * to the sender and recipients only (404 to anyone else, so ids do not leak).
 */
export function messagesRouter(submit: SubmitPort, deliveries: DeliveriesPort, metrics: HttpMetrics, maxBodyBytes: number): Router {
  const router = Router();
  router.post('/v1/messages', ...documentBody(maxBodyBytes), async (_req, res) => {
    const { bytes, mediaType } = (res.locals as DocumentLocals).document;
    const outcome = await submit.submit({ bytes, mediaType, caller: callerOf(res) });
    if (res.headersSent) return; // timed out meanwhile
    if (outcome.accepted) {
      metrics.accepted.inc({ duplicate: String(outcome.duplicate) });
      res.status(202)
        .setHeader('Location', `/v1/messages/${encodeURIComponent(outcome.messageId)}`)
        .setHeader('Mmgw-Message-Id', outcome.messageId)
        .setHeader('Mmgw-Duplicate', String(outcome.duplicate))
        .type(outcome.receipt.mediaType)
        .send(outcome.receipt.bytes);
      return;
    }
    const problem = problemForErrors(outcome.errors, outcome.rejection, outcome.status);
    metrics.rejected.inc({ reason: problem.code });
    sendProblem(res, problem);
  });
  router.get('/v1/messages/:id', async (req, res) => {
    const status = await deliveries.messageStatus({ messageId: req.params.id, caller: callerOf(res) });
    if (res.headersSent) return;
    if (status === undefined) {
      sendProblem(res, problemFor('http.not-found', `no message ${req.params.id} that ${callerOf(res)} sent or received`));
      return;
    }
    res.json(status);
  });
  return router;
}

