import { errorCodes } from '../../contracts/errors/registry';
import { formNames } from '../../contracts/forms';
import { MAX_OBLIGATION_PAGE, OBLIGATION_IDS } from '../../gateway/obligations';
import { PROBLEM_MEDIA_TYPE } from './problem';
import { XLSX_MEDIA_TYPE } from './routes/compliance';

type Json = Record<string, unknown>;

const problem = (description: string, ...codes: (keyof typeof errorCodes)[]): Json => ({
  description: `${description}${codes.length > 0 ? ` (${codes.join(', ')})` : ''}`,
  content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
});

const instant = { type: 'string', format: 'date-time' };
const instantOrNull = { type: ['string', 'null'], format: 'date-time' };
const stringOrNull = { type: ['string', 'null'] };
const STATES = ['open', 'met', 'met-late', 'waived'];

/** The OpenAPI paths of GET /v1/cases/{taskNumber}, /v1/obligations and /v1/compliance; `v1` is the problems every /v1 route may give. */
export function obligationPaths(v1: Json): Json {
  return {
    '/v1/cases/{taskNumber}': {
      get: {
        tags: ['cases'],
        operationId: 'getCase',
        summary: 'Every message, delivery and obligation of a case (its parties only)',
        description: 'The case named by its task number (or, before a notice gave it one, by its key: the id of the message that opened it). Only the institutions that sent, received or were copied a message of the case see it; to anyone else, and for an unknown task number, the same 404.',
        parameters: [{ name: 'taskNumber', in: 'path', required: true, schema: { type: 'string', maxLength: 128 } }],
        responses: { '200': { description: 'The case.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Case' } } } }, '404': problem('No such case of which the caller is a party', 'http.not-found'), ...v1 },
      },
    },
    '/v1/obligations': {
      get: {
        tags: ['cases'],
        operationId: 'listObligations',
        summary: 'The obligations the caller owes, due first',
        description: '`overdue` is judged at the time of the request (`asOf`). Items are ordered by due instant (obligations without a deadline last), then id; `next` is the cursor of the next page.',
        parameters: [
          { name: 'state', in: 'query', schema: { type: 'string', enum: STATES } },
          { name: 'overdue', in: 'query', schema: { type: 'boolean' }, description: 'true: only open obligations past their due instant; false: only the others.' },
          { name: 'obligation', in: 'query', schema: { type: 'string', enum: [...OBLIGATION_IDS] }, description: 'An obligation id of the rules.' },
          { name: 'case', in: 'query', schema: { type: 'string', maxLength: 128 }, description: 'A task number or case key.' },
          { name: 'after', in: 'query', schema: { type: 'string' }, description: 'The `next` cursor of the previous page.' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_OBLIGATION_PAGE, default: 50 } },
        ],
        responses: {
          '200': { description: 'A page.', content: { 'application/json': { schema: { $ref: '#/components/schemas/ObligationPage' } } } },
          '400': problem('A bad parameter: `errors` names it (`query.NAME`) and the rule', 'obligation.bad-query', 'http.bad-request'),
          ...v1,
        },
      },
    },
    '/v1/compliance': {
      get: {
        tags: ['cases'],
        operationId: 'compliance',
        summary: 'Art. 19 compliance per unit for a month (JSON, or the .xlsx workbook)',
        description: 'Per unit, of the obligations it owes that fall due in the month (Beijing time): met on time, met late (max and mean minutes), open past due, not yet due, waived; and its IncidentReports of the month graded below their own figures. miit (which publishes the record, Art. 19) and cncert read every unit, all of them when `unit` is left out; any other institution reads its own record only (`unit` defaults to the caller). Ask for `' + XLSX_MEDIA_TYPE + '` in Accept for the workbook (sheets 合规情况, 明细, 说明).',
        parameters: [
          { name: 'period', in: 'query', required: true, schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }, description: 'The month, YYYY-MM.' },
          { name: 'unit', in: 'query', schema: { type: 'string' }, description: 'One institution code.' },
        ],
        responses: {
          '200': {
            description: 'The report.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ComplianceReport' } }, [XLSX_MEDIA_TYPE]: { schema: { type: 'string', contentMediaType: XLSX_MEDIA_TYPE } } },
          },
          '400': problem('A bad parameter: `errors` names it (`query.NAME`) and the rule', 'compliance.bad-period', 'compliance.bad-unit', 'compliance.unknown-unit', 'http.bad-request'),
          '403': problem(errorCodes['compliance.not-permitted'].description, 'compliance.not-permitted'),
          ...v1,
        },
      },
    },
  };
}

const obligation = {
  type: 'object',
  required: ['id', 'obligation', 'party', 'state', 'overdue', 'start', 'due'],
  properties: {
    id: { type: 'integer' }, obligation: { type: 'string', enum: [...OBLIGATION_IDS] }, party: { type: 'string' }, counterparty: stringOrNull, caseKey: stringOrNull, taskNumber: stringOrNull, subject: stringOrNull,
    level: { type: ['string', 'null'], enum: ['I', 'II', 'III', 'IV', null] }, state: { type: 'string', enum: STATES }, overdue: { type: 'boolean' },
    start: instant, due: { ...instantOrNull, description: 'Null: the obligation has no deadline.' }, dueProvisional: { type: 'boolean' }, specialPeriod: stringOrNull,
    openedBy: stringOrNull, closedBy: stringOrNull, closedAt: instantOrNull, waivedReason: stringOrNull, provisional: { type: 'boolean' },
    levelHistory: { type: 'array', items: { type: 'object', properties: { from: stringOrNull, to: { type: 'string' }, at: instant, previousDue: instantOrNull, messageId: { type: 'string' } } } },
  },
};

const unit = {
  type: 'object',
  required: ['unit', 'metOnTime', 'metLate', 'maxLateMinutes', 'meanLateMinutes', 'openPastDue', 'openNotYetDue', 'waived', 'underGraded'],
  properties: {
    unit: { type: 'string' }, metOnTime: { type: 'integer' }, metLate: { type: 'integer' }, maxLateMinutes: { type: 'number' }, meanLateMinutes: { type: 'number' },
    openPastDue: { type: 'integer' }, openNotYetDue: { type: 'integer' }, waived: { type: 'integer' }, underGraded: { type: 'integer' }, reportsChecked: { type: 'integer' }, reportsUnchecked: { type: 'integer' },
    late: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, obligation: { type: 'string' }, due: instant, closedAt: instant, lateMinutes: { type: 'number' } } } },
    overdue: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, obligation: { type: 'string' }, due: instant, overdueMinutes: { type: 'number' } } } },
    underGradedReports: { type: 'array', items: { type: 'object' } },
  },
};

/** The schemas those routes answer with. */
export const obligationSchemas: Json = {
  Obligation: obligation,
  ObligationPage: { type: 'object', required: ['asOf', 'items', 'next'], properties: { asOf: instant, items: { type: 'array', items: { $ref: '#/components/schemas/Obligation' } }, next: stringOrNull } },
  Case: {
    type: 'object',
    required: ['key', 'kind', 'parties', 'messages', 'deliveries', 'obligations'],
    properties: {
      taskNumber: stringOrNull, key: { type: 'string' }, kind: { type: 'string', enum: ['incident', 'sample', 'domain'] }, level: stringOrNull,
      provinces: { type: 'array', items: { type: 'string' } }, parties: { type: 'array', items: { type: 'string' } }, legalHold: { type: 'boolean' },
      levelHistory: { type: 'array', items: { type: 'object', properties: { from: stringOrNull, to: { type: 'string' }, at: instant, messageId: { type: 'string' } } } },
      openedAt: instant, updatedAt: instant,
      messages: { type: 'array', items: { type: 'object', required: ['id', 'type', 'from'], properties: { id: { type: 'string' }, type: { type: 'string', enum: [...formNames] }, from: { type: 'string' }, to: { type: 'array', items: { type: 'string' } }, cc: { type: 'array', items: { type: 'string' } }, sentAt: instant, acceptedAt: instant, level: stringOrNull } } },
      deliveries: { type: 'array', items: { type: 'object', required: ['deliveryId', 'messageId', 'recipient', 'status'], properties: { deliveryId: { type: 'string' }, messageId: { type: 'string' }, recipient: { type: 'string' }, role: { type: 'string', enum: ['to', 'cc'] }, channel: { type: 'string' }, status: { type: 'string' }, queuedAt: instant, sentAt: instantOrNull, acknowledgedAt: instantOrNull } } },
      obligations: { type: 'array', items: { $ref: '#/components/schemas/Obligation' } },
    },
  },
  ComplianceReport: {
    type: 'object',
    required: ['period', 'from', 'to', 'asOf', 'units'],
    properties: { period: { type: 'string' }, from: instant, to: instant, asOf: instant, units: { type: 'array', items: { $ref: '#/components/schemas/ComplianceUnit' } } },
  },
  ComplianceUnit: unit,
};
