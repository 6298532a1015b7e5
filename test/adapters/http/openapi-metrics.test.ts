import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { codeInfo, errorCodes } from '../../../contracts/errors/registry';
import { formNames } from '../../../contracts/forms';
import { call, makePki, startHarness, type Harness, type TestPki } from './support';

type Json = Record<string, unknown>;

/** Resolves a local JSON pointer (`#/a/b`) in `doc`. */
function resolvePointer(doc: unknown, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Json)[key] : undefined), doc);
}

function refsOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, out));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
}

// Issue 5, item 1: /openapi.json is OpenAPI 3.1 generated from the contracts; /metrics is the
// Prometheus exposition with the figures the brief lists.
describe('HTTPS interface: openapi.json, the API page and metrics', () => {
  let pki: TestPki;
  let h: Harness;
  let doc: Json;
  beforeAll(async () => {
    pki = makePki();
    h = await startHarness(pki);
    const res = await call(h.server, pki, { path: '/openapi.json' });
    expect(res.status).toBe(200);
    doc = res.json();
  });
  afterAll(() => h.server.close());

  describe('openapi.json', () => {
    it('has the structure of an OpenAPI 3.1 document', () => {
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
      expect((doc.components as Json).securitySchemes).toEqual({ mutualTLS: expect.objectContaining({ type: 'mutualTLS' }) });
      const paths = doc.paths as Record<string, Record<string, Json>>;
      for (const [p, methods] of Object.entries(paths)) {
        expect(p.startsWith('/')).toBe(true);
        for (const [method, op] of Object.entries(methods)) {
          expect(['get', 'put', 'post', 'delete', 'patch']).toContain(method);
          expect(typeof op.operationId).toBe('string');
          const responses = Object.keys(op.responses as Json);
          expect(responses.length).toBeGreaterThan(0);
          for (const status of responses) expect(status).toMatch(/^[1-5]\d\d$/);
          for (const param of (op.parameters as Json[] | undefined) ?? []) {
            expect(['path', 'query', 'header']).toContain(param.in);
            if (param.in === 'path') expect(p).toContain(`{${String(param.name)}}`);
          }
        }
      }
      expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/v1/messages', '/v1/messages/{id}', '/v1/mailbox', '/v1/mailbox/{deliveryId}/ack', '/v1/samples/{sha256}', '/healthz', '/readyz', '/metrics', '/openapi.json']));
    });

    it('resolves every $ref inside the document', () => {
      const refs = refsOf(doc);
      expect(refs.length).toBeGreaterThan(20);
      for (const ref of refs) {
        expect(ref.startsWith('#/')).toBe(true);
        expect(resolvePointer(doc, ref)).toBeDefined();
      }
    });

    it('covers every form, and its schemas accept the published examples and refuse a broken one', () => {
      const schemas = (doc.components as Json).schemas as Json;
      for (const form of formNames) expect(schemas[form]).toBeDefined();
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      ajv.addSchema({ $id: 'urn:mmgw:openapi', components: doc.components }, 'urn:mmgw:openapi');
      const message = ajv.compile({ $ref: 'urn:mmgw:openapi#/components/schemas/Message' });
      const examples = path.join(__dirname, '../../../contracts/examples');
      for (const file of ['incident-report.json', 'sample-report.json', 'rejection.json']) {
        const example = JSON.parse(readFileSync(path.join(examples, file), 'utf8')) as Json;
        expect(message(example)).toBe(true);
        const broken = { ...example, body: { ...(example.body as Json), unexpected: 1 } };
        expect(message(broken)).toBe(false);
      }
    });

    it('lists every error code as a problem type, with the status of the outcome table', async () => {
      const types = doc['x-problem-types'] as Record<string, { code: string; status: number }>;
      for (const [code, info] of Object.entries(errorCodes)) expect(types[`/docs#${code}`]).toMatchObject({ code, status: info.http });
      const submit = (doc.paths as Record<string, Record<string, { responses: Record<string, { description: string }> }>>)['/v1/messages']!.post!.responses;
      expect(submit[String(codeInfo('contract.required').http)]!.description).toContain('contract.required');
      expect(submit[String(codeInfo('signature.sender-mismatch').http)]!.description).toContain('signature.sender-mismatch');
      expect(submit['429']).toBeDefined();
      const ack = (doc.paths as Record<string, Record<string, { responses: Record<string, { description: string }> }>>)['/v1/mailbox/{deliveryId}/ack']!.post!.responses;
      expect(ack[String(codeInfo('delivery.unknown-delivery').http)]!.description).toContain('delivery.unknown-delivery');
      expect(ack[String(codeInfo('http.signer-not-caller').http)]!.description).toContain('http.signer-not-caller');
      const problem = new Ajv2020({ strict: false }).addSchema({ $id: 'urn:mmgw:problem-check', components: doc.components }).compile({ $ref: 'urn:mmgw:problem-check#/components/schemas/Problem' });
      const answer = await call(h.server, pki, { path: '/v1/mailbox' });
      expect(problem(answer.json())).toBe(true);
    });
  });

  it('serves the API page with an anchor per problem type', async () => {
    const res = await call(h.server, pki, { path: '/docs' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const html = res.body.toString();
    for (const code of Object.keys(errorCodes)) expect(html).toContain(`<tr id="${code}">`);
    expect(html).toContain('POST /v1/messages');
    expect((await call(h.server, pki, { path: '/' })).body.toString()).toBe(html);
  });

  describe('metrics', () => {
    it('exposes accepted, rejected by reason, deliveries by status, queue depths and the oldest unacknowledged age', async () => {
      const post = () => call(h.server, pki, { method: 'POST', path: '/v1/messages', as: pki.clients['op-cmcc'], body: '<Message/>', headers: { 'content-type': 'application/xml' } });
      expect((await post()).status).toBe(202);
      h.submit.next = { accepted: false, rejection: { bytes: Buffer.from('r'), mediaType: 'application/xml' }, errors: [{ code: 'contract.md5', message: 'bad md5' }] };
      const md5Status = codeInfo('contract.md5').http;
      expect((await post()).status).toBe(md5Status);
      expect((await post()).status).toBe(md5Status);
      const res = await call(h.server, pki, { path: '/metrics' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = res.body.toString();
      const samples = new Map<string, number>();
      for (const line of text.split('\n')) {
        if (line === '' || line.startsWith('#')) {
          if (line.startsWith('#')) expect(line).toMatch(/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/);
          continue;
        }
        const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
        expect(m).not.toBeNull();
        samples.set(m![1]!, Number(m![2]));
      }
      expect(samples.get('mmgw_messages_accepted_total{duplicate="false"}')).toBe(1);
      expect(samples.get('mmgw_messages_rejected_total{reason="contract.md5"}')).toBe(2);
      expect(samples.get('mmgw_deliveries{status="pending"}')).toBe(3);
      expect(samples.get('mmgw_deliveries{status="acknowledged"}')).toBe(7);
      expect(samples.get('mmgw_queue_depth{queue="deliveries.mailbox"}')).toBe(5);
      expect(samples.get('mmgw_oldest_unacknowledged_delivery_seconds')).toBe(42.5);
      expect(samples.get(`mmgw_http_requests_total{method="POST",route="/v1/messages",status="${md5Status}"}`)).toBe(2);
    });
  });
});
