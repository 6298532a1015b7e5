import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { readGatewayConfig } from '../../../gateway/config';
import { closeOnSignals, serveHttps, serverTlsFromConfig } from '../../../adapters/http';
import { call, FakeDeliveries, FakeSamples, FakeSubmit, gauges, makePki, NOW, readiness, type TestPki } from './support';
import { TestClock } from '../../../gateway/clock';

// The interface as configured by MMGW_* variables (gateway/config), and the drain on SIGTERM.
describe('serveHttps', () => {
  let dir: string;
  let pki: TestPki;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mmgw-serve-'));
    pki = makePki();
    writeFileSync(path.join(dir, 'server.pem'), pki.server.cert);
    writeFileSync(path.join(dir, 'server.key'), pki.server.key);
    writeFileSync(path.join(dir, 'ca.pem'), pki.caPem);
    env = {
      MMGW_LISTEN: '127.0.0.1:0', MMGW_TLS_CERT: path.join(dir, 'server.pem'), MMGW_TLS_KEY: path.join(dir, 'server.key'),
      MMGW_TRUST_STORE: path.join(dir, 'ca.pem'), MMGW_DATA_DIR: dir, MMGW_RATE_LIMIT_BURST: '1', MMGW_RATE_LIMIT_PER_MINUTE: '1',
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const ports = () => ({ submit: new FakeSubmit(), deliveries: new FakeDeliveries(), samples: new FakeSamples(), readiness: readiness({ database: true, bus: true }), gauges });

  it('serves with the configured TLS files, trust store and limits', async () => {
    const running = await serveHttps({ config: readGatewayConfig(env), ports: ports(), clock: new TestClock(NOW) });
    try {
      expect(running.url).toBe(`https://127.0.0.1:${running.port}`);
      expect((await call(running, pki, { path: '/v1/mailbox', as: pki.clients.cncert })).status).toBe(200);
      const limited = await call(running, pki, { path: '/v1/mailbox', as: pki.clients.cncert });
      expect([limited.status, limited.headers['retry-after']]).toEqual([429, '60']);
      expect((await call(running, pki, { path: '/v1/mailbox', as: pki.clients.rogue })).status).toBe(401);
    } finally {
      await running.close();
    }
  });

  it('says which variables are missing when there are no TLS files and no dev PKI', () => {
    try {
      serverTlsFromConfig(readGatewayConfig({}));
      throw new Error('expected config.invalid');
    } catch (e) {
      expect(e).toBeInstanceOf(GatewayError);
      expect((e as GatewayError).message).toContain('MMGW_TLS_CERT, MMGW_TLS_KEY, MMGW_TRUST_STORE');
    }
  });

  it('on SIGTERM drains the in-flight request, then exits 0', async () => {
    const p = ports();
    p.submit.delayMs = 500;
    const running = await serveHttps({ config: readGatewayConfig(env), ports: p, clock: new TestClock(NOW) });
    const exits: number[] = [];
    const remove = closeOnSignals(running, (code) => exits.push(code));
    try {
      const inFlight = call(running, pki, { method: 'POST', path: '/v1/messages', as: pki.clients['op-cmcc'], body: '<Message/>', headers: { 'content-type': 'application/xml' } });
      // Signal only once the request is inside the handler (a fixed sleep raced the mTLS
      // handshake on a loaded machine, and the signal then refused the request with 503).
      for (let i = 0; i < 250 && p.submit.calls.length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(p.submit.calls).toHaveLength(1);
      process.emit('SIGTERM', 'SIGTERM');
      expect((await inFlight).status).toBe(202);
      for (let i = 0; i < 100 && exits.length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(exits).toEqual([0]);
      expect(process.listeners('SIGTERM')).not.toContain(remove);
    } finally {
      remove();
      await running.close();
    }
  });
});
