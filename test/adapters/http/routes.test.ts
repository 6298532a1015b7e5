import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { codeInfo } from '../../../contracts/errors/registry';
import { call, makePki, NOW, startHarness, type Harness, type TestPki } from './support';

// Issue 5, item 1: the routes of the agreed electronic interface against the ports, over HTTPS.
describe('HTTPS interface: routes', () => {
  let pki: TestPki;
  let h: Harness;
  beforeAll(async () => {
    pki = makePki();
    h = await startHarness(pki);
  });
  afterAll(() => h.server.close());

  const post = (p: string, body: string, contentType: string, as = pki.clients['op-cmcc']) =>
    call(h.server, pki, { method: 'POST', path: p, as, body, headers: { 'content-type': contentType } });

  describe('POST /v1/messages', () => {
    it('passes the exact bytes, media type and caller to intake and answers 202 with the signed Receipt', async () => {
      const doc = '<?xml version="1.0"?>\n<Message xmlns="urn:mmgw:message:1">signed</Message>';
      const res = await post('/v1/messages', doc, 'application/xml; charset=utf-8');
      expect(res.status).toBe(202);
      expect(res.headers['content-type']).toMatch(/^application\/xml/);
      expect(res.body.toString()).toBe('<Message>receipt</Message>');
      expect(res.headers.location).toBe('/v1/messages/op-cmcc-20261128-0001');
      expect(res.headers['mmgw-duplicate']).toBe('false');
      const last = h.submit.calls.at(-1)!;
      expect(last.bytes.toString('utf8')).toBe(doc);
      expect(last.mediaType).toBe('application/xml');
      expect(last.caller).toBe('op-cmcc');
    });

    it('accepts a JWS as application/jose+json', async () => {
      const res = await post('/v1/messages', '{"payload":"e30","protected":"e30","signature":"AA"}', 'application/jose+json', pki.clients.cncert);
      expect(res.status).toBe(202);
      expect(h.submit.calls.at(-1)).toMatchObject({ mediaType: 'application/jose+json', caller: 'cncert' });
    });

    it('refuses another media type with 415', async () => {
      const res = await post('/v1/messages', '{}', 'application/json');
      expect(res.status).toBe(415);
      expect(res.json()).toMatchObject({ code: 'http.unsupported-media-type' });
    });

    it('refuses a body whose content is the other format than its Content-Type says', async () => {
      const before = h.submit.calls.length;
      const res = await post('/v1/messages', '{"payload":"e30","protected":"e30","signature":"AA"}', 'application/xml');
      expect(res.status).toBe(415);
      expect(res.json<{ detail: string }>().detail).toContain('its Content-Type is application/jose+json, not application/xml');
      expect((await post('/v1/messages', '\uFEFF  <Message/>', 'application/jose+json')).status).toBe(415);
      expect(h.submit.calls.length).toBe(before);
    });

    it('refuses an empty body with 400', async () => {
      const res = await post('/v1/messages', '', 'application/xml');
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ code: 'http.bad-request' });
    });

    it('answers a rejection as problem details listing every error, with the Rejection and the status of the outcome table', async () => {
      h.submit.next = {
        accepted: false,
        rejection: { bytes: Buffer.from('<Message>rejection</Message>'), mediaType: 'application/xml' },
        errors: [
          { code: 'signature.sender-mismatch', path: 'from', message: 'signed by op-cucc, sent as op-cmcc', source: 'Art. 10' },
          { code: 'contract.required', path: 'body.analysis', message: 'analysis is required', source: 'Art. 9(1)' },
        ],
        status: 418,
      };
      try {
        const res = await post('/v1/messages', '<Message/>', 'application/xml');
        expect(res.status).toBe(codeInfo('signature.sender-mismatch').http);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.json()).toEqual({
          type: '/docs#signature.sender-mismatch',
          title: codeInfo('signature.sender-mismatch').description,
          status: 400,
          detail: 'from: signed by op-cucc, sent as op-cmcc (and 1 more error)',
          code: 'signature.sender-mismatch',
          errors: [
            { code: 'signature.sender-mismatch', path: 'from', message: 'signed by op-cucc, sent as op-cmcc', source: 'Art. 10' },
            { code: 'contract.required', path: 'body.analysis', message: 'analysis is required', source: 'Art. 9(1)' },
          ],
          rejection: '<Message>rejection</Message>',
          rejectionMediaType: 'application/xml',
        });
      } finally {
        h.submit.next = { accepted: true, messageId: 'op-cmcc-20261128-0001', receipt: { bytes: Buffer.from('<Message>receipt</Message>'), mediaType: 'application/xml' }, duplicate: false };
      }
    });

    it('uses the status intake gives only for a code the outcome table does not know', async () => {
      h.submit.next = { accepted: false, rejection: { bytes: Buffer.from('x'), mediaType: 'application/xml' }, errors: [{ code: 'intake.some-new-code', message: 'm' }], status: 409 };
      try {
        expect((await post('/v1/messages', '<Message/>', 'application/xml')).status).toBe(409);
      } finally {
        h.submit.next = { accepted: true, messageId: 'm-1', receipt: { bytes: Buffer.from('r'), mediaType: 'application/xml' }, duplicate: true };
      }
    });
  });

  describe('mailbox', () => {
    const item = (n: number) => ({
      deliveryId: `d-${n}`, messageId: `op-cmcc-20261128-000${n}`, type: 'IncidentReport', from: 'op-cmcc', status: 'pending',
      createdAt: new Date(NOW.getTime() + n * 1000), document: { bytes: Buffer.from(`<Message>${n}</Message>`), mediaType: 'application/xml' },
    });

    it('lists the caller\'s deliveries oldest first, page by page with the cursor', async () => {
      for (const n of [1, 2, 3]) h.deliveries.deliver('cncert', item(n));
      const first = await call(h.server, pki, { path: '/v1/mailbox?limit=2', as: pki.clients.cncert });
      expect(first.status).toBe(200);
      const page1 = first.json<{ items: { deliveryId: string; document: string; createdAt: string; mediaType: string }[]; next: string }>();
      expect(page1.items.map((i) => i.deliveryId)).toEqual(['d-1', 'd-2']);
      expect(page1.items[0]).toMatchObject({ document: '<Message>1</Message>', mediaType: 'application/xml', createdAt: '2026-11-28T02:00:01.000Z' });
      const second = await call(h.server, pki, { path: `/v1/mailbox?limit=2&after=${page1.next}`, as: pki.clients.cncert });
      expect(second.json<{ items: { deliveryId: string }[] }>().items.map((i) => i.deliveryId)).toEqual(['d-3']);
      const mine = await call(h.server, pki, { path: '/v1/mailbox', as: pki.clients['op-cmcc'] });
      expect(mine.json()).toEqual({ items: [], next: null });
    });

    it('refuses bad parameters, every one at once', async () => {
      const res = await call(h.server, pki, { path: '/v1/mailbox?limit=0&wait=99', as: pki.clients.cncert });
      expect(res.status).toBe(400);
      const body = res.json<{ code: string; errors: { path: string; message: string }[] }>();
      expect(body.code).toBe('http.bad-request');
      expect(body.errors.map((e) => e.path)).toEqual(['query.limit', 'query.wait']);
      expect(body.errors[1]!.message).toContain('from 0 to 3');
    });

    it('long-polls: an empty mailbox answers when a delivery arrives', async () => {
      const fresh = await startHarness(pki);
      try {
        const started = Date.now();
        const poll = call(fresh.server, pki, { path: '/v1/mailbox?wait=3', as: pki.clients['op-cmcc'] });
        await new Promise((r) => setTimeout(r, 150));
        fresh.deliveries.deliver('op-cmcc', item(7));
        const res = await poll;
        expect(res.json<{ items: { deliveryId: string }[] }>().items.map((i) => i.deliveryId)).toEqual(['d-7']);
        expect(Date.now() - started).toBeLessThan(2500);
        expect(fresh.deliveries.queries[0]!.waitSeconds).toBe(3);
      } finally {
        await fresh.server.close();
      }
    });

    it('acknowledges a delivery with the signed Acknowledgement, as its recipient only', async () => {
      h.deliveries.deliver('op-cmcc', item(9));
      const ok = await post('/v1/mailbox/d-9/ack', '<Message>ack</Message>', 'application/xml');
      expect(ok.status).toBe(200);
      expect(ok.json()).toEqual({ deliveryId: 'd-9', acknowledgedAt: NOW.toISOString(), duplicate: false });
      expect(h.deliveries.acks.at(-1)).toEqual({ deliveryId: 'd-9', caller: 'op-cmcc', bytes: '<Message>ack</Message>' });
      const other = await post('/v1/mailbox/d-9/ack', '<Message>ack</Message>', 'application/xml', pki.clients.cncert);
      expect(other.status).toBe(404);
      expect(other.json()).toMatchObject({ code: 'http.not-found', errors: [{ path: 'deliveryId' }] });
    });
  });

  describe('GET /v1/messages/{id}', () => {
    beforeAll(() => {
      h.deliveries.statuses.set('op-cmcc-20261128-0042', {
        messageId: 'op-cmcc-20261128-0042', type: 'IncidentReport', from: 'op-cmcc', receivedAt: NOW,
        recipients: [{ recipient: 'cncert', channel: 'mailbox', status: 'acknowledged', deliveredAt: NOW, acknowledgedAt: new Date(NOW.getTime() + 60_000) }],
      });
    });

    it('shows the status per recipient to the sender and to a recipient', async () => {
      for (const as of [pki.clients['op-cmcc'], pki.clients.cncert]) {
        const res = await call(h.server, pki, { path: '/v1/messages/op-cmcc-20261128-0042', as });
        expect(res.status).toBe(200);
        expect(res.json()).toMatchObject({ messageId: 'op-cmcc-20261128-0042', recipients: [{ recipient: 'cncert', status: 'acknowledged', acknowledgedAt: '2026-11-28T02:01:00.000Z' }] });
      }
    });

    it('answers 404 to anyone else, as for a message that does not exist', async () => {
      const stranger = await startHarness(pki);
      try {
        stranger.deliveries.statuses.set('m-1', { messageId: 'm-1', type: 'IncidentReport', from: 'miit', receivedAt: NOW, recipients: [] });
        const res = await call(stranger.server, pki, { path: '/v1/messages/m-1', as: pki.clients['op-cmcc'] });
        expect(res.status).toBe(404);
        expect((await call(stranger.server, pki, { path: '/v1/messages/m-2', as: pki.clients['op-cmcc'] })).json()).toMatchObject({ code: 'http.not-found' });
      } finally {
        await stranger.server.close();
      }
    });
  });

  describe('PUT and GET /v1/samples/{sha256}', () => {
    const sample = Buffer.from('PK\u0003\u0004 a malicious apk, in a test');
    const sha = createHash('sha256').update(sample).digest('hex');
    const md5 = createHash('md5').update(sample).digest('hex');
    const put = (p: string, body: Buffer, as = pki.clients['op-cmcc']) =>
      call(h.server, pki, { method: 'PUT', path: p, as, body, headers: { 'content-type': 'application/octet-stream' } });
    const uploads = () => readdirSync(h.samplesDir).filter((f) => f.startsWith('.upload-'));

    it('streams the file to storage under its SHA-256 and reports its MD5 to the port; again = 200', async () => {
      h.samples.declaredBy.set(md5, 'op-cmcc');
      const res = await put(`/v1/samples/${sha}`, sample);
      expect(res.status).toBe(201);
      expect(res.json()).toEqual({ sha256: sha, md5, size: sample.length });
      expect(readFileSync(path.join(h.samplesDir, sha))).toEqual(sample);
      expect(h.samples.storedSamples.at(-1)).toMatchObject({ sha256: sha, md5, caller: 'op-cmcc', size: sample.length, alreadyStored: false });
      expect((await put(`/v1/samples/${sha}`, sample)).status).toBe(200);
      expect(h.samples.storedSamples.at(-1)).toMatchObject({ alreadyStored: true });
    });

    it('gives the file to a recipient of the SampleReport only', async () => {
      h.samples.readers.set(md5, ['cncert']);
      const got = await call(h.server, pki, { path: `/v1/samples/${sha}`, as: pki.clients.cncert });
      expect(got.status).toBe(200);
      expect(got.body).toEqual(sample);
      expect(got.headers['content-type']).toBe('application/octet-stream');
      expect(got.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(sha, 'hex').toString('base64')}:`);
      h.samples.readers.set(md5, []);
      expect((await call(h.server, pki, { path: `/v1/samples/${sha}`, as: pki.clients.cncert })).status).toBe(404);
      expect((await call(h.server, pki, { path: `/v1/samples/${'1'.repeat(64)}`, as: pki.clients.cncert })).status).toBe(404);
    });

    it('refuses a file whose SHA-256 is not the one in the URL, keeping nothing', async () => {
      const other = createHash('sha256').update('other').digest('hex');
      const res = await put(`/v1/samples/${other}`, sample);
      expect(res.status).toBe(422);
      expect(res.json()).toMatchObject({ code: 'http.sample-hash-mismatch', received: sha });
      expect(existsSync(path.join(h.samplesDir, other))).toBe(false);
      expect(uploads()).toEqual([]);
    });

    it('refuses a file whose MD5 no SampleReport of the caller declared, and removes it', async () => {
      const bad = Buffer.from('another file');
      const badSha = createHash('sha256').update(bad).digest('hex');
      const res = await put(`/v1/samples/${badSha}`, bad);
      expect(res.status).toBe(codeInfo('contract.md5').http);
      expect(res.json()).toMatchObject({ code: 'contract.md5', errors: [{ source: 'Art. 9(1)' }] });
      expect(existsSync(path.join(h.samplesDir, badSha))).toBe(false);
    });

    it('does not remove a stored file when a second uploader is refused', async () => {
      const res = await put(`/v1/samples/${sha}`, sample, pki.clients.cncert);
      expect(res.status).toBe(codeInfo('contract.md5').http);
      expect(existsSync(path.join(h.samplesDir, sha))).toBe(true);
    });

    it('refuses a malformed hash in the path', async () => {
      const res = await put('/v1/samples/ABC', sample);
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ code: 'http.bad-request', path: 'path.sha256' });
    });

    it('refuses a file over the size limit with 413, declared or streamed', async () => {
      const big = Buffer.alloc(64 * 1024 + 1, 7);
      const bigSha = createHash('sha256').update(big).digest('hex');
      h.samples.declaredBy.set(createHash('md5').update(big).digest('hex'), 'op-cmcc');
      const declared = await put(`/v1/samples/${bigSha}`, big);
      expect(declared.status).toBe(413);
      const streamed = await call(h.server, pki, { method: 'PUT', path: `/v1/samples/${bigSha}`, as: pki.clients['op-cmcc'], body: big, headers: { 'transfer-encoding': 'chunked' } });
      expect(streamed.status).toBe(413);
      expect(streamed.json()).toMatchObject({ code: 'http.payload-too-large', limit: 65536 });
      expect(existsSync(path.join(h.samplesDir, bigSha))).toBe(false);
      expect(uploads()).toEqual([]);
    });
  });
});
