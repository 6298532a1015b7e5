import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { encode } from '../../../contracts/codec';
import type { MessageDocument } from '../../../contracts/codec/message-document';
import { DELIVERY_QUEUES, routeAcceptedMessage } from '../../../gateway/deliveries';
import { AuditEntryEntity, MessageEntity, transaction } from '../../../gateway/store';
import { coreSamples } from '../../../adapters/http/core-samples';
import type { BusMessage } from '../../../gateway/bus';
import { createHttpApp, startHttpsServer, type RunningServer } from '../../../adapters/http';
import { corePorts } from '../../../adapters/http/core-ports';
import { TrustStore } from '../../../gateway/signing/trust-store';
import { openCoreWorld, signedAcknowledgement, storeAccepted, type CoreWorld } from './core-world';
import { call, FakeSubmit, makePki, TEST_LIMITS, type TestPki } from './support';

const job = (messageId: string): BusMessage => ({
  id: `accepted:${messageId}`, topic: 'message.accepted.IncidentNotice', queue: DELIVERY_QUEUES.routing, payload: Buffer.from(JSON.stringify({ messageId })), headers: {}, attempt: 1,
});

// The mailbox, acknowledgement, status, readiness and metrics routes bound to the real delivery
// stage (gateway/deliveries) on SQLite and the embedded bus, over HTTPS with mTLS.
describe('HTTPS interface on the core: mailbox, ack, status, readyz, metrics', () => {
  let w: CoreWorld;
  let pki: TestPki;
  let server: RunningServer;
  beforeAll(async () => {
    w = await openCoreWorld();
    await w.bus.start();
    pki = makePki();
    const http = createHttpApp({
      ports: corePorts({ dataSource: w.ds, bus: w.bus, trust: new TrustStore([pki.ca.certificate]), delivery: w.ctx, clock: w.clock, submit: new FakeSubmit(), samples: coreSamples({ dataSource: w.ds, clock: w.clock }), queues: [DELIVERY_QUEUES.routing] }),
      limits: TEST_LIMITS,
      samplesDir: path.join(w.dir, 'samples'),
      clock: w.clock,
      log: () => undefined,
    });
    server = await startHttpsServer({ http, tls: { cert: pki.server.cert, key: pki.server.key, ca: [pki.caPem] }, listen: { host: '127.0.0.1', port: 0 }, graceMs: 1000 });
  });
  afterAll(async () => {
    await server?.close();
    await w?.close();
  });

  it('delivers to the mailbox, takes the signed acknowledgement, and shows the sender every recipient acknowledged', async () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<Message xmlns="urn:mmgw:message:1"><id>op-cmcc-20261128-0001</id></Message>\n');
    const msg = { id: 'op-cmcc-20261128-0001', bytes };
    await storeAccepted(w, { id: msg.id, type: 'IncidentNotice', from: 'op-cmcc', to: ['cncert'], bytes, format: 'xml' });
    await routeAcceptedMessage(w.ds, job(msg.id), w.ctx);
    const box = await call(server, pki, { path: '/v1/mailbox?limit=10', as: pki.clients.cncert });
    expect(box.status).toBe(200);
    const page = box.json<{ items: { deliveryId: string; messageId: string; document: string; mediaType: string; status: string }[]; next: string }>();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ messageId: msg.id, mediaType: 'application/xml', status: 'sent', document: msg.bytes.toString('utf8') });
    const deliveryId = page.items[0]!.deliveryId;
    expect((await call(server, pki, { path: `/v1/mailbox?after=${page.next}`, as: pki.clients.cncert })).json<{ items: unknown[] }>().items).toEqual([]);

    // Signed by someone else than the caller: refused before the core is asked.
    const byOther = await signedAcknowledgement(pki.ca, 'op-cmcc', { messageId: msg.id, deliveryId });
    const wrong = await call(server, pki, { method: 'POST', path: `/v1/mailbox/${deliveryId}/ack`, as: pki.clients.cncert, body: byOther, headers: { 'content-type': 'application/jose+json' } });
    expect(wrong.status).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'http.signer-not-caller', errors: [{ path: 'from' }] });

    const ack = await signedAcknowledgement(pki.ca, 'cncert', { messageId: msg.id, deliveryId });
    const ok = await call(server, pki, { method: 'POST', path: `/v1/mailbox/${deliveryId}/ack`, as: pki.clients.cncert, body: ack, headers: { 'content-type': 'application/jose+json' } });
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ deliveryId, duplicate: false, acknowledgedAt: w.clock.now().toISOString() });
    const again = await call(server, pki, { method: 'POST', path: `/v1/mailbox/${deliveryId}/ack`, as: pki.clients.cncert, body: ack, headers: { 'content-type': 'application/jose+json' } });
    expect(again.json()).toMatchObject({ deliveryId, duplicate: true });

    const status = await call(server, pki, { path: `/v1/messages/${msg.id}`, as: pki.clients['op-cmcc'] });
    expect(status.status).toBe(200);
    expect(status.json()).toMatchObject({ messageId: msg.id, from: 'op-cmcc', recipients: [{ recipient: 'cncert', channel: 'mailbox', status: 'acknowledged' }] });
    const stranger = makePki(pki.ca);
    expect((await call(server, pki, { path: `/v1/messages/${msg.id}`, as: stranger.clients.rogue })).status).toBe(401);
  });

  it('refuses an acknowledgement of a delivery that does not exist with the core\'s code', async () => {
    const ack = await signedAcknowledgement(pki.ca, 'cncert', { messageId: 'op-cmcc-20261128-9999', deliveryId: 'dlv-99999999' });
    const res = await call(server, pki, { method: 'POST', path: '/v1/mailbox/dlv-99999999/ack', as: pki.clients.cncert, body: ack, headers: { 'content-type': 'application/jose+json' } });
    expect(res.json()).toMatchObject({ code: 'delivery.unknown-delivery' });
    expect(res.status).toBe(404);
  });

  it('takes a sample file declared by a SampleReport of the uploader, and gives it to the report\'s recipient', async () => {
    const file = Buffer.from('dex\n035\u0000 sample bytes of a test');
    const sha = createHash('sha256').update(file).digest('hex');
    const md5 = createHash('md5').update(file).digest('hex');
    const example = JSON.parse(readFileSync(path.join(__dirname, '../../../contracts/examples/sample-report.json'), 'utf8')) as { id: string; body: { samples: { md5: string }[] } };
    example.id = 'op-cmcc-20261128-5001';
    example.body.samples[0]!.md5 = md5;
    const bytes = Buffer.from(encode(example as unknown as MessageDocument, 'json'));
    const now = w.clock.now();
    await transaction(w.ds, (m) => m.insert(MessageEntity, {
      id: example.id, type: 'SampleReport', version: '1.0', fromCode: 'op-cmcc', toCodes: ['cncert'], ccCodes: [], sentAt: now, taskNumber: null, inReplyTo: null,
      format: 'json', bytes, hash: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, acceptedAt: now,
    }));
    const put = (as: TestPki['clients'][keyof TestPki['clients']], body: Buffer, sha256 = sha) =>
      call(server, pki, { method: 'PUT', path: `/v1/samples/${sha256}`, as, body, headers: { 'content-type': 'application/octet-stream' } });

    const byRecipient = await put(pki.clients.cncert, file);
    expect(byRecipient.status).toBe(422);
    expect(byRecipient.json()).toMatchObject({ code: 'http.sample-undeclared', errors: [{ source: 'Art. 9(1)' }] });
    const other = Buffer.from('not the declared file');
    expect((await put(pki.clients['op-cmcc'], other, createHash('sha256').update(other).digest('hex'))).json()).toMatchObject({ code: 'http.sample-undeclared' });

    const ok = await put(pki.clients['op-cmcc'], file);
    expect(ok.status).toBe(201);
    const audit = await w.ds.getRepository(AuditEntryEntity).findOne({ where: { kind: 'sample' }, order: { seq: 'DESC' } });
    expect(audit).toMatchObject({ actor: 'op-cmcc', subject: 'op-cmcc-20261128-5001' });
    const got = await call(server, pki, { path: `/v1/samples/${sha}`, as: pki.clients.cncert });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(file);
  });

  it('is ready when the database and the bus answer, and reports the store\'s figures', async () => {
    expect((await call(server, pki, { path: '/readyz' })).json()).toEqual({ status: 'ready', checks: { database: 'up', bus: 'up' } });
    const metrics = (await call(server, pki, { path: '/metrics' })).body.toString();
    expect(metrics).toMatch(/^mmgw_deliveries\{status="acknowledged"\} 1$/m);
    expect(metrics).toMatch(/^mmgw_queue_depth\{queue="deliveries\.routing\.parked"\} 0$/m);
  });
});
