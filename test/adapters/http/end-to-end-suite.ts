import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { encode } from '../../../contracts/codec';
import type { MessageDocument } from '../../../contracts/codec/message-document';
import { codeInfo, type ErrorCode } from '../../../contracts/errors/registry';
import { EmbeddedBus, RabbitMqBus, relayOutbox, type Bus } from '../../../gateway/bus';

import { TestClock } from '../../../gateway/clock';
import { deliveryContext, deliveryQueueDeclarations, DELIVERY_QUEUES, MailboxNotifier, startRoutingWorker } from '../../../gateway/deliveries';
import { issueGatewayIdentity, verifyGatewayDocument, type GatewayIdentity } from '../../../gateway/identity';
import { Intake } from '../../../gateway/intake';
import { seedRegistry } from '../../../gateway/registry';
import type { Credential } from '../../../gateway/signing/credential';
import { createDevCa, issueInstitutionCredential, type CertificateAuthority } from '../../../gateway/signing/dev-pki';
import { signDocument } from '../../../gateway/signing/documents';
import { TrustStore } from '../../../gateway/signing/trust-store';
import { MessageEntity, migrate, openStore } from '../../../gateway/store';
import { migrations } from '../../../migrations';
import { createHttpApp, startHttpsServer, type RunningServer } from '../../../adapters/http';
import { coreSamples } from '../../../adapters/http/core-samples';
import { corePorts, intakePort } from '../../../adapters/http/core-ports';
import { call, makePki, TEST_LIMITS, type ClientCert, type TestPki } from './support';

type Doc = Record<string, unknown> & { body: Record<string, unknown> };

/** Where the suite runs: a database URL and, for RabbitMQ, an AMQP URL; undefined when the services are missing (reported skipped). */
export type E2eTarget = () => { readonly databaseUrl: string; readonly amqpUrl?: string } | undefined;

/**
 * Issue 5, "Done when": end to end over real HTTPS with mTLS — intake, the routing worker, the
 * mailbox and the acknowledgements for real — on the database and bus `target` gives.
 */
export function endToEndSuite(target: E2eTarget): void {
  let live = false;
  const it = (name: string, fn: () => Promise<void>, timeoutMs = 30_000) => global.it(name, async () => {
    if (live) await fn();
  }, timeoutMs);
  const issued = new Date('2026-11-20T00:00:00Z');
  let dir: string;
  let ds: DataSource;
  let bus: Bus;
  let relay: NodeJS.Timeout | undefined;
  let ca: CertificateAuthority;
  let identity: GatewayIdentity;
  let pki: TestPki;
  let server: RunningServer;
  const credentials = new Map<string, Credential>();
  const credential = (code: string) => {
    let c = credentials.get(code);
    if (c === undefined) credentials.set(code, (c = issueInstitutionCredential(ca, code, { now: issued, keyType: 'ec' })));
    return c;
  };
  const tlsAs = (code: string): ClientCert => ({ key: String(credential(code).privateKey.export({ type: 'pkcs8', format: 'pem' })), cert: credential(code).certificate.toString() });
  let n = 0;
  const example = (form: string, change: (d: Doc) => void = () => undefined): Doc => {
    const d = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../contracts/examples', `${form}.json`), 'utf8')) as Doc;
    n += 1;
    d.id = `${String(d.from)}-20261128-e2e${String(n).padStart(3, '0')}`;
    change(d);
    return d;
  };
  const signed = async (d: Doc, format: 'xml' | 'json', signer = String(d.from)) => Buffer.from(await signDocument(encode(d as unknown as MessageDocument, format), credential(signer)));
  const submit = (as: string, bytes: Buffer, format: 'xml' | 'json') =>
    call(server, pki, { method: 'POST', path: '/v1/messages', as: tlsAs(as), body: bytes, headers: { 'content-type': format === 'xml' ? 'application/xml' : 'application/jose+json' } });
  const messageCount = () => ds.manager.count(MessageEntity);

  beforeAll(async () => {
    const where = target();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-e2e-'));
    if (where === undefined) return;
    live = true;
    ds = await openStore(where.databaseUrl === 'sqlite' ? `sqlite:${path.join(dir, 'mmgw.sqlite')}` : where.databaseUrl, { migrations });
    await migrate(ds);
    const clock = new TestClock('2026-11-28T03:00:00Z');
    await seedRegistry(ds, clock.now());
    ca = createDevCa({ now: issued, keyType: 'ec' });
    pki = makePki(ca);
    const trust = new TrustStore([ca.certificate]);
    identity = issueGatewayIdentity(ca, { now: issued });
    const delivery = deliveryContext({ clock, notifier: new MailboxNotifier() });
    const topology = { exchange: `mmgw-e2e-${Date.now()}`, queues: deliveryQueueDeclarations() };
    bus = where.amqpUrl === undefined ? new EmbeddedBus(ds, topology, { pollIntervalMs: 20 }) : new RabbitMqBus(where.amqpUrl, topology, { onError: () => undefined /* the vhost goes away after the file */ });
    await startRoutingWorker(bus, ds, delivery);
    await bus.start();
    if (where.amqpUrl !== undefined) {
      // What the composition root does beside RabbitMQ: relay committed outbox rows to the broker.
      let busy = false;
      relay = setInterval(() => {
        if (busy) return;
        busy = true;
        relayOutbox(ds, bus).catch(() => undefined).finally(() => { busy = false; });
      }, 25);
    }
    const ports = corePorts({
      dataSource: ds, bus, trust, delivery, clock, queues: [DELIVERY_QUEUES.routing],
      submit: intakePort(new Intake(ds, { trust, identity, clock })),
      samples: coreSamples({ dataSource: ds, clock }),
    });
    const http = createHttpApp({ ports, limits: { ...TEST_LIMITS, maxBodyBytes: 256 * 1024 }, samplesDir: path.join(dir, 'samples'), clock, log: () => undefined });
    server = await startHttpsServer({ http, tls: { cert: pki.server.cert, key: pki.server.key, ca: [pki.caPem] }, listen: { host: '127.0.0.1', port: 0 }, graceMs: 1000 });
  });
  afterAll(async () => {
    clearInterval(relay);
    await server?.close();
    await bus?.close({ drainTimeoutMs: 2000 });
    await ds?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function mailboxOf(code: string, messageId: string): Promise<{ deliveryId: string; document: string }> {
    for (let i = 0; i < 20; i += 1) {
      const page = (await call(server, pki, { path: '/v1/mailbox?wait=2&limit=100', as: tlsAs(code) })).json<{ items: { deliveryId: string; messageId: string; document: string }[] }>();
      const item = page.items.find((x) => x.messageId === messageId);
      if (item) return item;
    }
    throw new Error(`${messageId} never reached ${code}'s mailbox`);
  }

  it('an operator\'s level II IncidentReport reaches miit, cncert and the ca-NN of its provinces; each acknowledges; the sender sees every recipient acknowledged', async () => {
    const report = example('incident-report');
    const bytes = await signed(report, 'xml');
    const res = await submit('op-cmcc', bytes, 'xml');
    expect(res.status).toBe(202);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    const receipt = await verifyGatewayDocument(res.body, identity.credential.certificate);
    if (!receipt.ok) throw new Error(receipt.reason);
    expect(receipt.document).toMatchObject({ type: 'Receipt', to: ['op-cmcc'], body: { messageId: report.id } });

    const recipients = ['miit', 'ca-11', 'ca-44', 'cncert'];
    for (const code of recipients) {
      const item = await mailboxOf(code, String(report.id));
      expect(Buffer.from(item.document, 'utf8').equals(bytes)).toBe(true);
      const ack = {
        id: `${code}-20261128-ack${n}`, type: 'Acknowledgement', version: '1.0', from: code, to: ['mmgw'], sentAt: '2026-11-28T11:01:00+08:00',
        references: { inReplyTo: report.id }, body: { messageId: report.id, deliveryId: item.deliveryId, receivedAt: '2026-11-28T11:00:30+08:00' },
      };
      const acked = await call(server, pki, { method: 'POST', path: `/v1/mailbox/${item.deliveryId}/ack`, as: tlsAs(code), body: await signed(ack as Doc, 'json'), headers: { 'content-type': 'application/jose+json' } });
      expect([code, acked.status]).toEqual([code, 200]);
    }
    const status = await call(server, pki, { path: `/v1/messages/${String(report.id)}`, as: tlsAs('op-cmcc') });
    const seen = status.json<{ recipients: { recipient: string; status: string; acknowledgedAt: string }[] }>().recipients;
    expect(seen.map((r) => r.recipient).sort()).toEqual([...recipients].sort());
    expect(seen.every((r) => r.status === 'acknowledged' && r.acknowledgedAt !== null)).toBe(true);
    expect((await call(server, pki, { path: `/v1/messages/${String(report.id)}`, as: tlsAs('op-cucc') })).status).toBe(404);

    const again = await submit('op-cmcc', bytes, 'xml');
    expect([again.status, again.headers['mmgw-duplicate']]).toEqual([202, 'true']);
    expect(again.body.equals(res.body)).toBe(true);
  });

  it('a SampleReport and its sample file reach cncert', async () => {
    const file = Buffer.from('PK\u0003\u0004 the sample of an end-to-end test');
    const md5 = createHash('md5').update(file).digest('hex');
    const sha = createHash('sha256').update(file).digest('hex');
    const report = example('sample-report', (d) => { (d.body.samples as { md5: string }[])[0]!.md5 = md5; });
    expect((await submit('op-cmcc', await signed(report, 'json'), 'json')).status).toBe(202);
    const put = await call(server, pki, { method: 'PUT', path: `/v1/samples/${sha}`, as: tlsAs('op-cmcc'), body: file, headers: { 'content-type': 'application/octet-stream' } });
    expect(put.status).toBe(201);
    await mailboxOf('cncert', String(report.id));
    const got = await call(server, pki, { path: `/v1/samples/${sha}`, as: tlsAs('cncert') });
    expect(got.status).toBe(200);
    expect(got.body.equals(file)).toBe(true);
    expect((await call(server, pki, { path: `/v1/samples/${sha}`, as: tlsAs('op-cucc') })).status).toBe(404);
  });

  describe('refused, each with its own status and reason, with nothing changed', () => {
    async function refused(as: string | undefined, bytes: Buffer, format: 'xml' | 'json') {
      const before = await messageCount();
      const res = as === undefined
        ? await call(server, pki, { method: 'POST', path: '/v1/messages', body: bytes, headers: { 'content-type': 'application/xml' } })
        : await submit(as, bytes, format);
      expect(await messageCount()).toBe(before);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      return { status: res.status, body: res.json<{ code: string; errors?: { code: string; path?: string }[]; rejection?: string }>() };
    }

    it('invalid: every error listed, with the signed Rejection', async () => {
      const bad = example('incident-report', (d) => { delete d.body.summary; d.body.phone = 'x'; });
      const { status, body } = await refused('op-cmcc', await signed(bad, 'json'), 'json');
      expect(status).toBe(codeInfo(body.code as ErrorCode).http);
      expect(body.errors!.length).toBeGreaterThanOrEqual(2);
      expect(body.errors!.map((e) => e.path)).toEqual(expect.arrayContaining(['body.summary', 'body.phone']));
      const rejection = await verifyGatewayDocument(Buffer.from(body.rejection!), identity.credential.certificate);
      expect(rejection.ok).toBe(true);
    });

    it('unsigned', async () => {
      const { body } = await refused('op-cmcc', Buffer.from(encode(example('incident-report') as unknown as MessageDocument, 'xml')), 'xml');
      expect(body.errors!.map((e) => e.code)).toContain('signature.missing');
    });

    it('signed by someone other than the caller', async () => {
      const doc = example('incident-report');
      const { status, body } = await refused('op-cucc', await signed(doc, 'xml'), 'xml');
      expect(body.errors!.map((e) => e.code)).toContain('intake.signer-not-caller');
      expect(status).toBe(codeInfo(body.code as ErrorCode).http);
    });

    it('no client certificate', async () => {
      const { status, body } = await refused(undefined, await signed(example('incident-report'), 'xml'), 'xml');
      expect([status, body.code]).toEqual([401, 'http.client-certificate-required']);
    });

    it('an unauthorised form: an operator sending a VerificationResult', async () => {
      const doc = example('verification-result', (d) => { d.from = 'op-cmcc'; d.id = `op-cmcc-20261128-vr${n}`; });
      const { body } = await refused('op-cmcc', await signed(doc, 'json'), 'json');
      expect(body.errors!.some((e) => e.code.startsWith('routing.'))).toBe(true);
    });

    it('oversized', async () => {
      const { status, body } = await refused('op-cmcc', Buffer.alloc(300 * 1024, 0x20), 'xml');
      expect([status, body.code]).toEqual([413, 'http.payload-too-large']);
    });
  });
}
