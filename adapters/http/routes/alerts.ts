import { Router, type Request } from 'express';
import type { DataSource } from 'typeorm';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { errorCodes } from '../../../contracts/errors/registry';
import type { Clock } from '../../../gateway/clock';
import { acknowledgeAlert, listAlerts, MAX_ALERT_PAGE, type ListedAlert } from '../../../gateway/obligations';
import { callerOf } from '../caller';
import { PROBLEM_MEDIA_TYPE } from '../problem';

/** One alert as the API shows it (instants ISO 8601, UTC). */
export interface AlertJson {
  /** `alr-…`. */
  readonly alertId: string;
  readonly kind: string;
  readonly topic: string;
  /** What it is about: `obligation:ID`, a case key, `contacts:CODE`. */
  readonly subject: string;
  readonly taskNumber: string | null;
  /** Chinese first, then English. */
  readonly text: string;
  /** The facts the core wrote (obligation, party, due, fraction, recipients …). */
  readonly details: Record<string, unknown>;
  readonly createdAt: string;
  readonly acknowledgedAt: string | null;
  readonly emails: ReadonlyArray<{ readonly address: string; readonly state: string; readonly sentAt: string | null }>;
}

/** What GET /v1/alerts and POST /v1/alerts/{id}/ack need from the core. */
export interface AlertsPort {
  list(query: { readonly recipient: string; readonly after?: string; readonly limit?: number; readonly unacknowledged?: boolean }): Promise<{ readonly items: readonly AlertJson[]; readonly next: string | null }>;
  acknowledge(query: { readonly alertId: string; readonly caller: string }): Promise<{ readonly alertId: string; readonly acknowledgedAt: string; readonly duplicate: boolean }>;
}

function alertJson(a: ListedAlert): AlertJson {
  return {
    alertId: a.alertId, kind: a.kind, topic: a.topic, subject: a.subject, taskNumber: a.taskNumber, text: a.text, details: a.payload,
    createdAt: a.createdAt.toISOString(), acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    emails: a.emails.map((e) => ({ address: e.address, state: e.state, sentAt: e.sentAt?.toISOString() ?? null })),
  };
}

/** The alerts port bound to gateway/obligations and the store. */
export function coreAlerts(o: { readonly dataSource: DataSource; readonly clock: Clock }): AlertsPort {
  return {
    async list(q) {
      const page = await listAlerts(o.dataSource, q);
      return { items: page.items.map(alertJson), next: page.next };
    },
    async acknowledge(q) {
      const r = await acknowledgeAlert(o.dataSource, q.alertId, q.caller, o.clock.now());
      return { alertId: r.alertId, acknowledgedAt: r.acknowledgedAt.toISOString(), duplicate: r.duplicate };
    },
  };
}

const KNOWN = ['after', 'limit', 'unacknowledged'];

function query(req: Request): { after?: string; limit?: number; unacknowledged?: boolean } {
  const errors: { code: 'alert.bad-query'; path: string; message: string }[] = [];
  const refuse = (name: string, message: string) => errors.push({ code: 'alert.bad-query', path: `query.${name}`, message });
  for (const name of Object.keys(req.query)) if (!KNOWN.includes(name)) refuse(name, `${name} is not a parameter of this route (known: ${KNOWN.join(', ')})`);
  const one = (name: string): string | undefined => {
    const v = req.query[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      refuse(name, `${name} must be given once, as a single value`);
      return undefined;
    }
    return v;
  };
  const out: { after?: string; limit?: number; unacknowledged?: boolean } = {};
  const after = one('after');
  if (after !== undefined) out.after = after;
  const limit = one('limit');
  if (limit !== undefined) {
    if (/^\d{1,4}$/.test(limit) && Number(limit) >= 1 && Number(limit) <= MAX_ALERT_PAGE) out.limit = Number(limit);
    else refuse('limit', `limit must be a whole number from 1 to ${MAX_ALERT_PAGE}, got "${limit}"`);
  }
  const unack = one('unacknowledged');
  if (unack !== undefined) {
    if (unack === 'true' || unack === 'false') out.unacknowledged = unack === 'true';
    else refuse('unacknowledged', `unacknowledged must be true or false, got "${unack}"`);
  }
  if (errors.length > 0) throw new GatewayError('alert.bad-query', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
  return out;
}

/**
 * `GET /v1/alerts?after=alr-…&limit=N&unacknowledged=true`: the reminders, escalations,
 * re-gradings and contact-confirmation requests sent to the caller, oldest first, with where
 * their e-mails stand. `POST /v1/alerts/{alertId}/ack`: the caller marks one read (optional;
 * another institution's alert is the same 404 as an unknown one).
 */
export function alertsRouter(port: AlertsPort): Router {
  const router = Router();
  router.get('/v1/alerts', async (req, res) => {
    const q = query(req);
    const page = await port.list({ recipient: callerOf(res), ...q });
    if (res.headersSent) return;
    res.json(page);
  });
  router.post('/v1/alerts/:alertId/ack', async (req, res) => {
    const r = await port.acknowledge({ alertId: String(req.params.alertId), caller: callerOf(res) });
    if (res.headersSent) return;
    res.json(r);
  });
  return router;
}

type Json = Record<string, unknown>;
const problem = (description: string, ...codes: (keyof typeof errorCodes)[]): Json => ({
  description: `${description} (${codes.join(', ')})`,
  content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** The OpenAPI paths of the alerts routes; `v1` is the problems every /v1 route may give. */
export function alertsPaths(v1: Json): Json {
  const alert = {
    type: 'object',
    required: ['alertId', 'kind', 'topic', 'subject', 'taskNumber', 'text', 'details', 'createdAt', 'acknowledgedAt', 'emails'],
    properties: {
      alertId: { type: 'string', pattern: '^alr-\\d{8,}$' }, kind: { type: 'string', enum: ['reminder', 'escalation', 'regrade', 'contact-confirmation', 'email-quarantine'] }, topic: { type: 'string' }, subject: { type: 'string' },
      taskNumber: { type: ['string', 'null'] }, text: { type: 'string', description: 'Chinese first, then English.' }, details: { type: 'object' },
      createdAt: { type: 'string', format: 'date-time' }, acknowledgedAt: { type: ['string', 'null'], format: 'date-time' },
      emails: { type: 'array', items: { type: 'object', required: ['address', 'state', 'sentAt'], properties: { address: { type: 'string' }, state: { type: 'string', enum: ['pending', 'sending', 'sent'] }, sentAt: { type: ['string', 'null'], format: 'date-time' } } } },
    },
  };
  return {
    '/v1/alerts': {
      get: {
        tags: ['cases'],
        operationId: 'listAlerts',
        summary: 'Reminders, escalations and re-gradings sent to the caller, oldest first',
        description: 'Each alert of the obligations scheduler (reminders at 50/75/90 % of the time, the escalation at the deadline to the party, miit and the relevant ca-NN), each re-grading of a case the caller is a party of, each contact-confirmation request. One alert per recipient, however many gateway processes run; with a mailer configured it is also mailed to the recipient\'s registered addresses (`emails`).',
        parameters: [
          { name: 'after', in: 'query', schema: { type: 'string' }, description: 'The `next` cursor of the previous page.' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_ALERT_PAGE, default: 50 } },
          { name: 'unacknowledged', in: 'query', schema: { type: 'boolean' }, description: 'true: only the alerts not marked read.' },
        ],
        responses: {
          '200': { description: 'A page.', content: { 'application/json': { schema: { type: 'object', required: ['items', 'next'], properties: { items: { type: 'array', items: alert }, next: { type: ['string', 'null'] } } } } } },
          '400': problem(errorCodes['alert.bad-query'].description, 'alert.bad-query'),
          ...v1,
        },
      },
    },
    '/v1/alerts/{alertId}/ack': {
      post: {
        tags: ['cases'],
        operationId: 'acknowledgeAlert',
        summary: 'Mark one of the caller\'s alerts read (optional; changes no clock)',
        parameters: [{ name: 'alertId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'Marked read (again: the first time, `duplicate` true).', content: { 'application/json': { schema: { type: 'object', required: ['alertId', 'acknowledgedAt', 'duplicate'], properties: { alertId: { type: 'string' }, acknowledgedAt: { type: 'string', format: 'date-time' }, duplicate: { type: 'boolean' } } } } } },
          '404': problem(errorCodes['alert.unknown-alert'].description, 'alert.unknown-alert'),
          ...v1,
        },
      },
    },
  };
}
