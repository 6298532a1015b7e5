import { Router, type Request } from 'express';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { callerOf } from '../caller';
import { documentBody, type DocumentLocals } from '../document-body';
import { signalOf } from '../lifecycle';
import type { DeliveriesPort, MailboxItem } from '../ports';
import { problemForErrors, sendProblem } from '../problem';

/** Limits of a mailbox page. */
export interface MailboxLimits {
  /** The longest long poll a client may ask for, in seconds. */
  readonly maxWaitSeconds: number;
  /** @defaultValue 100 */
  readonly maxLimit?: number;
  /** @defaultValue 20 */
  readonly defaultLimit?: number;
}

function intParam(req: Request, name: string, min: number, max: number, fallback: number, problems: string[]): number {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    return fallback;
  }
  return Number(raw);
}

function itemJson(item: MailboxItem) {
  return {
    deliveryId: item.deliveryId,
    messageId: item.messageId,
    type: item.type,
    from: item.from,
    status: item.status,
    createdAt: item.createdAt.toISOString(),
    mediaType: item.document.mediaType,
    document: item.document.bytes.toString('utf8'),
  };
}

/**
 * `GET /v1/mailbox?after=CURSOR&limit=N&wait=SECONDS`: the caller's deliveries, oldest first,
 * with the cursor of the next page; `wait` holds the request open until a delivery arrives
 * (long poll). `POST /v1/mailbox/{deliveryId}/ack`: the recipient's signed Acknowledgement.
 */
export function mailboxRouter(deliveries: DeliveriesPort, limits: MailboxLimits, maxBodyBytes: number): Router {
  const router = Router();
  const maxLimit = limits.maxLimit ?? 100;
  router.get('/v1/mailbox', async (req, res) => {
    const problems: string[] = [];
    const limit = intParam(req, 'limit', 1, maxLimit, limits.defaultLimit ?? 20, problems);
    const waitSeconds = intParam(req, 'wait', 0, limits.maxWaitSeconds, 0, problems);
    const after = req.query.after;
    if (after !== undefined && (typeof after !== 'string' || after === '' || after.length > 200)) problems.push('after must be the cursor of a previous page (at most 200 characters)');
    if (problems.length > 0) throw new GatewayError('http.bad-request', problems.join('; '), { errors: problems.map((message) => ({ code: 'http.bad-request', path: `query.${message.split(' ')[0]}`, message })) });
    const page = await deliveries.listMailbox({
      recipient: callerOf(res),
      ...(typeof after === 'string' && { after }),
      limit,
      waitSeconds,
      signal: signalOf(res),
    });
    if (res.headersSent) return; // timed out meanwhile
    res.json({ items: page.items.map(itemJson), next: page.next });
  });
  router.post('/v1/mailbox/:deliveryId/ack', ...documentBody(maxBodyBytes), async (req, res) => {
    const { bytes, mediaType } = (res.locals as DocumentLocals).document;
    const outcome = await deliveries.acknowledge({ deliveryId: String(req.params.deliveryId), caller: callerOf(res), bytes, mediaType });
    if (res.headersSent) return;
    if (!outcome.accepted) {
      sendProblem(res, problemForErrors(outcome.errors, outcome.rejection, outcome.status));
      return;
    }
    res.status(200).json({
      deliveryId: outcome.deliveryId,
      acknowledgedAt: outcome.acknowledgedAt.toISOString(),
      duplicate: outcome.duplicate,
      ...(outcome.receipt && { receipt: outcome.receipt.bytes.toString('utf8'), receiptMediaType: outcome.receipt.mediaType }),
    });
  });
  return router;
}
