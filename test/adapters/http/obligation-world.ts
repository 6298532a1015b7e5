import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { encode } from '../../../contracts/codec';
import type { MessageDocument } from '../../../contracts/codec/message-document';
import { createHttpApp, startHttpsServer, type RunningServer } from '../../../adapters/http';
import { corePorts, intakePort } from '../../../adapters/http/core-ports';
import { coreSamples } from '../../../adapters/http/core-samples';
import { formatBeijing } from '../../../gateway/calendar';
import { EmbeddedBus, type BusMessage } from '../../../gateway/bus';
import { TestClock } from '../../../gateway/clock';
import { deliveryContext, deliveryQueueDeclarations, DELIVERY_QUEUES, MailboxNotifier, routeAcceptedMessage, type DeliveryContext } from '../../../gateway/deliveries';
import { issueGatewayIdentity } from '../../../gateway/identity';
import { Intake } from '../../../gateway/intake';
import { obligationHooks } from '../../../gateway/obligations';
import { seedRegistry } from '../../../gateway/registry';
import type { Credential } from '../../../gateway/signing/credential';
import { createDevCa, issueInstitutionCredential, type CertificateAuthority } from '../../../gateway/signing/dev-pki';
import { signDocument } from '../../../gateway/signing/documents';
import { TrustStore } from '../../../gateway/signing/trust-store';
import { migrate, openStore } from '../../../gateway/store';
import { migrations } from '../../../migrations';
import { call, makePki, TEST_LIMITS, type Answer, type ClientCert, type TestPki } from './support';

/** A contracts example as JSON, to change before signing. */
export type Doc = Record<string, unknown> & { id: string; type: string; sentAt: string; references?: Record<string, string>; body: Record<string, unknown> };

/**
 * The whole gateway core behind the HTTPS interface on SQLite, driven by a TestClock: real intake
 * with the obligations hooks, the delivery stage with them (routing is done at once, not by a
 * worker, so nothing waits on a poll), signed documents and client certificates of a test CA.
 */
export interface ObligationWorld {
  readonly ds: DataSource;
  readonly clock: TestClock;
  readonly server: RunningServer;
  readonly pki: TestPki;
  /** The client certificate of an institution. */
  tls(code: string): ClientCert;
  /** A request as `code`. */
  get(code: string, p: string, headers?: Record<string, string>): Promise<Answer>;
  /** A contracts example (contracts/examples/NAME.json). */
  example(name: string): Doc;
  /** Sets the clock to a Beijing wall-clock time (`2026-11-28T10:53`), gives the document that sentAt, signs it as its sender and POSTs it; routes it when accepted. */
  send(doc: Doc, at: string, as?: string): Promise<Answer>;
  /** The recipient acknowledges its delivery of `messageId` at a Beijing wall-clock time, with a signed Acknowledgement over the API. */
  ack(code: string, messageId: string, at: string): Promise<Answer>;
  close(): Promise<void>;
}

/** An instant written in Beijing time. */
export const bj = (local: string): Date => new Date(`${local}:00+08:00`);

/** Opens an ObligationWorld (close it in afterAll). */
export async function openObligationWorld(): Promise<ObligationWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-http-obl-'));
  const ds = await openStore(`sqlite:${path.join(dir, 'mmgw.sqlite')}`, { migrations });
  await migrate(ds);
  const clock = new TestClock('2026-11-27T00:00:00Z');
  await seedRegistry(ds, clock.now());
  const issued = new Date('2026-11-20T00:00:00Z');
  const ca: CertificateAuthority = createDevCa({ now: issued, keyType: 'ec' });
  const pki = makePki(ca);
  const trust = new TrustStore([ca.certificate]);
  const hooks = obligationHooks();
  const delivery: DeliveryContext = deliveryContext({ clock, hooks, notifier: new MailboxNotifier() });
  const bus = new EmbeddedBus(ds, { exchange: 'mmgw', queues: deliveryQueueDeclarations() }, { pollIntervalMs: 1000 });
  const intake = new Intake(ds, { trust, identity: issueGatewayIdentity(ca, { now: issued }), clock, hooks });
  const http = createHttpApp({
    ports: corePorts({ dataSource: ds, bus, trust, delivery, clock, submit: intakePort(intake), samples: coreSamples({ dataSource: ds, clock }), queues: [DELIVERY_QUEUES.routing] }),
    limits: { ...TEST_LIMITS, maxBodyBytes: 256 * 1024 },
    samplesDir: path.join(dir, 'samples'),
    clock,
    log: () => undefined,
  });
  const server = await startHttpsServer({ http, tls: { cert: pki.server.cert, key: pki.server.key, ca: [pki.caPem] }, listen: { host: '127.0.0.1', port: 0 }, graceMs: 1000 });

  const credentials = new Map<string, Credential>();
  const credential = (code: string): Credential => {
    let c = credentials.get(code);
    if (c === undefined) credentials.set(code, (c = issueInstitutionCredential(ca, code, { now: issued, keyType: 'ec' })));
    return c;
  };
  const tls = (code: string): ClientCert => ({ key: String(credential(code).privateKey.export({ type: 'pkcs8', format: 'pem' })), cert: credential(code).certificate.toString() });
  const signed = async (d: Doc, signer: string) => Buffer.from(await signDocument(encode(d as unknown as MessageDocument, 'json'), credential(signer)));
  const post = (as: string, p: string, bytes: Buffer) => call(server, pki, { method: 'POST', path: p, as: tls(as), body: bytes, headers: { 'content-type': 'application/jose+json' } });
  const route = (messageId: string, type: string) => {
    const job: BusMessage = { id: `accepted:${messageId}`, topic: `message.accepted.${type}`, queue: DELIVERY_QUEUES.routing, payload: Buffer.from(JSON.stringify({ messageId })), headers: {}, attempt: 1 };
    return routeAcceptedMessage(ds, job, delivery);
  };
  let acks = 0;

  return {
    ds, clock, server, pki, tls,
    get: (code, p, headers) => call(server, pki, { path: p, as: tls(code), ...(headers && { headers }) }),
    example: (name) => JSON.parse(fs.readFileSync(path.join(__dirname, '../../../contracts/examples', `${name}.json`), 'utf8')) as Doc,
    async send(doc, at, as = String(doc.from)) {
      clock.set(bj(at));
      doc.sentAt = formatBeijing(clock.now());
      const res = await post(as, '/v1/messages', await signed(doc, as));
      if (res.status === 202) await route(doc.id, doc.type);
      return res;
    },
    async ack(code, messageId, at) {
      clock.set(bj(at));
      const [delivery] = (await ds.query('SELECT id FROM deliveries WHERE message_id = ? AND recipient_code = ?', [messageId, code])) as { id: number }[];
      if (delivery === undefined) throw new Error(`no delivery of ${messageId} to ${code}`);
      const deliveryId = `dlv-${String(delivery.id).padStart(8, '0')}`;
      // The mailbox read makes the delivery `sent`, as a recipient's client would.
      await call(server, pki, { path: '/v1/mailbox?limit=100', as: tls(code) });
      acks += 1;
      const doc: Doc = {
        id: `${code}-20261128-ack${String(acks).padStart(4, '0')}`, type: 'Acknowledgement', version: '1.0', from: code, to: ['mmgw'], sentAt: formatBeijing(clock.now()),
        references: { inReplyTo: messageId }, body: { messageId, deliveryId, receivedAt: formatBeijing(clock.now()) },
      };
      return post(code, `/v1/mailbox/${deliveryId}/ack`, await signed(doc, code));
    },
    async close() {
      await server.close();
      await bus.close({ drainTimeoutMs: 1000 });
      await ds.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
