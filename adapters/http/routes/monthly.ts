import express, { Router, type Request, type Response } from 'express';
import type { DataSource } from 'typeorm';
import { encodeJson, encodeXml, type MessageDocument } from '../../../contracts/codec';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { errorCodes } from '../../../contracts/errors/registry';
import type { Clock } from '../../../gateway/clock';
import { contactsOf } from '../../../gateway/contacts';
import { draftMonthlyGeneralSummary } from '../../../gateway/monthly';
import { InstitutionEntity } from '../../../gateway/store';
import { monthlyDisposalFeedbackDocument } from '../../spreadsheet/monthly-disposal-import';
import { callerOf } from '../caller';
import { PROBLEM_MEDIA_TYPE, problemFor, sendProblem } from '../problem';

/** The media type of an .xlsx workbook. */
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The filer boxes of a MonthlyDisposalFeedback the caller may give; the rest come from the registry. */
export interface FilerBoxes {
  readonly reportingUnit?: string;
  readonly reporter?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly feedbackAt?: string;
}

/** What the monthly routes need from the core. */
export interface MonthlyPort {
  /** cncert's unsigned MonthlyGeneralSummary draft of `period`, and the reports left out of it. */
  summaryDraft(query: { readonly caller: string; readonly period: string; readonly compiledBy?: string }): Promise<{ readonly document: MessageDocument; readonly omitted: readonly string[] }>;
  /** The caller's unsigned MonthlyDisposalFeedback of an .xlsx sheet, or the refusal with every row and cell error. */
  convertFeedback(query: { readonly caller: string; readonly period: string; readonly xlsx: Buffer; readonly boxes: FilerBoxes }): Promise<MessageDocument>;
}

/** The monthly port bound to gateway/monthly, the registry and the contact registry (Art. 17). */
export function coreMonthly(o: { readonly dataSource: DataSource; readonly clock: Clock }): MonthlyPort {
  return {
    async summaryDraft(q) {
      if (q.caller !== 'cncert') throw new GatewayError('monthly.not-cncert', `the MonthlyGeneralSummary is compiled by cncert (Art. 10(3)); ${q.caller} may not draft it`, { caller: q.caller, article: 'Art. 10(3)' });
      return draftMonthlyGeneralSummary(o.dataSource, { period: q.period, now: o.clock.now(), ...(q.compiledBy !== undefined && { compiledBy: q.compiledBy }) });
    },
    async convertFeedback(q) {
      // The filer boxes default to the unit's registry name and its first registered contact person with a phone and an e-mail.
      const institution = await o.dataSource.getRepository(InstitutionEntity).findOneBy({ code: q.caller });
      const sheet = await contactsOf(o.dataSource, q.caller);
      const people = sheet ? [...sheet.contacts, sheet.departmentHead, sheet.leaderInCharge] : [];
      const person = people.find((p) => (p.phone ?? p.mobile) && p.email);
      const boxes = {
        reportingUnit: q.boxes.reportingUnit ?? sheet?.unit ?? institution?.name,
        reporter: q.boxes.reporter ?? person?.name,
        phone: q.boxes.phone ?? person?.phone ?? person?.mobile,
        email: q.boxes.email ?? person?.email,
      };
      const missing = Object.entries(boxes).filter(([, v]) => v === undefined || v === '').map(([k]) => k);
      if (missing.length > 0) {
        const errors = missing.map((name) => ({ code: 'monthly.missing-filer', path: `query.${name}`, message: `${name} was not given and ${q.caller} has no registered contact to take it from (Art. 17)`, source: 'Art. 11(4)' }));
        throw new GatewayError('monthly.missing-filer', `the MonthlyDisposalFeedback needs ${missing.join(', ')}: give ${missing.length > 1 ? 'them' : 'it'} as query parameter${missing.length > 1 ? 's' : ''}, or register contacts with a ContactUpdate`, { errors, missing });
      }
      return monthlyDisposalFeedbackDocument(q.xlsx, {
        from: q.caller, period: q.period, now: o.clock.now(),
        reportingUnit: boxes.reportingUnit as string, reporter: boxes.reporter as string, phone: boxes.phone as string, email: boxes.email as string,
        ...(q.boxes.feedbackAt !== undefined && { feedbackAt: q.boxes.feedbackAt }),
      });
    },
  };
}

function params(req: Request, known: readonly string[]): Record<string, string> {
  const errors: { code: 'http.bad-request'; path: string; message: string }[] = [];
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(req.query)) {
    if (!known.includes(name)) errors.push({ code: 'http.bad-request', path: `query.${name}`, message: `${name} is not a parameter of this route (known: ${known.join(', ')})` });
    else if (typeof v !== 'string') errors.push({ code: 'http.bad-request', path: `query.${name}`, message: `${name} must be given once, as a single value` });
    else out[name] = v;
  }
  if (errors.length > 0) throw new GatewayError('http.bad-request', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
  return out;
}

/** A period refusal names `query.period`. */
function period(p: Record<string, string>): string {
  const value = p.period;
  if (value === undefined || !/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) {
    const message = `period must be a calendar month written YYYY-MM (e.g. 2026-11), got ${JSON.stringify(value ?? null)}`;
    throw new GatewayError('monthly.bad-period', message, { errors: [{ code: 'monthly.bad-period', path: 'query.period', message }] });
  }
  return value;
}

/** The document as XML when the client prefers it, else JSON. */
function sendDocument(req: Request, res: Response, doc: MessageDocument): void {
  if (req.accepts(['application/json', 'application/xml']) === 'application/xml') res.type('application/xml').send(encodeXml(doc, { pretty: true }));
  else res.type('application/json').send(encodeJson(doc));
}

/**
 * `GET /v1/monthly-summary/draft?period=YYYY-MM`: cncert's unsigned MonthlyGeneralSummary of the
 * month's level IV events (Art. 10(3)), JSON or XML by Accept, for cncert to review, sign and send.
 * `POST /v1/monthly-feedback/convert?period=YYYY-MM`: the caller's .xlsx level IV disposal sheet
 * (Art. 11(4)) as its unsigned MonthlyDisposalFeedback, or a 422 listing every row and cell error.
 */
export function monthlyRouter(port: MonthlyPort, maxBodyBytes: number): Router {
  const router = Router();
  router.get('/v1/monthly-summary/draft', async (req, res) => {
    const p = params(req, ['period', 'compiledBy']);
    const draft = await port.summaryDraft({ caller: callerOf(res), period: period(p), ...(p.compiledBy !== undefined && { compiledBy: p.compiledBy }) });
    if (res.headersSent) return;
    res.setHeader('Mmgw-Omitted', String(draft.omitted.length));
    if (draft.omitted.length > 0) res.setHeader('Mmgw-Omitted-Reports', draft.omitted.join('; '));
    sendDocument(req, res, draft.document);
  });
  router.post('/v1/monthly-feedback/convert', express.raw({ type: () => true, limit: maxBodyBytes }), async (req, res) => {
    const p = params(req, ['period', 'reportingUnit', 'reporter', 'phone', 'email', 'feedbackAt']);
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== XLSX && type !== 'application/octet-stream') {
      throw new GatewayError('monthly.not-a-spreadsheet', `the body must be an .xlsx workbook sent as ${XLSX}, got ${type === '' ? 'no Content-Type' : type}`, { contentType: type });
    }
    const xlsx = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const { period: _p, ...boxes } = p;
    let doc: MessageDocument;
    try {
      doc = await port.convertFeedback({ caller: callerOf(res), period: period(p), xlsx, boxes });
    } catch (e) {
      // The sheet's refusal keeps its own code on top, with every row and cell error listed.
      if (!(e instanceof GatewayError) || e.code !== 'compliance.sheet-invalid') throw e;
      sendProblem(res, problemFor(e.code, e.message, { errors: e.facts.errors }));
      return;
    }
    if (res.headersSent) return;
    sendDocument(req, res, doc);
  });
  return router;
}

type Json = Record<string, unknown>;
const problem = (...codes: (keyof typeof errorCodes)[]): Json => ({
  description: codes.map((c) => `${errorCodes[c].description} (${c})`).join(' / '),
  content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
});
const unsigned = (form: string): Json => ({
  'application/json': { schema: { $ref: '#/components/schemas/Message' }, description: `The unsigned ${form} (JSON).` },
  'application/xml': { schema: { type: 'string' }, description: `The unsigned ${form} (XML, urn:mmgw:message:1).` },
});
const periodParam = { name: 'period', in: 'query', required: true, schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }, description: 'The month, YYYY-MM.' };

/** The OpenAPI paths of the monthly routes; `v1` is the problems every /v1 route may give. */
export function monthlyPaths(v1: Json): Json {
  return {
    '/v1/monthly-summary/draft': {
      get: {
        tags: ['cases'],
        operationId: 'monthlySummaryDraft',
        summary: 'cncert\'s unsigned MonthlyGeneralSummary of the month\'s level IV events (Art. 10(3))',
        description: 'Every level IV event discovered in the month (Beijing time), from the IncidentReportBatches and level IV IncidentReports accepted, except events re-graded above IV since; listed by occurrence with the summed counts, addressed to the reporting units, copied to miit. cncert reviews it, adds its analysis, signs it and sends it (POST /v1/messages), which meets its monthly-general-summary obligation. `Mmgw-Omitted` counts the reports whose content is purged (Art. 12) and so are not in it.',
        parameters: [periodParam, { name: 'compiledBy', in: 'query', schema: { type: 'string', maxLength: 50 }, description: '汇总人; default: cncert\'s first registered contact person.' }],
        responses: {
          '200': { description: 'The draft.', headers: { 'Mmgw-Omitted': { schema: { type: 'integer' } }, 'Mmgw-Omitted-Reports': { schema: { type: 'string' } } }, content: unsigned('MonthlyGeneralSummary') },
          '400': problem('monthly.bad-period', 'http.bad-request'),
          '403': problem('monthly.not-cncert'),
          ...v1,
        },
      },
    },
    '/v1/monthly-feedback/convert': {
      post: {
        tags: ['cases'],
        operationId: 'convertMonthlyFeedback',
        summary: 'The caller\'s .xlsx level IV disposal sheet as its unsigned MonthlyDisposalFeedback (Art. 11(4))',
        description: 'The first sheet: header row 1 with the Annex 5 labels (Chinese or English), one row per disposal, every row validated like a DisposalFeedback. One broken row refuses the whole sheet: 422 `compliance.sheet-invalid` whose `errors` give every error with its cell (`path` = `Sheet1!E3`). The filer boxes default to the caller\'s registry name and first registered contact person with a phone and an e-mail. The answer is to be signed and sent (POST /v1/messages); nothing is stored.',
        parameters: [periodParam, ...['reportingUnit', 'reporter', 'phone', 'email', 'feedbackAt'].map((name) => ({ name, in: 'query', schema: { type: 'string' } }))],
        requestBody: { required: true, content: { [XLSX]: { schema: { type: 'string', contentMediaType: XLSX } } } },
        responses: {
          '200': { description: 'The document.', content: unsigned('MonthlyDisposalFeedback') },
          '400': problem('monthly.bad-period', 'http.bad-request'),
          '413': problem('http.payload-too-large'),
          '415': problem('monthly.not-a-spreadsheet'),
          '422': problem('compliance.sheet-invalid', 'compliance.sheet-unreadable', 'monthly.missing-filer'),
          ...v1,
        },
      },
    },
  };
}
