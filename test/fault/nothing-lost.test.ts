import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { DataSource } from 'typeorm';
import { encode } from '../../contracts/codec';
import type { MessageDocument } from '../../contracts/codec/message-document';
import { verifyAuditChain } from '../../gateway/audit';
import { TestClock } from '../../gateway/clock';
import { acknowledge, deliveryContext, listMailbox, MailboxNotifier } from '../../gateway/deliveries';
import { issueGatewayIdentity } from '../../gateway/identity';
import { Intake } from '../../gateway/intake';
import { seedRegistry } from '../../gateway/registry';
import type { Credential } from '../../gateway/signing/credential';
import { createDevCa, issueInstitutionCredential } from '../../gateway/signing/dev-pki';
import { signDocument } from '../../gateway/signing/documents';
import { TrustStore } from '../../gateway/signing/trust-store';
import { migrate, openStore } from '../../gateway/store';
import { migrations } from '../../migrations';
import { privateServicesOrSkip, startPrivateMariaDb, startPrivateRabbitMq, type PrivateMariaDb, type PrivateRabbitMq } from '../support/private-services';

// Issue 4, item 7: nothing accepted is lost and nothing is done twice while, mid-run, RabbitMQ is
// stopped and restarted, a gateway worker process is SIGKILLed (and another started), and MariaDB
// is SIGKILLed and restarted. Private RabbitMQ and MariaDB (test/support/private-services.ts);
// two worker processes (test/fault/worker-entry.ts, compiled here) share the routing.
// MMGW_FAULT_MESSAGES sets the number of messages (10,000 with CI set, 1,000 otherwise).

const ROOT = path.join(__dirname, '../..');
const N = Number(process.env.MMGW_FAULT_MESSAGES ?? (process.env.CI ? 10_000 : 1_000));
const RECIPIENTS = ['ca-11', 'ca-44', 'cncert', 'miit'];
const DELIVERIES = (n: number) => Array.from({ length: n }, (_, i) => (i % 4 === 0 ? RECIPIENTS.length : 1)).reduce((a, b) => a + b, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Doc = Record<string, unknown> & { body: Record<string, unknown> };

function compileWorker(outDir: string): Promise<void> {
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const args = [tsc, '--ignoreConfig', '--outDir', outDir, '--rootDir', ROOT, '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022',
    '--strict', '--esModuleInterop', '--skipLibCheck', '--resolveJsonModule', '--types', 'node', path.join(ROOT, 'test/fault/worker-entry.ts')];
  return new Promise((resolve, reject) => execFile(process.execPath, args, { cwd: ROOT, timeout: 120_000 }, (e, out, err) => (e ? reject(new Error(`tsc: ${out}${err}`, { cause: e })) : resolve())));
}

/** A worker child: `created` is the last count it reported. */
interface Worker { readonly child: ChildProcess; created: number; stderr: string }

function startWorker(script: string, env: Record<string, string>): Promise<Worker> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env, NODE_PATH: path.join(ROOT, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'] });
  const worker: Worker = { child, created: 0, stderr: '' };
  child.stderr!.on('data', (b: Buffer) => { worker.stderr = (worker.stderr + b.toString()).slice(-4000); });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line === 'ready') resolve(worker);
      else if (line.startsWith('{')) worker.created = (JSON.parse(line) as { created: number }).created;
    });
    child.once('exit', (code, signal) => reject(new Error(`worker exited (${String(code ?? signal)}) before ready: ${worker.stderr}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Runs `fn` until it resolves: a failure during an outage is retried with the same input. */
async function retried<T>(fn: () => Promise<T>, stats: { retries: number }, deadline: number): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      stats.retries += 1;
      await sleep(100);
    }
  }
}

describe('nothing lost: RabbitMQ stopped, a worker SIGKILLed and MariaDB SIGKILLed mid-run', () => {
  const live = privateServicesOrSkip(__filename);
  let rabbit: PrivateRabbitMq | undefined;
  let maria: PrivateMariaDb | undefined;
  let buildDir: string | undefined;
  let ds: DataSource | undefined;
  const workers: Worker[] = [];

  afterAll(async () => {
    for (const w of workers) {
      if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await killed(w.child);
    }
    await ds?.destroy().catch(() => undefined);
    await rabbit?.dispose();
    await maria?.dispose();
    if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
  }, 120_000);

  it(`${N} messages (a quarter to four recipients, the rest to one): every accepted one delivered and acknowledged exactly once, every rejected one changed nothing, the audit chain verifies`, async () => {
    if (!live) return;
    const started = Date.now();
    const deadline = started + 15 * 60_000;
    buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-fault-build-'));
    // MariaDB's files on tmpfs when there is one: every audited commit serialises on the audit head, and
    // fsync on this disk made them the bottleneck; SIGKILL of mariadbd loses nothing the kernel holds.
    const shm = fs.existsSync('/dev/shm') ? { baseDir: '/dev/shm' } : {};
    [rabbit, maria] = await Promise.all([startPrivateRabbitMq(), startPrivateMariaDb(shm), compileWorker(buildDir)]);
    const setupMs = Date.now() - started;

    ds = await openStore(maria.url, { migrations });
    await migrate(ds);
    const clock = new TestClock('2026-11-28T03:00:00Z');
    await seedRegistry(ds, clock.now());
    const issued = new Date('2026-11-20T00:00:00Z');
    const ca = createDevCa({ now: issued, keyType: 'ec' });
    const trust = new TrustStore([ca.certificate]);
    const identity = issueGatewayIdentity(ca, { now: issued });
    const credentials = new Map<string, Credential>();
    const credential = (code: string) => {
      let c = credentials.get(code);
      if (c === undefined) credentials.set(code, (c = issueInstitutionCredential(ca, code, { now: issued, keyType: 'ec' })));
      return c;
    };
    const intake = new Intake(ds, { trust, identity, clock });
    const ctx = deliveryContext({ clock, notifier: new MailboxNotifier() });

    // The submissions, signed beforehand: N accepted-to-be (every 5th in XML), and refusals among them.
    // Every 4th an IncidentReport (to miit, cc ca-11, ca-44, cncert), the others SampleReports (to cncert): to ∪ cc covered, fewer acknowledgements to sign.
    const example = (form: string) => JSON.parse(fs.readFileSync(path.join(ROOT, `contracts/examples/${form}.json`), 'utf8')) as Doc;
    const templates = { incident: example('incident-report'), sample: example('sample-report') };
    const recipientsOf = (i: number) => (i % 4 === 0 ? RECIPIENTS : ['cncert']);
    const report = (i: number): Doc => ({ ...structuredClone(i % 4 === 0 ? templates.incident : templates.sample), id: `op-cmcc-20261128-f${String(i).padStart(5, '0')}` });
    const sign = async (d: Doc, format: 'xml' | 'json', signer: string) => Buffer.from(await signDocument(encode(d as unknown as MessageDocument, format), credential(signer)));
    type Submission = { readonly id: string; readonly bytes: Buffer; readonly expect: 'accept' | 'reject' };
    const submissions: Submission[] = [];
    const rejected: string[] = [];
    const expected = new Map<string, string>();
    for (let i = 0; i < N; i += 1) {
      const d = report(i);
      expected.set(String(d.id), recipientsOf(i).join(','));
      submissions.push({ id: String(d.id), bytes: await sign(d, i % 5 === 0 ? 'xml' : 'json', 'op-cmcc'), expect: 'accept' });
      if (i % 200 === 100) {
        const unsigned = report(N + i);
        submissions.push({ id: String(unsigned.id), bytes: Buffer.from(encode(unsigned as unknown as MessageDocument, 'json')), expect: 'reject' });
        const otherSigner = report(2 * N + i);
        submissions.push({ id: String(otherSigner.id), bytes: await sign(otherSigner, 'json', 'op-cucc'), expect: 'reject' });
        rejected.push(String(unsigned.id), String(otherSigner.id));
      }
    }
    const signMs = Date.now() - started - setupMs;

    const env = { FAULT_DATABASE_URL: maria.url, FAULT_AMQP_URL: rabbit.url, FAULT_EXCHANGE: `mmgw-fault-${randomBytes(3).toString('hex')}` };
    const script = path.join(buildDir, 'test/fault/worker-entry.js');
    workers.push(...await Promise.all([startWorker(script, env), startWorker(script, env)]));

    // Faults, each injected while submissions are still running (the submitter waits at each mark until it was).
    const ackStats = { retries: 0 };
    const stats = { retries: 0, firstAttemptDuplicates: 0, unexpected: [] as string[] };
    let submitted = 0;
    const faults: { at: number; run: () => Promise<void>; injected?: Promise<void>; name: string }[] = [
      { name: 'RabbitMQ stopped and restarted', at: Math.floor(submissions.length * 0.2), run: async () => { await rabbit!.stop(); await sleep(1500); await rabbit!.start(); } },
      {
        name: 'worker SIGKILLed, another started', at: Math.floor(submissions.length * 0.4), run: async () => {
          workers[0]!.child.kill('SIGKILL');
          await killed(workers[0]!.child);
          workers.push(await startWorker(script, env));
        },
      },
      { name: 'MariaDB SIGKILLed and restarted', at: Math.floor(submissions.length * 0.6), run: async () => { await maria!.kill(); await sleep(1000); await maria!.start(); } },
    ];
    const faultLog: string[] = [];
    const chaos = (async () => {
      for (const f of faults) {
        while (submitted < f.at) await sleep(5);
        const t0 = Date.now();
        f.injected = f.run().then(() => { faultLog.push(`${f.name} at submission ${f.at}: ${Date.now() - t0} ms`); });
        await f.injected;
      }
    })();

    // The submitter: 32 in flight; a failure (outage) is retried with the same bytes.
    const accepted = new Set<string>();
    let next = 0;
    const submitOne = async (s: Submission) => {
      const outcome = await retried(() => intake.submit({ bytes: s.bytes, caller: 'op-cmcc' }), stats, deadline);
      if (outcome.accepted !== (s.expect === 'accept')) stats.unexpected.push(`${s.id}: ${outcome.accepted ? 'accepted' : outcome.errors.map((e) => e.code).join(',')}`);
      if (outcome.accepted) accepted.add(outcome.messageId);
    };
    const submitter = Promise.all(Array.from({ length: 32 }, async () => {
      while (next < submissions.length) {
        const i = next++;
        const gate = faults.find((f) => i >= f.at && f.injected === undefined);
        if (gate) while (gate.injected === undefined) await sleep(5);
        await submitOne(submissions[i]!);
        submitted += 1;
      }
    }));

    // Each recipient reads its mailbox and acknowledges every delivery (signed on the fly, 32 at once); an ack failing in an outage is retried with the same bytes.
    let acked = 0;
    let submitting = true;
    const acker = async (code: string) => {
      let cursor = '';
      let n = 0;
      while (submitting || acked < DELIVERIES(N)) {
        if (Date.now() > deadline) throw new Error(`${code}: not every delivery acknowledged in time (${acked} of ${DELIVERIES(N)})`);
        const page = await listMailbox(ds!, code, { after: cursor, limit: 200 }, ctx).catch(() => undefined);
        if (page === undefined || page.items.length === 0) { await sleep(page === undefined ? 100 : 20); continue; }
        for (let k = 0; k < page.items.length; k += 32) {
          await Promise.all(page.items.slice(k, k + 32).map(async (item) => {
            n += 1;
            const ack: Doc = {
              id: `${code}-20261128-a${String(n).padStart(6, '0')}`, type: 'Acknowledgement', version: '1.0', from: code, to: ['mmgw'], sentAt: '2026-11-28T11:01:00+08:00',
              references: { inReplyTo: item.messageId }, body: { messageId: item.messageId, deliveryId: item.deliveryId, receivedAt: '2026-11-28T11:00:30+08:00' },
            };
            const bytes = await sign(ack, 'json', code);
            let attempt = 0;
            const result = await retried(() => { attempt += 1; return acknowledge(ds!, bytes, { trust, deliveryId: item.deliveryId }, ctx); }, ackStats, deadline);
            if (result.duplicate && attempt === 1) stats.firstAttemptDuplicates += 1;
            acked += 1;
          }));
        }
        cursor = page.cursor;
      }
    };
    const ackers = Promise.all(RECIPIENTS.map(acker));
    await submitter;
    submitting = false;
    const submitMs = Date.now() - started - setupMs - signMs;
    await chaos;
    await ackers;
    const totalMs = Date.now() - started;

    // The verdict, from the database.
    expect(stats.unexpected).toEqual([]);
    expect(accepted.size).toBe(N);
    const q = <T>(sql: string, params: unknown[] = []) => ds!.query(sql, params) as Promise<T[]>;
    const [{ messages }] = await q<{ messages: number }>('SELECT COUNT(*) AS messages FROM messages');
    expect(Number(messages)).toBe(N);
    const perMessage = await q<{ message_id: string; recipients: string; n: number; acked: number; receipts: number }>(
      `SELECT d.message_id, GROUP_CONCAT(d.recipient_code ORDER BY d.recipient_code) AS recipients, COUNT(*) AS n,
              SUM(d.status = 'acknowledged') AS acked, COUNT(DISTINCT d.ack_receipt_id) AS receipts
         FROM deliveries d GROUP BY d.message_id`);
    const wrong = perMessage.filter((m) => {
      const want = expected.get(m.message_id)?.split(',').length;
      return m.recipients !== expected.get(m.message_id) || Number(m.n) !== want || Number(m.acked) !== want || Number(m.receipts) !== want;
    });
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(new Set(perMessage.map((m) => m.message_id))).toEqual(accepted);
    const [{ acks }] = await q<{ acks: number }>("SELECT COUNT(*) AS acks FROM receipts WHERE kind = 'acknowledgement'");
    expect(Number(acks)).toBe(DELIVERIES(N));
    const [{ ackAudits }] = await q<{ ackAudits: number }>("SELECT COUNT(*) AS ackAudits FROM audit_entries WHERE kind = 'acknowledgement'");
    expect(Number(ackAudits)).toBe(DELIVERIES(N));
    expect(stats.firstAttemptDuplicates).toBe(0);
    // Rejected: nothing but their audit entry.
    const touched = await q<{ id: string }>('SELECT id FROM messages WHERE id IN (?) UNION SELECT message_id FROM deliveries WHERE message_id IN (?) UNION SELECT message_id FROM receipts WHERE message_id IN (?)', [rejected, rejected, rejected]);
    expect(touched).toEqual([]);
    const rejectAudits = await q<{ subject: string }>("SELECT DISTINCT subject FROM audit_entries WHERE kind = 'reject' AND subject IN (?)", [rejected]);
    expect(rejectAudits.map((r) => r.subject).sort()).toEqual([...rejected].sort());
    const [{ pending }] = await q<{ pending: number }>('SELECT COUNT(*) AS pending FROM outbox');
    expect(Number(pending)).toBe(0);
    const chain = await verifyAuditChain(ds);
    expect(chain.ok).toBe(true);
    // The two workers alive at the end both routed, and no delivery was created twice.
    const survivors = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    expect(survivors).toHaveLength(2);
    expect(survivors.every((w) => w.created > 0)).toBe(true);
    expect(workers.reduce((s, w) => s + w.created, 0)).toBeLessThanOrEqual(DELIVERIES(N));
    expect(faultLog).toHaveLength(3);

    console.log([
      `nothing-lost: ${N} messages, ${rejected.length} refusals, ${acked} acknowledgements; total ${totalMs} ms`,
      `  services + worker build ${setupMs} ms, signing ${signMs} ms, submit ${submitMs} ms, ack tail ${totalMs - setupMs - signMs - submitMs} ms`,
      `  submission retries ${stats.retries}, ack retries ${ackStats.retries}; deliveries created per worker: ${workers.map((w) => w.created).join(', ')}`,
      ...faultLog.map((f) => `  ${f}`),
    ].join('\n'));
  }, 20 * 60_000);
});
