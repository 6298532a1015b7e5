import { errorCodes } from '../../contracts/errors/registry';
import { formNames } from '../../contracts/forms';
import { generateJsonSchema, type JsonSchema } from '../../contracts/schema/json-schema';
import { PROBLEM_MEDIA_TYPE, problemType } from './problem';
import { alertsPaths } from './routes/alerts';
import { monthlyPaths } from './routes/monthly';
import { obligationPaths, obligationSchemas } from './openapi-obligations';

type Json = Record<string, unknown>;

/** Rewrites `#/$defs/X` references to `#/components/schemas/X`, where OpenAPI keeps them. */
function relocate(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relocate);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Json).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, '#/components/schemas/') : relocate(v)]),
  );
}

const problem = (description: string, ...codes: string[]): Json => ({
  description: `${description}${codes.length > 0 ? ` (${codes.join(', ')})` : ''}`,
  content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** The problem responses every `/v1` route may give, with their status from the outcome table. */
function commonProblems(): Json {
  const byStatus = new Map<number, string[]>();
  for (const code of ['http.client-certificate-required', 'http.not-an-institution', 'http.rate-limited', 'http.timeout', 'http.internal'] as const) {
    const status = errorCodes[code].http;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Json = {};
  for (const [status, codes] of byStatus) {
    out[String(status)] = problem(codes.map((c) => errorCodes[c as keyof typeof errorCodes].description).join(' / '), ...codes);
  }
  (out['429'] as Json).headers = { 'Retry-After': { description: 'Seconds to wait before the next request.', schema: { type: 'integer', minimum: 1 } } };
  return out;
}

/** The statuses a refused document may get, from the outcome table: every code of the areas that may refuse it. */
function rejectionProblems(areas: RegExp = /^(contract|signature|routing|intake)\.|^http\.(payload|unsupported|bad-request)/): Json {
  const byStatus = new Map<number, string[]>();
  for (const [code, info] of Object.entries(errorCodes)) {
    if (!areas.test(code)) continue;
    byStatus.set(info.http, [...(byStatus.get(info.http) ?? []), code]);
  }
  return Object.fromEntries([...byStatus].map(([status, codes]) => [String(status), problem('Refused: the Rejection as problem details listing every error', ...codes)]));
}

/** Joins response maps; a status in both lists the codes of both. */
function mergeResponses(...maps: Json[]): Json {
  const out: Json = {};
  for (const map of maps) {
    for (const [status, response] of Object.entries(map)) {
      const prior = out[status] as Json | undefined;
      out[status] = prior === undefined ? response : { ...prior, ...(response as Json), description: `${String(prior.description)}; ${String((response as Json).description)}` };
    }
  }
  return out;
}

const signedDocument = {
  'application/xml': { schema: { type: 'string', description: 'An mmgw message as XML (urn:mmgw:message:1) with an enveloped XML-DSig signature.' } },
  'application/jose+json': { schema: { type: 'string', description: 'An mmgw message (JSON, see the Message schema) as a flattened JWS with x5c.' } },
};

/**
 * The OpenAPI 3.1 document of the HTTPS interface, generated from the contracts: the message
 * schema and one schema per form come from the declarations (contracts/schema), the problem
 * types from the one error code registry (contracts/errors). Nothing here restates a form.
 */
export function buildOpenApi(opts: { readonly version?: string; readonly serverUrl?: string } = {}): Json {
  const { $defs, $schema: _dialect, $id: _id, ...message } = generateJsonSchema() as JsonSchema & { $defs: Record<string, JsonSchema> };
  const forms = Object.fromEntries(Object.entries($defs).map(([name, schema]) => [name, relocate(schema)]));
  const problemSchema = {
    type: 'object',
    description: 'RFC 9457 problem details. `type` is the code\'s entry on the API page; `errors` lists every broken rule.',
    required: ['type', 'title', 'status', 'detail', 'code'],
    properties: {
      type: { type: 'string', format: 'uri-reference' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      code: { type: 'string', enum: Object.keys(errorCodes) },
      errors: { type: 'array', items: { $ref: '#/components/schemas/RuleError' } },
      rejection: { type: 'string', description: 'The gateway\'s signed Rejection document.' },
      rejectionMediaType: { type: 'string' },
    },
  };
  const ruleError = {
    type: 'object',
    required: ['code', 'message'],
    properties: { code: { type: 'string' }, path: { type: 'string' }, message: { type: 'string' }, source: { type: 'string', description: 'The article, annex or standard.' } },
  };
  const v1 = commonProblems();
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'mmgw — the agreed electronic interface (Art. 10)',
      version: opts.version ?? '1',
      description: 'Signed notices of the MIIT mobile-malware monitoring and disposal mechanism, machine to machine. Every /v1 route needs mutual TLS: the client certificate\'s CN is the calling institution, and a submitted document must be signed by it.',
    },
    servers: [{ url: opts.serverUrl ?? 'https://127.0.0.1:8443' }],
    security: [{ mutualTLS: [] }],
    tags: [{ name: 'messages' }, { name: 'mailbox' }, { name: 'samples' }, { name: 'cases' }, { name: 'operations' }],
    paths: {
      '/v1/messages': {
        post: {
          tags: ['messages'],
          operationId: 'submitMessage',
          summary: 'Submit a signed message',
          requestBody: { required: true, content: signedDocument },
          responses: mergeResponses({
            '202': {
              description: 'Accepted: the gateway\'s signed Receipt (form Receipt).',
              headers: { Location: { schema: { type: 'string' } }, 'Mmgw-Message-Id': { schema: { type: 'string' } }, 'Mmgw-Duplicate': { schema: { type: 'string', enum: ['true', 'false'] } } },
              content: signedDocument,
            },
          }, rejectionProblems(), v1),
        },
      },
      '/v1/messages/{id}': {
        get: {
          tags: ['messages'],
          operationId: 'messageStatus',
          summary: 'Status of a message per recipient and channel (its sender and recipients only)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { $ref: '#/components/schemas/Message/properties/id' } }],
          responses: { '200': { description: 'The status.', content: { 'application/json': { schema: { $ref: '#/components/schemas/MessageStatus' } } } }, '404': problem('No such message visible to the caller', 'http.not-found'), ...v1 },
        },
      },
      '/v1/mailbox': {
        get: {
          tags: ['mailbox'],
          operationId: 'listMailbox',
          summary: 'The caller\'s deliveries, oldest first',
          parameters: [
            { name: 'after', in: 'query', schema: { type: 'string', maxLength: 200 }, description: 'The `next` cursor of the previous page.' },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
            { name: 'wait', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 }, description: 'Long poll: seconds to wait for a first delivery.' },
          ],
          responses: { '200': { description: 'A page.', content: { 'application/json': { schema: { $ref: '#/components/schemas/MailboxPage' } } } }, '400': problem('A bad parameter', 'http.bad-request'), ...v1 },
        },
      },
      '/v1/mailbox/{deliveryId}/ack': {
        post: {
          tags: ['mailbox'],
          operationId: 'acknowledge',
          summary: 'Acknowledge a delivery with a signed Acknowledgement',
          parameters: [{ name: 'deliveryId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: signedDocument },
          responses: mergeResponses({
            '200': { description: 'Acknowledged.', content: { 'application/json': { schema: { type: 'object', required: ['deliveryId', 'acknowledgedAt', 'duplicate'], properties: { deliveryId: { type: 'string' }, acknowledgedAt: { type: 'string', format: 'date-time' }, duplicate: { type: 'boolean' }, receipt: { type: 'string' }, receiptMediaType: { type: 'string' } } } } } },
          }, rejectionProblems(/^(contract|delivery)\.|^http\.(payload|unsupported|bad-request|signer-not-caller)/), v1),
        },
      },
      '/v1/samples/{sha256}': {
        put: {
          tags: ['samples'],
          operationId: 'putSample',
          summary: 'Upload the sample file of a SampleReport (Art. 9(1))',
          parameters: [{ name: 'sha256', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } }],
          requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
          responses: {
            '201': { description: 'Stored.', content: { 'application/json': { schema: { $ref: '#/components/schemas/StoredSample' } } } },
            '200': { description: 'Already stored.', content: { 'application/json': { schema: { $ref: '#/components/schemas/StoredSample' } } } },
            '413': problem(errorCodes['http.payload-too-large'].description, 'http.payload-too-large'),
            '422': problem(errorCodes['http.sample-hash-mismatch'].description, 'http.sample-hash-mismatch'),
            ...v1,
          },
        },
        get: {
          tags: ['samples'],
          operationId: 'getSample',
          summary: 'Download a sample file (the sender and the recipients of a SampleReport declaring its MD5)',
          parameters: [{ name: 'sha256', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } }],
          responses: {
            '200': { description: 'The file.', headers: { 'Repr-Digest': { description: 'RFC 9530 SHA-256 of the file.', schema: { type: 'string' } }, 'Mmgw-Md5': { schema: { type: 'string' } } }, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
            '404': problem('No such sample visible to the caller', 'http.not-found'),
            ...v1,
          },
        },
      },
      ...obligationPaths(v1),
      ...alertsPaths(v1),
      ...monthlyPaths(v1),
      '/healthz': { get: { tags: ['operations'], operationId: 'healthz', security: [], summary: 'Liveness', responses: { '200': { description: 'The process answers.' } } } },
      '/readyz': { get: { tags: ['operations'], operationId: 'readyz', security: [], summary: 'Readiness: database and bus reachable', responses: { '200': { description: 'Ready.' }, '503': problem('Not ready', 'http.not-ready') } } },
      '/metrics': { get: { tags: ['operations'], operationId: 'metrics', security: [], summary: 'Prometheus metrics', responses: { '200': { description: 'The text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
      '/openapi.json': { get: { tags: ['operations'], operationId: 'openapi', security: [], summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } } } } },
      '/docs': { get: { tags: ['operations'], operationId: 'docs', security: [], summary: 'The API page, with every problem type', responses: { '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } } } } },
    },
    components: {
      securitySchemes: { mutualTLS: { type: 'mutualTLS', description: 'A client certificate issued to the institution (CN = its code) by a CA of the gateway\'s trust store.' } },
      schemas: {
        Message: relocate(message),
        ...forms,
        Problem: problemSchema,
        RuleError: ruleError,
        MailboxPage: {
          type: 'object',
          required: ['items', 'next'],
          properties: {
            next: { type: ['string', 'null'] },
            items: {
              type: 'array',
              items: {
                type: 'object',
                required: ['deliveryId', 'messageId', 'type', 'from', 'status', 'createdAt', 'mediaType', 'document'],
                properties: { deliveryId: { type: 'string' }, messageId: { type: 'string' }, type: { type: 'string', enum: [...formNames] }, from: { type: 'string' }, status: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' }, mediaType: { type: 'string' }, document: { type: 'string', description: 'The sender\'s signed document, unchanged.' } },
              },
            },
          },
        },
        MessageStatus: {
          type: 'object',
          required: ['messageId', 'type', 'from', 'receivedAt', 'recipients'],
          properties: {
            messageId: { type: 'string' }, type: { type: 'string', enum: [...formNames] }, from: { type: 'string' }, receivedAt: { type: 'string', format: 'date-time' },
            recipients: { type: 'array', items: { type: 'object', required: ['recipient', 'channel', 'status'], properties: { recipient: { type: 'string' }, channel: { type: 'string' }, status: { type: 'string' }, deliveredAt: { type: ['string', 'null'], format: 'date-time' }, acknowledgedAt: { type: ['string', 'null'], format: 'date-time' } } } },
          },
        },
        ...obligationSchemas,
        StoredSample: { type: 'object', required: ['sha256', 'md5', 'size'], properties: { sha256: { type: 'string' }, md5: { type: 'string' }, size: { type: 'integer' } } },
      },
    },
    'x-problem-types': Object.fromEntries(Object.entries(errorCodes).map(([code, info]) => [problemType(code), { code, status: info.http, title: info.description }])),
  };
}
