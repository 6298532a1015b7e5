import { connect } from 'node:tls';
import { call, makePki, startHarness, type Harness, type TestPki } from './support';

// Issue 5, item 1: authentication by mutual TLS, problem details, limits and the drain on SIGTERM,
// all over real HTTPS on 127.0.0.1 with an ephemeral port.
describe('HTTPS interface: mTLS, health and limits', () => {
  let pki: TestPki;
  let h: Harness;
  beforeAll(async () => {
    pki = makePki();
    h = await startHarness(pki);
  });
  afterAll(() => h.server.close());

  describe('authentication', () => {
    it('answers 401 problem details to a request without a client certificate', async () => {
      const res = await call(h.server, pki, { path: '/v1/mailbox' });
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ type: '/docs#http.client-certificate-required', status: 401, code: 'http.client-certificate-required' });
      expect(h.deliveries.queries).toHaveLength(0);
    });

    it('refuses a client certificate from a CA outside the trust store', async () => {
      const res = await call(h.server, pki, { path: '/v1/mailbox', as: pki.clients.rogue });
      expect(res.status).toBe(401);
      expect(res.json<{ detail: string }>().detail).toMatch(/not trusted by this gateway/);
      expect(h.deliveries.queries).toHaveLength(0);
    });

    it('refuses an expired client certificate of the trusted CA', async () => {
      const res = await call(h.server, pki, { path: '/v1/mailbox', as: pki.clients.expired });
      expect(res.status).toBe(401);
      expect(res.json<{ detail: string }>().detail).toMatch(/expired/);
    });

    it('refuses a trusted certificate whose CN is not an institution code', async () => {
      const res = await call(h.server, pki, { path: '/v1/mailbox', as: pki.clients['not-institution'] });
      expect(res.status).toBe(403);
      expect(res.json()).toMatchObject({ code: 'http.not-an-institution' });
    });

    it('takes the caller from the certificate CN', async () => {
      await call(h.server, pki, { path: '/v1/mailbox', as: pki.clients['op-cmcc'] });
      await call(h.server, pki, { path: '/v1/mailbox', as: pki.clients.cncert });
      expect(h.deliveries.queries.map((q) => q.recipient)).toEqual(['op-cmcc', 'cncert']);
    });

    it('does not complete a handshake for a client that distrusts the server certificate', async () => {
      const err = await new Promise<Error>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: h.server.port, servername: 'localhost', ca: [pki.clients.rogue.cert] });
        socket.on('secureConnect', () => resolve(new Error('connected')));
        socket.on('error', resolve);
      });
      expect(err.message).toMatch(/certificate/i);
    });
  });

  describe('operations routes (no client certificate needed)', () => {
    it('healthz answers ok', async () => {
      const res = await call(h.server, pki, { path: '/healthz' });
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    });

    it('readyz reports each check, and 503 naming what is down', async () => {
      expect((await call(h.server, pki, { path: '/readyz' })).json()).toEqual({ status: 'ready', checks: { database: 'up', bus: 'up' } });
      h.ready.bus = false;
      try {
        const res = await call(h.server, pki, { path: '/readyz' });
        expect(res.status).toBe(503);
        expect(res.json()).toMatchObject({ code: 'http.not-ready', checks: { database: 'up', bus: 'down: bus unreachable (test)' } });
        expect(res.json<{ detail: string }>().detail).toContain('bus down');
      } finally {
        h.ready.bus = true;
      }
    });
  });

  describe('problem details', () => {
    it('an unknown route is a 404 problem with every RFC 9457 member', async () => {
      const res = await call(h.server, pki, { path: '/v1/nothing', as: pki.clients['op-cmcc'] });
      expect(res.status).toBe(404);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
      expect(body).toMatchObject({ type: '/docs#http.not-found', status: 404, code: 'http.not-found', detail: 'no route GET /v1/nothing' });
      expect(typeof body.title).toBe('string');
    });

    it('an unexpected error is a 500 problem with an id, its text only in the log', async () => {
      const failing = await startHarness(pki, {}, { gauges: { deliveriesByStatus: async () => ({}), queueDepths: async () => ({}), oldestUnacknowledgedSeconds: async () => null } });
      try {
        failing.deliveries.listMailbox = async () => {
          throw new Error('secret table name');
        };
        const res = await call(failing.server, pki, { path: '/v1/mailbox', as: pki.clients['op-cmcc'] });
        expect(res.status).toBe(500);
        const body = res.json<{ code: string; detail: string; errorId: string }>();
        expect(body.code).toBe('http.internal');
        expect(body.detail).not.toContain('secret');
        expect(failing.logs.join('\n')).toContain(body.errorId);
        expect(failing.logs.join('\n')).toContain('secret table name');
      } finally {
        await failing.server.close();
      }
    });
  });

  describe('limits', () => {
    it('answers 413 to a body over the limit, without calling intake', async () => {
      const before = h.submit.calls.length;
      const res = await call(h.server, pki, { method: 'POST', path: '/v1/messages', as: pki.clients['op-cmcc'], body: Buffer.alloc(5000, 0x41), headers: { 'content-type': 'application/xml' } });
      expect(res.status).toBe(413);
      expect(res.json()).toMatchObject({ code: 'http.payload-too-large', limit: 4096 });
      expect(h.submit.calls.length).toBe(before);
    });

    it('answers 429 with Retry-After once an institution has used its burst; others are not affected', async () => {
      const tight = await startHarness(pki, { rateLimitBurst: 2, rateLimitPerMinute: 6 });
      try {
        const get = (as: keyof TestPki['clients']) => call(tight.server, pki, { path: '/v1/mailbox', as: pki.clients[as] });
        expect((await get('op-cmcc')).status).toBe(200);
        expect((await get('op-cmcc')).status).toBe(200);
        const refused = await get('op-cmcc');
        expect(refused.status).toBe(429);
        expect(refused.headers['retry-after']).toBe('10');
        expect(refused.json()).toMatchObject({ code: 'http.rate-limited', retryAfterSeconds: 10 });
        expect((await get('cncert')).status).toBe(200);
        tight.clock.advance(10_000);
        expect((await get('op-cmcc')).status).toBe(200);
        expect((await get('op-cmcc')).status).toBe(429);
      } finally {
        await tight.server.close();
      }
    });

    it('answers 503 http.timeout when a request outlives the time-out', async () => {
      const slow = await startHarness(pki, { requestTimeoutMs: 200 });
      try {
        slow.submit.delayMs = 600;
        const res = await call(slow.server, pki, { method: 'POST', path: '/v1/messages', as: pki.clients['op-cmcc'], body: '<Message/>', headers: { 'content-type': 'application/xml' } });
        expect(res.status).toBe(503);
        expect(res.json()).toMatchObject({ code: 'http.timeout' });
      } finally {
        await slow.server.close();
      }
    });
  });

  describe('graceful drain', () => {
    it('lets an in-flight slow request complete, then refuses connections', async () => {
      const d = await startHarness(pki);
      d.submit.delayMs = 400;
      const inFlight = call(d.server, pki, { method: 'POST', path: '/v1/messages', as: pki.clients['op-cmcc'], body: '<Message/>', headers: { 'content-type': 'application/xml' } });
      // Close only once the request is inside the handler: a fixed sleep raced the mTLS handshake on a loaded machine.
      await until(() => d.submit.calls.length === 1);
      expect(d.http.lifecycle.active).toBe(1);
      const closed = d.server.close();
      const res = await inFlight;
      expect(res.status).toBe(202);
      expect(res.headers.connection).toBe('close');
      await closed;
      await expect(call(d.server, pki, { path: '/healthz' })).rejects.toThrow(/ECONNREFUSED/);
    });

    it('wakes a long poll on close so it answers at once', async () => {
      const d = await startHarness(pki);
      const started = Date.now();
      const poll = call(d.server, pki, { path: '/v1/mailbox?wait=3', as: pki.clients.cncert });
      await until(() => d.deliveries.queries.length === 1);
      await d.server.close();
      const res = await poll;
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ items: [], next: null });
      expect(Date.now() - started).toBeLessThan(2000);
    });
  });
});

/** Waits (up to 5 s) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 250 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 20));
  expect(condition()).toBe(true);
}
