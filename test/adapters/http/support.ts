import { request as httpsRequest } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { issueCertificate } from '../../../gateway/signing/certificates';
import { createDevCa, issueInstitutionCredential, type CertificateAuthority } from '../../../gateway/signing/dev-pki';
import { generateKeyPair } from '../../../gateway/signing/keys';
import { TestClock } from '../../../gateway/clock';
import type { HttpLimits } from '../../../gateway/config';
import { createHttpApp, startHttpsServer, type HttpApp, type RunningServer } from '../../../adapters/http';
import type { AcknowledgeOutcome, DeliveriesPort, GaugesPort, HttpPorts, MailboxItem, MailboxQuery, MessageStatus, ReadinessCheck, SamplesPort, StoredSample, SubmitOutcome, SubmitPort, Submission } from '../../../adapters/http';

export const NOW = new Date('2026-11-28T02:00:00Z');

/** A PEM key and certificate a TLS client presents. */
export interface ClientCert {
  readonly key: string;
  readonly cert: string;
}

/** The PKI of the tests: a CA, the server's certificate (CN=localhost), clients of two institutions, and a client of an unknown CA. */
export interface TestPki {
  readonly ca: CertificateAuthority;
  readonly caPem: string;
  readonly server: ClientCert;
  readonly clients: Record<'op-cmcc' | 'cncert' | 'rogue' | 'not-institution' | 'expired', ClientCert>;
}

const pem = (k: { export(o: { type: 'pkcs8'; format: 'pem' }): string | Buffer }) => String(k.export({ type: 'pkcs8', format: 'pem' }));

/** Makes the PKI with gateway/signing's dev PKI (EC keys: fast), on `ca` when given (e.g. the CA that also signs documents). */
export function makePki(ca: CertificateAuthority = createDevCa({ now: NOW, keyType: 'ec' })): TestPki {
  const serverKeys = generateKeyPair('ec');
  const serverCert = issueCertificate({ commonName: 'localhost', publicKey: serverKeys.publicKey, notBefore: new Date(NOW.getTime() - 3_600_000), notAfter: new Date(NOW.getTime() + 30 * 86_400_000) }, ca);
  const client = (authority: CertificateAuthority, code: string): ClientCert => {
    const c = issueInstitutionCredential(authority, code, { now: NOW, keyType: 'ec' });
    return { key: pem(c.privateKey), cert: c.certificate.toString() };
  };
  const rogueCa = createDevCa({ now: NOW, keyType: 'ec', name: 'rogue CA' });
  const strangerKeys = generateKeyPair('ec');
  const stranger = issueCertificate({ commonName: 'Mallory', publicKey: strangerKeys.publicKey, notBefore: new Date(NOW.getTime() - 3_600_000), notAfter: new Date(NOW.getTime() + 30 * 86_400_000) }, ca);
  return {
    ca,
    caPem: ca.certificate.toString(),
    server: { key: pem(serverKeys.privateKey), cert: serverCert.toString() },
    clients: {
      'op-cmcc': client(ca, 'op-cmcc'),
      cncert: client(ca, 'cncert'),
      rogue: client(rogueCa, 'op-cucc'),
      'not-institution': { key: pem(strangerKeys.privateKey), cert: stranger.toString() },
      expired: (() => {
        const c = issueInstitutionCredential(ca, 'op-cucc', { now: new Date(NOW.getTime() - 40 * 86_400_000), days: 30, keyType: 'ec' });
        return { key: pem(c.privateKey), cert: c.certificate.toString() };
      })(),
    },
  };
}

/** An HTTP answer. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  json<T = Record<string, unknown>>(): T;
}

/** One request over HTTPS to 127.0.0.1 (server name localhost), with `as` the client certificate or none. */
export function call(
  server: RunningServer,
  pki: TestPki,
  opts: { method?: string; path: string; as?: ClientCert; body?: Buffer | string; headers?: Record<string, string> },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        servername: 'localhost',
        method: opts.method ?? 'GET',
        path: opts.path,
        ca: pki.caPem,
        ...(opts.as && { key: opts.as.key, cert: opts.as.cert }),
        headers: opts.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body.toString('utf8')) as T });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Intake as a fake: records submissions, answers with `next`. */
export class FakeSubmit implements SubmitPort {
  readonly calls: Submission[] = [];
  next: SubmitOutcome = { accepted: true, messageId: 'op-cmcc-20261128-0001', receipt: { bytes: Buffer.from('<Message>receipt</Message>'), mediaType: 'application/xml' }, duplicate: false };
  /** Milliseconds to take before answering. */
  delayMs = 0;
  async submit(s: Submission): Promise<SubmitOutcome> {
    this.calls.push(s);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    return this.next;
  }
}

/** Deliveries as a fake: an in-memory mailbox per recipient, with long poll. */
export class FakeDeliveries implements DeliveriesPort {
  readonly boxes = new Map<string, MailboxItem[]>();
  readonly queries: MailboxQuery[] = [];
  readonly acks: { deliveryId: string; caller: string; bytes: string }[] = [];
  readonly statuses = new Map<string, MessageStatus>();
  private readonly waiters: (() => void)[] = [];

  deliver(recipient: string, item: MailboxItem): void {
    this.boxes.set(recipient, [...(this.boxes.get(recipient) ?? []), item]);
    for (const w of this.waiters.splice(0)) w();
  }

  async listMailbox(q: MailboxQuery) {
    this.queries.push(q);
    const page = () => {
      const all = this.boxes.get(q.recipient) ?? [];
      const start = q.after === undefined ? 0 : all.findIndex((i) => i.deliveryId === q.after) + 1;
      const items = all.slice(start, start + q.limit);
      return { items, next: items.length > 0 ? items[items.length - 1]!.deliveryId : (q.after ?? null) };
    };
    let result = page();
    if (result.items.length === 0 && q.waitSeconds > 0 && !q.signal.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, q.waitSeconds * 1000);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        this.waiters.push(done);
        q.signal.addEventListener('abort', done, { once: true });
      });
      result = page();
    }
    return result;
  }

  async acknowledge(a: { deliveryId: string; caller: string; bytes: Buffer }): Promise<AcknowledgeOutcome> {
    const owned = (this.boxes.get(a.caller) ?? []).some((i) => i.deliveryId === a.deliveryId);
    if (!owned) return { accepted: false, errors: [{ code: 'http.not-found', path: 'deliveryId', message: `no delivery ${a.deliveryId} for ${a.caller}` }] };
    this.acks.push({ deliveryId: a.deliveryId, caller: a.caller, bytes: a.bytes.toString('utf8') });
    return { accepted: true, deliveryId: a.deliveryId, acknowledgedAt: NOW, duplicate: false };
  }

  async messageStatus(q: { messageId: string; caller: string }) {
    const s = this.statuses.get(q.messageId);
    if (!s) return undefined;
    return s.from === q.caller || s.recipients.some((r) => r.recipient === q.caller) ? s : undefined;
  }
}

/** The samples port as a fake: the MD5s each institution declared, and who may read them. */
export class FakeSamples implements SamplesPort {
  /** MD5 → the institution whose SampleReport declared it. */
  readonly declaredBy = new Map<string, string>();
  /** MD5 → institutions that received the SampleReport. */
  readonly readers = new Map<string, string[]>();
  readonly storedSamples: StoredSample[] = [];
  async stored(s: StoredSample) {
    if (this.declaredBy.get(s.md5) !== s.caller) return { errors: [{ code: 'contract.md5', path: 'md5', message: `no SampleReport of ${s.caller} declares the MD5 ${s.md5}`, source: 'Art. 9(1)' }] };
    this.storedSamples.push(s);
    return {};
  }
  async mayRead(q: { md5: string; caller: string }) {
    return this.declaredBy.get(q.md5) === q.caller || (this.readers.get(q.md5) ?? []).includes(q.caller);
  }
}

/** Toggleable readiness checks. */
export function readiness(state: { database: boolean; bus: boolean }): ReadinessCheck[] {
  return (['database', 'bus'] as const).map((name) => ({
    name,
    check: async () => {
      if (!state[name]) throw new Error(`${name} unreachable (test)`);
    },
  }));
}

/** Fixed gauges. */
export const gauges: GaugesPort = {
  deliveriesByStatus: async () => ({ pending: 3, acknowledged: 7 }),
  queueDepths: async () => ({ outbox: 2, 'deliveries.mailbox': 5 }),
  oldestUnacknowledgedSeconds: async () => 42.5,
};

/** Small limits so tests reach them quickly. */
export const TEST_LIMITS: HttpLimits = {
  maxBodyBytes: 4096,
  maxSampleBytes: 64 * 1024,
  rateLimitPerMinute: 60,
  rateLimitBurst: 1000,
  requestTimeoutMs: 5000,
  mailboxMaxWaitSeconds: 3,
  shutdownGraceMs: 3000,
};

/** A running app over the fakes. */
export interface Harness {
  readonly server: RunningServer;
  readonly http: HttpApp;
  readonly submit: FakeSubmit;
  readonly deliveries: FakeDeliveries;
  readonly samples: FakeSamples;
  readonly ready: { database: boolean; bus: boolean };
  readonly clock: TestClock;
  readonly samplesDir: string;
  readonly logs: string[];
}

/** Starts the app over fakes on an ephemeral port. */
export async function startHarness(pki: TestPki, limits: Partial<HttpLimits> = {}, extra: Partial<HttpPorts> = {}): Promise<Harness> {
  const submit = new FakeSubmit();
  const deliveries = new FakeDeliveries();
  const samples = new FakeSamples();
  const ready = { database: true, bus: true };
  const clock = new TestClock(NOW);
  const samplesDir = path.join(mkdtempSync(path.join(tmpdir(), 'mmgw-http-')), 'samples');
  const logs: string[] = [];
  const all = { ...TEST_LIMITS, ...limits };
  const http = createHttpApp({
    ports: { submit, deliveries, samples, readiness: readiness(ready), gauges, ...extra },
    limits: all,
    samplesDir,
    clock,
    log: (m) => logs.push(m),
  });
  const server = await startHttpsServer({ http, tls: { cert: pki.server.cert, key: pki.server.key, ca: [pki.caPem] }, listen: { host: '127.0.0.1', port: 0 }, graceMs: all.shutdownGraceMs });
  return { server, http, submit, deliveries, samples, ready, clock, samplesDir, logs };
}
